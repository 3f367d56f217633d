/**
 * Telemetry that really flows, on the lab: the dev stack (index.ts, Pulumi.dev.yaml) creates the collector and the
 * Instrumentation; the lab's real collector runs the config read back from that OpenTelemetryCollector; a Java and
 * a Python app are flipped from SkyWalking to OTel with the real engine; the real operator injects their new pods;
 * the workload runner starts them as local processes with exactly the admitted pods' command and env; their spans
 * reach the lab's Jaeger and the DeepFlow peer through the collector, k8sattributes talking to the lab API server.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { FakeDeepFlowServer } from "../support/fake-deepflow-server/fake-deepflow-server";
import { LabCollector, startCollector } from "../lab/runner/collector";
import { JaegerSpan, jaegerSpans } from "../lab/runner/jaeger";
import { agentDirs, jaegerAddresses, LAB_IMAGES, labMapping, labRunDir, labServices } from "../lab/runner/lab-telemetry";
import { otlpTraceDecoder } from "../lab/runner/otlp-decode";
import { processSpec } from "../lab/runner/process-spec";
import { javaAgentFlags, LabProcess, peakMemoryMiB, procView, startProcess } from "../lab/runner/run";
import { applyManifest, createStack, KubeObject, kubectl, labEnv, LabStack, readObject, REPO_ROOT, waitFor, waitForNamespaceGone } from "./harness";
import { get, LabPod, readyPod as readyPodIn } from "./lab-pods";

const devConfig = (YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
const NS = "tele-shop";
const PLATFORM_NS = "observability";
const SW_AGENT = "-javaagent:/skywalking/agent/skywalking-agent.jar";
const JAVA_TOOL_OPTIONS = `-Xmx128m ${SW_AGENT}`;
const SW_PYTHON = ["sw-python", "run", "python3", "/app/app.py"];
const PORTS = { order: 18181, inventory: 18182 };

type Container = { name: string; image: string; command?: string[]; args?: string[]; env?: Array<{ name: string; value: string }> };
const deployment = (name: string, container: Container): KubeObject => ({
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: NS },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [container] } } },
});
const swEnv = (name: string) => [{ name: "SW_AGENT_NAME", value: name }, { name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap.skywalking:11800" }];
const workloads = [
    deployment("order", { name: "order", image: LAB_IMAGES.java, command: ["java", "-jar", "/app/order-service.jar"],
        env: [{ name: "PORT", value: String(PORTS.order) }, ...swEnv("order"), { name: "JAVA_TOOL_OPTIONS", value: JAVA_TOOL_OPTIONS }] }),
    deployment("inventory", { name: "inventory", image: LAB_IMAGES.python, command: SW_PYTHON,
        env: [{ name: "PORT", value: String(PORTS.inventory) }, ...swEnv("inventory")] }),
];

type Mode = "skywalking" | "otel";
/** The inventory file, as discovery writes it for these workloads. */
const inventory = {
    [`${NS}/order`]: { language: "java", container: "order", serviceName: "order", serviceNamespace: "shop", instanceName: "order-1",
        agentIn: { env: ["JAVA_TOOL_OPTIONS"] }, original: { env: { JAVA_TOOL_OPTIONS } } },
    [`${NS}/inventory`]: { language: "python", container: "inventory", serviceName: "inventory", serviceNamespace: "shop", instanceName: "inventory-1",
        agentIn: { command: true }, original: { command: SW_PYTHON } },
};
/** The dev stack's settings with both apps in `mode`, or (with a trace backend) only `order` in `mode`, checked by the trace gate. */
const stackConfig = (mode: Mode, verifyTraces?: { url: string }) => {
    if (!verifyTraces) return { ...devConfig, "skyshift:apps": { [`${NS}/order`]: { mode }, [`${NS}/inventory`]: { mode } } };
    const migration = { ...(devConfig["skyshift:migration"] as object),
        verifyTraces: { backend: { kind: "jaeger", url: verifyTraces.url }, apps: [`${NS}/order`], timeoutSeconds: 20 } };
    return { ...devConfig, "skyshift:migration": migration, "skyshift:apps": { [`${NS}/order`]: { mode }, [`${NS}/inventory`]: { mode: "skywalking" } } };
};

/** The app's one running, Ready pod of the Deployment's current template. */
const readyPod = (app: string) => readyPodIn(NS, app);

describe("telemetry on the lab: skyshift's collector, the operator's injection, spans in Jaeger and DeepFlow", () => {
    let stack: LabStack;
    let deepflow: FakeDeepFlowServer;
    let collector: LabCollector | undefined;
    const processes: LabProcess[] = [];
    const original: Record<string, LabPod> = {};
    const figures: Record<string, number> = {};
    let mapping: ReturnType<typeof labMapping>;

    beforeAll(async () => {
        const env = await labEnv();
        deepflow = await FakeDeepFlowServer.start();
        mapping = labMapping(labServices({ service: "otel-collector", namespace: PLATFORM_NS }, Number(new URL(deepflow.url).port)));
        for (const ns of [NS, PLATFORM_NS]) {
            await waitForNamespaceGone(ns, 180_000);
        }
        await kubectl(["create", "namespace", NS]);
        await applyManifest(workloads);
        for (const app of ["order", "inventory"]) original[app] = await readyPod(app);
        stack = await createStack("telemetry", stackConfig("skywalking"));
        stack.setInventory(inventory);
        expect(env.vars.KUBECONFIG).toBeTruthy();
    });

    afterAll(async () => {
        for (const p of processes) await p.stop();
        if (collector) {
            figures.collectorPeakMiB = Math.round(peakMemoryMiB(collector.pid));
            await collector.stop();
        }
        fs.writeFileSync(path.join(labRunDir(), "telemetry-figures.json"), JSON.stringify(figures, null, 2));
        console.log(`telemetry figures: ${JSON.stringify(figures)}`);
        await stack?.destroy();
        await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
        await deepflow?.close();
    });

    it("1. up of the dev stack; the lab collector runs the config read from the OpenTelemetryCollector it created", async () => {
        await stack.up();
        collector = await startCollector({
            namespace: PLATFORM_NS, name: "otel", services: mapping.services, kubeconfig: (await labEnv()).vars.KUBECONFIG,
            kubectl: (args) => kubectl(args),
        });
        const config = YAML.parse(fs.readFileSync(collector.configFile, "utf8"));
        const cr = await readObject<KubeObject & { spec: { config: Record<string, any> } }>("opentelemetry.io/v1beta1", "OpenTelemetryCollector", PLATFORM_NS, "otel");
        // Everything but the substituted endpoints is the CR's own config.
        expect(config.processors).toEqual(cr!.spec.config.processors);
        expect(config.service).toEqual(cr!.spec.config.service);
        expect(config.exporters["otlp/jaeger"].endpoint).toBe(jaegerAddresses().otlpGrpc);
        expect(config.exporters["otlphttp/deepflow"].traces_endpoint).toBe(`${deepflow.url}/api/v1/otel/trace`);
        expect(collector.running()).toBe(true);
    });

    it("2. the runner's sanity check: the SkyWalking-mode Java pod carries the SkyWalking agent flags", () => {
        const spec = processSpec(original.order, "order", mapping);
        expect(javaAgentFlags(spec.argv, spec.env)).toEqual([SW_AGENT]);
        expect(spec.env).toMatchObject({ SW_AGENT_NAME: "order", JAVA_TOOL_OPTIONS });
    });

    const spans: Record<string, JaegerSpan[]> = {};
    const pods: Record<string, LabPod> = {};

    it("3. flip both apps: their injected pods run through the runner and their spans reach Jaeger under the SkyWalking names", async () => {
        await stack.setConfig(stackConfig("otel"));
        const flipStarted = Date.now();
        await stack.up();
        for (const app of ["order", "inventory"] as const) {
            pods[app] = await readyPod(app);
            processes.push(startProcess(app, processSpec(pods[app], app, mapping), path.join(labRunDir(), "apps")));
        }
        const { queryUrl } = jaegerAddresses();
        for (const app of ["order", "inventory"] as const) {
            spans[app] = await waitFor(async () => {
                await get(PORTS[app], `/${app}/ping`);
                // Jaeger keeps spans of earlier runs while the lab is up: only this flip's count.
                const found = (await jaegerSpans(queryUrl, app)).filter((span) => span.startTimeUs >= flipStarted * 1000);
                return found.length > 0 ? found : undefined;
            }, 120_000, `spans of ${app} in Jaeger`);
            figures[`${app}FlipToFirstSpanSeconds`] = Math.round((Date.now() - flipStarted) / 1000);
        }
        for (const app of ["order", "inventory"] as const) {
            const pod = pods[app];
            const server = spans[app].find((s) => s.name.includes("GET"));
            expect(server).toBeDefined();
            expect(server!.resource).toMatchObject({
                "service.namespace": "shop", "service.instance.id": `${app}-1`, "deployment.environment": "dev",
                "k8s.namespace.name": NS, "k8s.pod.name": pod.metadata.name,
                // Only k8sattributes knows these: the SDK env the operator writes has neither.
                "k8s.pod.uid": pod.metadata.uid, "k8s.pod.ip": pod.status.podIP, "app.host.ip": pod.status.podIP,
            });
        }
    });

    it("4. the flipped Java process loads exactly one -javaagent, the OpenTelemetry agent", () => {
        const order = processes[0];
        const { argv, env } = procView(order.pid);
        expect(javaAgentFlags(argv, env)).toEqual([`-javaagent:${path.join(agentDirs().java, "javaagent.jar")}`]);
        expect(order.output()).toMatch(/opentelemetry-javaagent - version: /);
    });

    it("5. the DeepFlow peer receives the same traces as OTLP/HTTP protobuf with app.host.ip", async () => {
        const decode = otlpTraceDecoder(agentDirs().otlpProto);
        for (const app of ["order", "inventory"] as const) {
            const received = await waitFor(() => {
                const all = deepflow.otelTraces.flatMap(decode).filter((s) => s.resource["service.name"] === app);
                return spans[app].every((j) => all.some((d) => d.traceId === j.traceId && d.spanId === j.spanId)) ? all : undefined;
            }, 60_000, `${app}'s Jaeger spans at the DeepFlow peer`);
            for (const span of received) expect(span.resource["app.host.ip"]).toBe(pods[app].status.podIP);
        }
    });

    it("6. flip back: the new pods run the original command line and env byte for byte, with the SkyWalking flags", async () => {
        for (const p of processes.splice(0)) await p.stop();
        await stack.setConfig(stackConfig("skywalking"));
        await stack.up();
        for (const app of ["order", "inventory"] as const) {
            const now = await readyPod(app);
            expect(now.metadata.name).not.toBe(pods[app].metadata.name);
            const container = (p: LabPod) => p.spec.containers.find((c) => c.name === app)!;
            const line = (p: LabPod) => JSON.stringify({ command: container(p).command, args: container(p).args, env: container(p).env });
            expect(line(now)).toBe(line(original[app]));
        }
        const spec = processSpec(await readyPod("order"), "order", mapping);
        expect(javaAgentFlags(spec.argv, spec.env)).toEqual([SW_AGENT]);
    });

    it("7. verifyTraces: an unreachable backend fails at preview, naming the key, before anything is touched", async () => {
        const closed = `http://127.0.0.1:${PORTS.order + 100}`;
        await stack.setConfig(stackConfig("otel", { url: closed }));
        await expect(stack.preview()).rejects.toThrow(`migration.verifyTraces.backend.url: GET ${closed}/api/services: ECONNREFUSED`);
        expect((await readyPod("order")).metadata.annotations?.["instrumentation.opentelemetry.io/inject-java"]).toBeUndefined();
    });

    /** Runs `pulumi up` while the runner starts the app's injected pod as soon as it is Ready and sends it requests. */
    async function upWithTraffic(): Promise<void> {
        const before = (await readyPod("order")).metadata.name;
        const up = stack.up();
        let finished = false;
        const settled = up.finally(() => { finished = true; });
        const pod = await waitFor(async () => {
            const current = await readyPod("order");
            return current.metadata.name !== before && current.spec.initContainers?.length ? current : undefined;
        }, 180_000, "order's injected pod");
        const order = startProcess("order-gated", processSpec(pod, "order", mapping), path.join(labRunDir(), "apps"));
        processes.push(order);
        while (!finished) {
            await get(PORTS.order, "/order/gated").catch(() => undefined);
            await new Promise((resolve) => setTimeout(resolve, 1000));
        }
        await settled;
    }

    it("8. verifyTraces: the flipped app runs and gets traffic, so its spans arrive and the gate passes", async () => {
        await stack.setConfig(stackConfig("otel", { url: jaegerAddresses().queryUrl }));
        const started = Date.now();
        await upWithTraffic();
        expect((await readyPod("order")).spec.initContainers?.map((c) => c.name)).toEqual(["opentelemetry-auto-instrumentation-java"]);
        const gated = (await jaegerSpans(jaegerAddresses().queryUrl, "order")).filter((span) => span.startTimeUs >= started * 1000);
        expect(gated.length).toBeGreaterThan(0);
    });

    it("9. verifyTraces: the flipped app is not started, so no span arrives and the gate fails by name", async () => {
        for (const p of processes.splice(0)) await p.stop();
        await stack.setConfig(stackConfig("skywalking"));
        await stack.up();
        const { queryUrl } = jaegerAddresses();
        await stack.setConfig(stackConfig("otel", { url: queryUrl }));
        await expect(stack.up()).rejects.toThrow(new RegExp(
            `${NS}/order failed the health gate \\(no telemetry\\): no spans of service "order" in jaeger ${queryUrl} between \\S+Z and \\S+Z`));
        await stack.setConfig(stackConfig("skywalking"));
        await stack.up();
    });
});
