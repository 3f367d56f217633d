import { Clock, GateReads, runGate } from "../../components/migration/gate-runner";
import { PodObject, WorkloadObject } from "../../components/migration/rollout-status";

const target = { app: "shop/order", soakSeconds: 30, pollSeconds: 10, rolloutTimeoutSeconds: 60, injectedInitContainer: "opentelemetry-auto-instrumentation-java" };

/** A clock that jumps instead of sleeping, so a 5-minute soak runs in microseconds. */
function fakeClock(): Clock & { sleeps: number[] } {
    let now = 0;
    const sleeps: number[] = [];
    return { sleeps, now: () => now, sleep: async ms => { sleeps.push(ms); now += ms; } };
}

const rolled: WorkloadObject = { kind: "Deployment", metadata: { generation: 2 }, spec: { replicas: 2 },
    status: { observedGeneration: 2, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 } };
const rolling: WorkloadObject = { ...rolled, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 } };
const pod = (name: string, ready: boolean, restartCount = 0, initContainers = ["opentelemetry-auto-instrumentation-java"]): PodObject => ({
    metadata: { name },
    spec: { initContainers: initContainers.map(c => ({ name: c })) },
    status: {
        conditions: [{ type: "Ready", status: ready ? "True" : "False", reason: ready ? undefined : "ContainersNotReady" }],
        containerStatuses: [{ name: "app", ready, restartCount, ...(restartCount > 0 && {
            state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { reason: "Error", exitCode: 1 } } }) }],
    },
});

/** Reads that replay a script of (workload, pods) observations, repeating the last one. */
function scripted(steps: Array<[WorkloadObject, PodObject[]]>): GateReads {
    let i = 0;
    let current = steps[0];
    return {
        workload: async () => { current = steps[Math.min(i++, steps.length - 1)]; return current[0]; },
        newPods: async () => current[1],
    };
}

describe("runGate", () => {
    it("waits for the rollout, then soaks polling every pollSeconds and passes", async () => {
        const clock = fakeClock();
        const healthy = [pod("order-1", true), pod("order-2", true)];
        await expect(runGate(target, scripted([[rolling, [pod("order-1", false)]], [rolled, healthy]]), clock)).resolves.toBe(2);
        expect(clock.sleeps).toEqual([10_000, 10_000, 10_000, 10_000]);
    });

    it("fails fast when a new pod restarts during the rollout, naming the app, the pod and the reason", async () => {
        const reads = scripted([[rolling, [pod("order-1", true), pod("order-2", false, 2)]]]);
        await expect(runGate(target, reads, fakeClock())).rejects.toMatchObject({ name: "GateError", app: "shop/order", reason: "restarts",
            details: ["pod order-2 container app restarted 2 times (CrashLoopBackOff, last exit Error code 1)"] });
        await expect(runGate(target, reads, fakeClock())).rejects.toThrow(
            "shop/order failed the health gate (restarts): pod order-2 container app restarted 2 times (CrashLoopBackOff, last exit Error code 1). " +
            "The new pod template stays applied; the other apps of this update keep theirs. " +
            "To restore shop/order: pulumi config set --path 'apps[\"shop/order\"].mode' skywalking, then pulumi up.");
    });

    it("fails with a timeout when the rollout does not finish in rolloutTimeoutSeconds", async () => {
        await expect(runGate(target, scripted([[rolling, [pod("order-1", false)]]]), fakeClock())).rejects.toThrow(
            "shop/order failed the health gate (timeout): rollout not complete after 60s: 1 of 2 pods updated, 2 ready, 2 available, 2 old; pod order-1 is not Ready (ContainersNotReady).");
    });

    it("fails when a pod turns un-Ready during the soak", async () => {
        const reads = scripted([[rolled, [pod("order-1", true)]], [rolled, [pod("order-1", true)]], [rolled, [pod("order-1", false)]]]);
        await expect(runGate(target, reads, fakeClock())).rejects.toThrow("shop/order failed the health gate (not ready): pod order-1 is not Ready (ContainersNotReady).");
    });

    it("fails when the operator did not inject a new pod (its webhook is fail-open), unless the check is off", async () => {
        const uninjected = scripted([[rolled, [pod("order-1", true, 0, [])]]]);
        await expect(runGate(target, uninjected, fakeClock())).rejects.toThrow(
            "shop/order failed the health gate (not injected): pod order-1 has no opentelemetry-auto-instrumentation-java init container, so no OTel agent " +
            "(the operator's webhook is fail-open: is the operator running and the Instrumentation ref right?).");
        await expect(runGate({ ...target, injectedInitContainer: "" }, uninjected, fakeClock())).resolves.toBe(1);
    });

    it("fails at once when the Deployment reports ProgressDeadlineExceeded", async () => {
        const stuck = { ...rolling, status: { ...rolling.status, conditions: [{ type: "Progressing", reason: "ProgressDeadlineExceeded" }] } };
        await expect(runGate(target, scripted([[stuck, []]]), fakeClock())).rejects.toThrow(
            "shop/order failed the health gate (timeout): the Deployment's progressDeadlineSeconds passed (ProgressDeadlineExceeded): 1 of 2 pods updated, 2 ready, 2 available, 2 old.");
    });

    describe("SkyWalking in the new pods", () => {
        const check = { language: "java" as const, container: "order", agents: { "/opt/apm/agent.jar": "skywalking" as const } };
        const OTEL = " -javaagent:/otel-auto-instrumentation-java/javaagent.jar";
        const withApp = (name: string, env: Array<{ name: string; value: string }>, initContainers: string[]): PodObject => {
            const base = pod(name, true, 0, initContainers);
            return { ...base, spec: { ...base.spec, containers: [{ name: "order", env }] } };
        };

        it("fails with skywalking still loaded when a webhook put the agent back, naming the pod and the words", async () => {
            const readded = withApp("order-1", [{ name: "JAVA_TOOL_OPTIONS", value: `-javaagent:/sky/agent/skywalking-agent.jar${OTEL}` }],
                ["inject-skywalking-agent", "opentelemetry-auto-instrumentation-java"]);
            await expect(runGate({ ...target, skywalkingCheck: check }, scripted([[rolled, [readded]]]), fakeClock())).rejects.toMatchObject({
                reason: "skywalking still loaded",
                details: ["pod order-1 still loads SkyWalking (env JAVA_TOOL_OPTIONS: -javaagent:/sky/agent/skywalking-agent.jar; initContainer inject-skywalking-agent copies the agent)"],
            });
        });

        it("fails on an agent the person decided is SkyWalking, under any path", async () => {
            const readded = withApp("order-1", [{ name: "JAVA_OPTS", value: "-javaagent:/opt/apm/agent.jar -Xmx1g" }], ["opentelemetry-auto-instrumentation-java"]);
            await expect(runGate({ ...target, skywalkingCheck: check }, scripted([[rolled, [readded]]]), fakeClock())).rejects.toThrow(
                "shop/order failed the health gate (skywalking still loaded): pod order-1 still loads SkyWalking (env JAVA_OPTS: -javaagent:/opt/apm/agent.jar).");
        });

        it("passes pods that run only the operator's agent, and skips the check without a target", async () => {
            const clean = withApp("order-1", [{ name: "JAVA_TOOL_OPTIONS", value: OTEL.trim() }, { name: "SW_AGENT_NAME", value: "order" }], ["opentelemetry-auto-instrumentation-java"]);
            await expect(runGate({ ...target, skywalkingCheck: check }, scripted([[rolled, [clean]]]), fakeClock())).resolves.toBe(1);
            const readded = withApp("order-1", [{ name: "JAVA_OPTS", value: "-javaagent:/opt/apm/agent.jar" }], ["opentelemetry-auto-instrumentation-java"]);
            await expect(runGate(target, scripted([[rolled, [readded]]]), fakeClock())).resolves.toBe(1);
        });
    });
});
