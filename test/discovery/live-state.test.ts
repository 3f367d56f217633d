import { assessApp, detectWorkload, LiveWorkload } from "../../discovery";
import { AppConfig, appSchema } from "../../config/apps";
import { loadWorkloadFixture } from "./fixtures";

/** The inventory entry discovery writes for a corpus manifest, in the given mode. */
function inventoryEntry(fixture: string, mode: "skywalking" | "bridge" | "otel"): AppConfig {
    const { kind, workload } = loadWorkloadFixture(fixture);
    const detection = detectWorkload(kind, workload);
    if (detection.verdict !== "skywalking") throw new Error(`${fixture} is not a SkyWalking fixture`);
    return appSchema.parse({ mode, ...detection.app });
}

const ready = { observedGeneration: 2, replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2 };

/** The init-copier app with the agent in JVM options, as it runs before any flip. */
function liveProduce(status = ready): LiveWorkload {
    const { workload } = loadWorkloadFixture("init-copier-jvm-opts");
    return { ...workload, metadata: { ...workload.metadata, generation: 2 }, status };
}

/** produce after skyshift's flip: inject annotation, agent flag gone, agent copy switched off. */
function flippedProduce(): LiveWorkload {
    const live = structuredClone(liveProduce());
    const template = live.spec!.template;
    template.metadata!.annotations = { "instrumentation.opentelemetry.io/inject-java": "observability/skyshift" };
    template.spec!.initContainers![0].command = ["/bin/sh", "-c"];
    template.spec!.initContainers![0].args = ["echo 'skyshift: SkyWalking agent copy disabled (otel mode)'"];
    const app = template.spec!.containers[0];
    app.env = app.env!.map(e => e.name === "JVM_OPTS" ? { ...e, value: "-Xms512m -Xmx512m" } : e);
    return live;
}

const AGENT_IN_JVM_OPTS = "env JVM_OPTS: -javaagent:/usr/skywalking/agent/skywalking-agent.jar";
const AGENT_COPY = "initContainer skywalking-agent copies the agent";

describe("assessApp", () => {
    test.each([
        {
            name: "skywalking app running its SkyWalking spec",
            mode: "skywalking" as const, live: liveProduce(),
            expected: { key: "shop/produce", mode: "skywalking", injectAnnotation: undefined, skywalking: [AGENT_IN_JVM_OPTS, AGENT_COPY], backend: "the agent\'s default", rollout: "ready" },
        },
        {
            name: "otel app running the flipped spec",
            mode: "otel" as const, live: flippedProduce(),
            expected: { key: "shop/produce", mode: "otel", injectAnnotation: "observability/skyshift", skywalking: [], backend: "the agent\'s default", rollout: "ready" },
        },
        {
            name: "otel app whose release pipeline re-deployed the SkyWalking spec",
            mode: "otel" as const, live: liveProduce(),
            expected: {
                key: "shop/produce", mode: "otel", injectAnnotation: undefined, skywalking: [AGENT_IN_JVM_OPTS, AGENT_COPY], backend: "the agent\'s default", rollout: "ready",
                drift: `config says otel, but no instrumentation.opentelemetry.io/inject-java annotation and SkyWalking loads again (${AGENT_IN_JVM_OPTS}; ${AGENT_COPY})`,
            },
        },
        {
            name: "skywalking app that still carries the OTel spec (rolled back in config, not yet applied)",
            mode: "skywalking" as const, live: flippedProduce(),
            expected: {
                key: "shop/produce", mode: "skywalking", injectAnnotation: "observability/skyshift", skywalking: [], backend: "the agent\'s default", rollout: "ready",
                drift: `config says skywalking, but instrumentation.opentelemetry.io/inject-java: "observability/skyshift" is set and nothing loads SkyWalking any more`,
            },
        },
        {
            name: "rollout in progress",
            mode: "skywalking" as const, live: liveProduce({ ...ready, observedGeneration: 1, updatedReplicas: 1, readyReplicas: 1 }),
            expected: { key: "shop/produce", mode: "skywalking", injectAnnotation: undefined, skywalking: [AGENT_IN_JVM_OPTS, AGENT_COPY], backend: "the agent\'s default", rollout: "rolling out (1/2 updated, 1/2 ready, spec change not yet observed)" },
        },
        {
            name: "workload gone",
            mode: "otel" as const, live: undefined,
            expected: { key: "shop/produce", mode: "otel", skywalking: [], rollout: "not found", drift: "Deployment not found — run discover to mark it, or remove the entry" },
        },
    ])("$name", ({ mode, live, expected }) => {
        expect(assessApp("shop/produce", inventoryEntry("init-copier-jvm-opts", mode), live)).toEqual(expected);
    });

    test("an app whose image loads the agent counts as SkyWalking while it runs the original image", () => {
        const app = inventoryEntry("sw-env-only-baked-image", "otel");
        const { workload } = loadWorkloadFixture("sw-env-only-baked-image");
        const annotated = structuredClone(workload);
        annotated.spec!.template.metadata!.annotations = { "instrumentation.opentelemetry.io/inject-java": "observability/skyshift" };
        expect(assessApp("finance/legacy-report", app, annotated).drift)
            .toBe("config says otel, but SkyWalking loads again (image registry.corp/finance/legacy-report:2019.11 (it loads the agent itself))");
    });

    test.each([
        ["valuefrom-java-tool-options", "finance/ledger", ["env JAVA_TOOL_OPTIONS from configMapKeyRef ledger-jvm/java-tool-options (not visible here)"]],
        ["custom-env-name", "shop/notify", ["env APP_JAVA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar, -Dskywalking.agent.service_name"]],
    ])("%s: an agent flag discovery could only point at still counts as SkyWalking", (fixture, key, loaders) => {
        const { workload } = loadWorkloadFixture(fixture);
        const status = assessApp(key, inventoryEntry(fixture, "skywalking"), workload);
        expect(status.skywalking).toEqual(loaders);
        expect(status.drift).toBeUndefined();
    });

    test("SWCK apps: the label decides", () => {
        const app = inventoryEntry("swck-label", "otel");
        const { workload } = loadWorkloadFixture("swck-label");
        expect(assessApp("shop/cart", app, workload).skywalking).toEqual([`label swck-java-agent-injected: "true"`]);
    });

    describe("bridge mode", () => {
        const RECEIVER = "otel-collector.observability:11800";
        const targets = { skywalkingReceiverAddress: RECEIVER };
        /** produce after the bridge flip: the agent as it was, SW_AGENT_COLLECTOR_BACKEND_SERVICES added (it set no address). */
        function bridgedProduce(): LiveWorkload {
            const live = structuredClone(liveProduce());
            live.spec!.template.spec!.containers[0].env!.push({ name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: RECEIVER });
            return live;
        }

        test.each([
            { name: "bridge app running the bridged spec", mode: "bridge" as const, live: bridgedProduce(), targets, drift: undefined, backend: RECEIVER },
            { name: "bridge app still on its SkyWalking spec", mode: "bridge" as const, live: liveProduce(), targets, backend: "the agent's default",
                drift: `config says bridge, but its agent reports to the agent's default, not the collector's skywalking receiver ${RECEIVER}` },
            { name: "bridge app while the receiver is off", mode: "bridge" as const, live: bridgedProduce(), targets: {}, backend: RECEIVER,
                drift: "config says bridge, but collector.skywalkingReceiver is off in the stack config" },
            { name: "bridge app that got the OTel spec", mode: "bridge" as const, live: flippedProduce(), targets, backend: "the agent's default",
                drift: `config says bridge, but instrumentation.opentelemetry.io/inject-java: "observability/skyshift" is set and nothing loads SkyWalking any more and its agent reports to the agent's default, not the collector's skywalking receiver ${RECEIVER}` },
            { name: "skywalking app still reporting to the collector", mode: "skywalking" as const, live: bridgedProduce(), targets, backend: RECEIVER,
                drift: `config says skywalking, but its agent still reports to the collector's skywalking receiver ${RECEIVER}` },
        ])("$name", ({ mode, live, targets: given, drift, backend }) => {
            const status = assessApp("shop/produce", inventoryEntry("init-copier-jvm-opts", mode), live, [], given);
            expect(status.drift).toBe(drift);
            expect(status.backend).toBe(backend);
        });
    });
});
