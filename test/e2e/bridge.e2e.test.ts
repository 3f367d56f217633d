/**
 * Bridge mode on the lab, at pod-spec level: a Java app (the SkyWalking agent in JAVA_TOOL_OPTIONS with
 * `-Dskywalking.collector.backend_service`) and a Python app (`sw-python run`, SW_AGENT_COLLECTOR_BACKEND_SERVICES)
 * are discovered from the live API objects, flipped skywalking → bridge → otel → skywalking and in other orders by
 * the real engine, and their live pod templates checked after each flip. The program declares the collector too
 * (the Collector component with `collector.skywalkingReceiver`), so the operator's real CRD and webhook accept it and
 * the operator puts the receiver's ports on the collector Service. Spans through the receiver are the telemetry
 * tests' to prove; the Java agent is proven at pod-spec level only (Maven Central has no SkyWalking Java agent with
 * plugins, see docs/migration.md).
 */
import { detectWorkload, DiscoveredApp } from "../../discovery";
import { applyManifest, createStack, KubeObject, kubectl, LabStack, labInstrumentation, migrateAppsProgram, readObject, waitFor, waitForNamespaceGone } from "./harness";
import { livePods, rolledOut as rolledOutIn } from "./lab-pods";

const NS = "skyshift-bridge";
const REF = `${NS}/skyshift`;
const RECEIVER = `otel-collector.${NS}:11800`;
const CONTRIB = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.140.1";
const JAVA_TOOL_OPTIONS = "-javaagent:/skywalking/agent/skywalking-agent.jar -Dskywalking.collector.backend_service=oap.skywalking:11800 -Xmx512m";

type Container = { name: string; image: string; env?: Array<{ name: string; value: string }>; command?: string[]; args?: string[] };
type Template = { metadata: { labels: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: Container[]; initContainers?: Container[] } };
type Deployment = KubeObject & { metadata: { name: string; generation: number }; spec: { replicas: number; template: Template };
    status?: { observedGeneration?: number; updatedReplicas?: number; readyReplicas?: number; replicas?: number } };
type Pod = KubeObject & { metadata: { deletionTimestamp?: string }; spec: { initContainers?: Container[]; containers: Container[] } };

function deployment(name: string, container: Container): KubeObject {
    return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: NS }, spec: {
        replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container] } } } };
}

const workloads = [
    deployment("ledger", { name: "ledger", image: "registry.lab/finance/ledger:1.0", env: [
        { name: "SW_AGENT_NAME", value: "ledger" }, { name: "JAVA_TOOL_OPTIONS", value: JAVA_TOOL_OPTIONS }, { name: "TZ", value: "UTC" }] }),
    deployment("ranker", { name: "ranker", image: "registry.lab/ml/ranker:1.0", command: ["sw-python", "run", "python", "app.py"], env: [
        { name: "SW_AGENT_NAME", value: "ranker" }, { name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap.skywalking:11800" }] }),
];

const stackConfig = (modes: { ledger?: string; ranker?: string }, receiver = true) => ({
    platform: { namespace: NS },
    collector: { name: "otel", mode: "deployment", image: CONTRIB, ...(receiver && { skywalkingReceiver: {} }), exporters: [{ name: "debug", kind: "debug" }] },
    migration: { soakSeconds: 2, pollSeconds: 1, rolloutTimeoutSeconds: 60, maxAppsPerUpdate: 2 },
    apps: Object.fromEntries(Object.entries(modes).map(([name, mode]) => [`${NS}/${name}`, { mode }])),
});

const read = (name: string) => readObject<Deployment>("apps/v1", "Deployment", NS, name);

const rolledOut = (name: string) => rolledOutIn<Deployment>(NS, name);
const pods = (name: string) => livePods<Pod>(NS, name);

const envOf = (d: Deployment) => d.spec.template.spec.containers[0].env;

describe("bridge mode on the lab", () => {
    let stack: LabStack;
    const before: Record<string, Deployment> = {};
    const discovered: Record<string, DiscoveredApp> = {};

    beforeAll(async () => {
        await waitForNamespaceGone(NS, 120_000);
        await kubectl(["create", "namespace", NS]);
        await applyManifest([labInstrumentation(NS), ...workloads]);
        for (const name of ["ledger", "ranker"]) {
            before[name] = await rolledOut(name);
            const detection = detectWorkload("Deployment", before[name]);
            if (detection.verdict !== "skywalking") throw new Error(`${name}: discovery did not find SkyWalking: ${JSON.stringify(detection)}`);
            discovered[`${NS}/${name}`] = detection.app;
        }
        stack = await createStack("bridge", stackConfig({}), { projectDir: migrateAppsProgram(REF, { withCollector: true }) });
        stack.setInventory(discovered);
    });

    afterAll(async () => {
        try {
            await stack?.destroy();
        } finally {
            await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
        }
    });

    it("discovery records where each app sets its backend address", () => {
        expect(discovered[`${NS}/ledger`].backendAddress).toEqual({ source: "systemProperty", where: "env", envName: "JAVA_TOOL_OPTIONS", value: "oap.skywalking:11800" });
        expect(discovered[`${NS}/ranker`].backendAddress).toEqual({ source: "env", where: "env", envName: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap.skywalking:11800" });
    });

    it("the OpenTelemetryCollector with the skywalking receiver is accepted, and the operator puts 11800 and 12800 on its Service", async () => {
        await stack.up();
        expect((await stack.outputs()).collectorSkywalkingGrpcAddress.value).toBe(RECEIVER);
        const collector = await readObject<any>("opentelemetry.io/v1beta1", "OpenTelemetryCollector", NS, "otel");
        expect(collector?.spec.config.receivers.skywalking).toEqual({ protocols: { grpc: { endpoint: "0.0.0.0:11800" }, http: { endpoint: "0.0.0.0:12800" } } });
        expect(collector?.spec.config.service.pipelines.traces.receivers).toEqual(["otlp", "skywalking"]);
        const service = await waitFor(async () => {
            const svc = await readObject<any>("v1", "Service", NS, "otel-collector");
            return svc?.spec.ports.some((p: { port: number }) => p.port === 11800) ? svc : undefined;
        }, 60_000, "otel-collector Service with the skywalking ports");
        expect(service.spec.ports.map((p: { name: string; port: number; targetPort: number }) => [p.name, p.port, p.targetPort]))
            .toEqual(expect.arrayContaining([["skywalking-grpc", 11800, 11800], ["skywalking-http", 12800, 12800], ["otlp-grpc", 4317, 4317], ["otlp-http", 4318, 4318]]));
        for (const name of ["ledger", "ranker"]) expect(JSON.stringify((await read(name))!.spec.template)).toBe(JSON.stringify(before[name].spec.template));
    });

    it("bridge without the receiver is refused at preview, naming the app and the key", async () => {
        await stack.setConfig(stackConfig({ ledger: "bridge" }, false));
        await expect(stack.preview()).rejects.toThrow(/apps\["skyshift-bridge\/ledger"\]\.mode: bridge needs the collector's skywalking receiver, which is off — set collector\.skywalkingReceiver/);
    });

    it("skywalking → bridge: only the backend address changes, the agent stays, no inject annotation, pods not injected", async () => {
        await stack.setConfig(stackConfig({ ledger: "bridge", ranker: "bridge" }));
        const { diff } = await stack.preview();
        expect(diff).toMatch(/"?skyshift-bridge\/ledger"?\s*: "skywalking" => "bridge"/);
        await stack.up();
        const ledger = await rolledOut("ledger");
        expect(ledger.spec.template.metadata.annotations).toBeUndefined();
        expect(envOf(ledger)).toEqual([
            { name: "SW_AGENT_NAME", value: "ledger" },
            { name: "JAVA_TOOL_OPTIONS", value: `-javaagent:/skywalking/agent/skywalking-agent.jar -Dskywalking.collector.backend_service=${RECEIVER} -Xmx512m` },
            { name: "TZ", value: "UTC" },
        ]);
        const ranker = await rolledOut("ranker");
        expect(ranker.spec.template.metadata.annotations).toBeUndefined();
        expect(ranker.spec.template.spec.containers[0].command).toEqual(["sw-python", "run", "python", "app.py"]);
        expect(envOf(ranker)).toEqual([{ name: "SW_AGENT_NAME", value: "ranker" }, { name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: RECEIVER }]);
        for (const name of ["ledger", "ranker"]) {
            const running = await pods(name);
            expect(running.length).toBeGreaterThan(0);
            for (const pod of running) expect(pod.spec.initContainers ?? []).toEqual([]);
        }
        await stack.preview(true);
        expect((await stack.outputs()).appModes.value).toEqual({ [`${NS}/ledger`]: "bridge", [`${NS}/ranker`]: "bridge" });
    });

    it("bridge → otel: the agent goes, the operator injects, the original backend setting is back where it stays", async () => {
        await stack.setConfig(stackConfig({ ledger: "otel", ranker: "otel" }));
        await stack.up();
        const ledger = await rolledOut("ledger");
        expect(ledger.spec.template.metadata.annotations?.["instrumentation.opentelemetry.io/inject-java"]).toBe(REF);
        expect(envOf(ledger)).toContainEqual({ name: "JAVA_TOOL_OPTIONS", value: "-Xmx512m" });
        const ranker = await rolledOut("ranker");
        expect(ranker.spec.template.spec.containers[0].command).toEqual(["python", "app.py"]);
        expect(envOf(ranker)).toContainEqual({ name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap.skywalking:11800" });
        for (const pod of await pods("ledger")) expect(pod.spec.initContainers?.map(c => c.name)).toEqual(["opentelemetry-auto-instrumentation-java"]);
    });

    it("otel → skywalking restores both templates byte for byte", async () => {
        await stack.setConfig(stackConfig({}));
        await stack.up();
        for (const name of ["ledger", "ranker"]) expect(JSON.stringify((await rolledOut(name)).spec.template)).toBe(JSON.stringify(before[name].spec.template));
    });

    it("the other orders: skywalking → otel → bridge → skywalking, and bridge → skywalking, end byte for byte", async () => {
        await stack.setConfig(stackConfig({ ledger: "otel" }));
        await stack.up();
        await stack.setConfig(stackConfig({ ledger: "bridge", ranker: "bridge" }));
        await stack.up();
        const ledger = await rolledOut("ledger");
        expect(ledger.spec.template.metadata.annotations).toBeUndefined();
        expect(envOf(ledger)).toContainEqual({ name: "JAVA_TOOL_OPTIONS", value: `-javaagent:/skywalking/agent/skywalking-agent.jar -Dskywalking.collector.backend_service=${RECEIVER} -Xmx512m` });
        await stack.setConfig(stackConfig({}));
        await stack.up();
        for (const name of ["ledger", "ranker"]) expect(JSON.stringify((await rolledOut(name)).spec.template)).toBe(JSON.stringify(before[name].spec.template));
        await stack.preview(true);
    });
});
