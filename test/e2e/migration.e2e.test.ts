/**
 * The flip end to end on the lab: Deployments wired for SkyWalking the common ways, a real engine and provider, the AppFlip's gate against
 * kwok's simulated pods. Runs a small program of its own (migrateApps only) with no collector; the operator that
 * `lab:up` runs injects the flipped apps' new pods through an Instrumentation of the test's own, and the gates
 * check that injection (migration.verifyInjection defaults to true).
 */
import { applyManifest, createStack, KubeObject, kubectl, LabStack, migrateAppsProgram, readObject, waitForNamespaceGone, labInstrumentation } from "./harness";
import { livePods, rolledOut as rolledOutIn } from "./lab-pods";

const NS = "skyshift-mig";
const REF = `${NS}/skyshift`;
const AGENT = "-javaagent:/skywalking/agent/skywalking-agent.jar=agent.service_name=order";

const INSTRUMENTATION = labInstrumentation(NS, { propagators: ["tracecontext", "baggage"] });
const INJECTED = "opentelemetry-auto-instrumentation-java";

type Container = { name: string; image: string; env?: Array<{ name: string; value: string }>; command?: string[]; args?: string[] };
type Deployment = KubeObject & {
    metadata: { name: string; generation: number };
    spec: { replicas: number; template: { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: Container[]; initContainers?: Container[] } } };
    status?: { observedGeneration?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; replicas?: number };
};

function deployment(name: string, replicas: number, containers: Container[], extra: { initContainers?: Container[]; labels?: Record<string, string> } = {}): KubeObject {
    return {
        apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: NS },
        spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name, ...extra.labels } }, spec: { containers, ...(extra.initContainers && { initContainers: extra.initContainers }) } },
        },
    };
}

const CATALINA_OPTS = `-Xms1g ${AGENT} -Dskywalking.collector.backend_service=oap:11800 -Dfile.encoding=UTF-8`;
const workloads = [
    deployment("order", 2, [{ name: "order", image: "registry.lab/shop/order:1.0", env: [
        { name: "SW_AGENT_NAME", value: "order" }, { name: "CATALINA_OPTS", value: CATALINA_OPTS }, { name: "TZ", value: "Asia/Shanghai" }] }]),
    deployment("backend", 1, [{ name: "backend", image: "registry.lab/shop/backend:1.0", env: [{ name: "JAVA_OPTS", value: " -Xmx4096m -Xms2048m" }] }],
        { initContainers: [{ name: "init-skywalking-agent", image: "registry.lab/skywalking-java-agent:8.7.0", command: ["/bin/sh"], args: ["-c", "cp -R /skywalking/agent /agent"] }] }),
    deployment("crashy", 1, [{ name: "crashy", image: "registry.lab/shop/crashy:1.0", env: [{ name: "JAVA_TOOL_OPTIONS", value: AGENT }] }],
        { labels: { "skyshift.lab/crashy": "true" } }),
];

/** The inventory file, as discovery writes it for these workloads. */
const inventory = {
    [`${NS}/order`]: { container: "order", serviceName: "order", agentIn: { env: ["CATALINA_OPTS"] }, original: { env: { CATALINA_OPTS } } },
    [`${NS}/backend`]: { container: "backend", serviceName: "backend",
        agentIn: { initContainer: "init-skywalking-agent" }, original: { initContainerCommand: ["/bin/sh"], initContainerArgs: ["-c", "cp -R /skywalking/agent /agent"] } },
    [`${NS}/crashy`]: { container: "crashy", agentIn: { env: ["JAVA_TOOL_OPTIONS"] }, original: { env: { JAVA_TOOL_OPTIONS: AGENT } } },
    // Straight out of discover: its image loads the agent and the stack names no registry. It must not block the others.
    [`${NS}/baked`]: { container: "baked", rebuildImage: true, original: { image: "registry.lab/shop/baked:1.0" } },
};
type Modes = { order?: string; backend?: string; crashy?: string; baked?: string };
/** Stack config: settings and the per-app decisions people make (apps without one stay in skywalking). */
const stackConfig = (modes: Modes, maxAppsPerUpdate = 2) => ({
    collector: { exporters: [{ name: "debug", kind: "debug" }] },
    migration: { soakSeconds: 3, pollSeconds: 1, rolloutTimeoutSeconds: 60, maxAppsPerUpdate, },
    apps: Object.fromEntries(Object.entries(modes).map(([name, mode]) => [`${NS}/${name}`, { mode }])),
});

/** The AppFlip of one app in `--diff` text (its URN line). */
const flipOf = (name: string) => `pulumi-nodejs:dynamic/skyshift:AppFlip::${NS}/${name}]`;
const revision = (d: Deployment) => (d.metadata as { annotations?: Record<string, string> }).annotations?.["deployment.kubernetes.io/revision"];
const read = (name: string) => readObject<Deployment>("apps/v1", "Deployment", NS, name);

type Pod = KubeObject & { metadata: { deletionTimestamp?: string }; spec: { initContainers?: Container[]; containers: Container[] } };

const rolledOut = (name: string) => rolledOutIn<Deployment>(NS, name);
const pods = (name: string) => livePods<Pod>(NS, name);

describe("the flip on the lab", () => {
    let stack: LabStack;
    const before: Record<string, Deployment> = {};

    beforeAll(async () => {
        // A namespace left terminating by an earlier run would refuse the new Deployments.
        await waitForNamespaceGone(NS, 120_000);
        await kubectl(["create", "namespace", NS]);
        await applyManifest([INSTRUMENTATION, ...workloads]);
        for (const name of ["order", "backend"]) before[name] = await rolledOut(name);
        before.crashy = (await read("crashy"))!;
        stack = await createStack("migration", stackConfig({}), { projectDir: migrateAppsProgram(REF) });
        stack.setInventory(inventory);
    });

    afterAll(async () => {
        await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
    });

    it("adopts every app in skywalking mode without touching a pod template; an app that cannot be managed is left out with its fix", async () => {
        // The warning naming its fix goes to the engine's diagnostics, which the preview's diff text leaves out
        // (the unit tests check its text); here: it is not declared, and the others are.
        const { diff } = await stack.preview();
        expect(diff).toContain(flipOf("order"));
        expect(diff).not.toContain(flipOf("baked"));
        await stack.up();
        for (const name of ["order", "backend", "crashy"]) {
            const now = (await read(name))!;
            // Same generation and revision: no new ReplicaSet, no pod rolled.
            expect([name, now.metadata.generation, revision(now), now.spec.template])
                .toEqual([name, before[name].metadata.generation, revision(before[name]), before[name].spec.template]);
        }
        // Nothing left to do: the owned fields are compared by key, not by list position; the first refresh is clean too.
        await stack.preview(true);
        await stack.refresh(true);
        expect((await stack.outputs()).appModes.value).toEqual({ [`${NS}/backend`]: "skywalking", [`${NS}/crashy`]: "skywalking", [`${NS}/order`]: "skywalking" });
    });

    it("a selector flips the apps it matches, per-app decisions win over it, and preview names exactly those; an app with problems it matches fails by name", async () => {
        await stack.setConfig({ ...stackConfig({ backend: "skywalking" }), selectors: [{ match: `${NS}/*`, mode: "otel" }] });
        await expect(stack.preview()).rejects.toThrow(/imageRebuild.registry: is required while 1 app\(s\) in otel mode have rebuildImage: true \(skyshift-mig\/baked\)/);
        await stack.setConfig({ ...stackConfig({ backend: "skywalking", crashy: "skywalking", baked: "skywalking" }), selectors: [{ match: `${NS}/*`, mode: "otel" }] });
        const { changes, diff } = await stack.preview();
        // order's AppFlip and the wave's record of modes.
        expect(changes.update).toBe(2);
        expect(diff).toContain(flipOf("order"));
        expect(diff).not.toContain(flipOf("backend"));
        expect(diff).not.toContain(flipOf("crashy"));
        await stack.setConfig(stackConfig({}));
    });

    it("flip one: preview names only it, up rewrites its template field by field and the rollout completes", async () => {
        await stack.setConfig(stackConfig({ order: "otel" }));
        const { changes, diff } = await stack.preview();
        // order's AppFlip and the wave's record of modes.
        expect(changes.update).toBe(2);
        expect(diff).toContain(flipOf("order"));
        expect(diff).toMatch(/~ "?skyshift-mig\/order"?\s*: "skywalking" => "otel"/);
        expect(diff).not.toContain(flipOf("backend"));
        expect(diff).not.toContain(flipOf("crashy"));
        await stack.up();
        const order = await rolledOut("order");
        expect(order.spec.template.metadata.annotations).toEqual({
            "instrumentation.opentelemetry.io/inject-java": REF, "instrumentation.opentelemetry.io/java-container-names": "order" });
        expect(order.spec.template.spec.containers[0].env).toEqual([
            { name: "SW_AGENT_NAME", value: "order" },
            { name: "CATALINA_OPTS", value: "-Xms1g -Dfile.encoding=UTF-8" },
            { name: "TZ", value: "Asia/Shanghai" },
            { name: "OTEL_SERVICE_NAME", value: "order" },
        ]);
        expect(order.spec.template.spec.containers[0].image).toBe("registry.lab/shop/order:1.0");
        // The operator injected the new pods (the gate checked it too): its init container and the agent env.
        const injected = await pods("order");
        expect(injected).toHaveLength(2);
        for (const pod of injected) {
            expect(pod.spec.initContainers?.map((c) => c.name)).toEqual([INJECTED]);
            const env = Object.fromEntries((pod.spec.containers[0].env ?? []).map((e) => [e.name, e.value]));
            expect(env.JAVA_TOOL_OPTIONS).toMatch(/^ ?-javaagent:\/otel-auto-instrumentation-java[a-z-]*\/javaagent\.jar$/);
            expect(env).toMatchObject({ OTEL_SERVICE_NAME: "order", OTEL_EXPORTER_OTLP_ENDPOINT: INSTRUMENTATION.spec.exporter.endpoint,
                CATALINA_OPTS: "-Xms1g -Dfile.encoding=UTF-8" });
        }
        // Apps left in skywalking mode are not injected.
        for (const pod of await pods("backend")) expect(pod.spec.initContainers?.map((c) => c.name)).toEqual(["init-skywalking-agent"]);
        await stack.preview(true);
        // Nothing reads the stack's own outputs: the first refresh after the flip finds nothing to change.
        await stack.refresh(true);
        expect(revision((await read("backend"))!)).toBe(revision(before.backend));
    });

    it("drift: a pipeline re-deploying the SkyWalking spec shows after refresh, and up repairs it", async () => {
        await applyManifest(workloads[0]);
        expect((await read("order"))!.spec.template.spec.containers[0].env).toContainEqual({ name: "CATALINA_OPTS", value: CATALINA_OPTS });
        await stack.refresh();
        const { changes, diff } = await stack.preview();
        expect(changes.update).toBe(1);
        expect(diff).toContain(flipOf("order"));
        await stack.up();
        expect((await rolledOut("order")).spec.template.spec.containers[0].env).toContainEqual({ name: "CATALINA_OPTS", value: "-Xms1g -Dfile.encoding=UTF-8" });
        await stack.preview(true);
    });

    it("flip back restores the original template byte for byte", async () => {
        await stack.setConfig(stackConfig({}));
        await stack.up();
        const order = await rolledOut("order");
        expect(JSON.stringify(order.spec.template)).toBe(JSON.stringify(before.order.spec.template));
    });

    it("an initContainer-copied agent: the copy is disabled in otel mode and restored after", async () => {
        await stack.setConfig(stackConfig({ backend: "otel" }));
        await stack.up();
        const backend = await rolledOut("backend");
        expect(backend.spec.template.spec.initContainers![0]).toMatchObject({ name: "init-skywalking-agent", command: ["/bin/sh", "-c"],
            args: ["echo 'skyshift: SkyWalking agent copy disabled (otel mode)'"] });
        await stack.setConfig(stackConfig({}));
        await stack.up();
        expect(JSON.stringify((await rolledOut("backend")).spec.template)).toBe(JSON.stringify(before.backend.spec.template));
    });

    it("refuses more flips than migration.maxAppsPerUpdate before touching anything", async () => {
        await stack.setConfig(stackConfig({ order: "otel", backend: "otel" }, 1));
        await expect(stack.preview()).rejects.toThrow(/this update would flip 2 apps but migration.maxAppsPerUpdate is 1:[\s\S]*pulumi config set --path 'apps\["skyshift-mig\/order"\].mode' skywalking/);
        expect((await read("order"))!.spec.template.metadata.annotations).toBeUndefined();
    });

    it("apps of one update roll together: a crashy one fails the gate by name, the healthy one is done and stays done", async () => {
        await stack.setConfig(stackConfig({ order: "otel", crashy: "otel" }));
        await expect(stack.up()).rejects.toThrow(/skyshift-mig\/crashy failed the health gate \(restarts\): pod crashy-[a-z0-9]+-[a-z0-9]+ container crashy restarted/);
        expect((await rolledOut("order")).spec.template.metadata.annotations?.["instrumentation.opentelemetry.io/inject-java"]).toBe(REF);
        // The next step the message names: flip the failed app back. The healthy app's flip is recorded as done.
        await stack.setConfig(stackConfig({ order: "otel" }));
        const { diff } = await stack.preview();
        expect(diff).toContain(flipOf("crashy"));
        expect(diff).not.toContain(flipOf("order"));
        // Flipping back is not gated (the originals are what ran before), so it succeeds although the app still crashes.
        await stack.up();
        const crashy = (await read("crashy"))!;
        expect(crashy.spec.template.spec.containers[0].env).toEqual([{ name: "JAVA_TOOL_OPTIONS", value: AGENT }]);
    });

    it("the gate fails an app whose new pods the operator did not inject, and names the cause", async () => {
        // Without its Instrumentation the operator's fail-open webhook lets the pods through unchanged.
        await kubectl(["delete", "instrumentation.opentelemetry.io", "skyshift", "-n", NS]);
        await stack.setConfig(stackConfig({ order: "otel", backend: "otel" }));
        await expect(stack.up()).rejects.toThrow(
            /skyshift-mig\/backend failed the health gate \(not injected\): pod backend-[a-z0-9]+-[a-z0-9]+ has no opentelemetry-auto-instrumentation-java init container/);
        await stack.setConfig(stackConfig({ order: "otel" }));
        await stack.up();
        expect(JSON.stringify((await rolledOut("backend")).spec.template)).toBe(JSON.stringify(before.backend.spec.template));
    });
});
