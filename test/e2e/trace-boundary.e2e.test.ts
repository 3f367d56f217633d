/**
 * Bridge mode and one trace across the migration boundary, on the lab. The dev stack (index.ts, Pulumi.dev.yaml:
 * the collector with its skywalking receiver) runs three apps in the seed's shapes: `gateway` and `stock`, Python
 * services under the real SkyWalking Python agent (`sw-python run …`, PyPI apache-skywalking), and `checkout`, a
 * Java service. gateway calls checkout, checkout calls stock, over HTTP.
 *
 * 1. bridge: gateway and stock in `bridge` mode, started by the workload runner from their admitted pods; their
 *    agents' gRPC reporter feeds the real collector's skywalking receiver (config read from the CR) → Jaeger.
 * 2. checkout flipped to `otel` with the sw8 propagator: one trace through all three services, every hop linked.
 * 3. the same chain without the extension: three separate traces, so case 2 can fail.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import * as YAML from "yaml";
import { detectWorkload } from "../../discovery";
import { FakeDeepFlowServer } from "../support/fake-deepflow-server/fake-deepflow-server";
import { LabCollector, startCollector } from "../lab/runner/collector";
import { jaegerServices, jaegerSpans, jaegerTrace } from "../lab/runner/jaeger";
import { jaegerAddresses, LAB_IMAGES, labMapping, labRunDir, labServices, skywalkingPythonVenv, sw8Paths } from "../lab/runner/lab-telemetry";
import { processSpec } from "../lab/runner/process-spec";
import { LabProcess, procView, startProcess } from "../lab/runner/run";
import { chainProblems } from "../lab/runner/trace-chain";
import { applyManifest, createStack, KubeObject, kubectl, labEnv, LabStack, readObject, REPO_ROOT, waitFor, waitForNamespaceGone } from "./harness";
import { get, LabPod, readyPod as readyPodIn } from "./lab-pods";
import { labSw8, LabSw8 } from "./lab-sw8";

const devConfig = (YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
const NS = "bridge-shop";
const PLATFORM_NS = "observability";
const CHAIN = ["gateway", "checkout", "stock"] as const;
type App = (typeof CHAIN)[number];
const PORTS: Record<App, number> = { gateway: 18281, checkout: 18282, stock: 18283 };
const SW_AGENT = "-javaagent:/skywalking/agent/skywalking-agent.jar";
const SW_PYTHON = ["sw-python", "run", "python", "/app/app.py"];
const OAP = "oap.skywalking:11800";
/** Requests sent through the chain per case: the figure "joined end to end" is out of these. */
const REQUESTS = 5;

type Env = Array<{ name: string; value: string }>;
const deployment = (name: App, container: { image: string; command: string[]; env: Env }): KubeObject => ({
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: NS },
    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, ...container }] } } },
});
// Every lab "pod" shares the host's network: the pod templates name the next hop by its lab port.
const appEnv = (app: App, downstream?: App): Env => [
    { name: "PORT", value: String(PORTS[app]) },
    ...(downstream ? [{ name: "DOWNSTREAM_URL", value: `http://127.0.0.1:${PORTS[downstream]}` }] : []),
    { name: "SW_AGENT_NAME", value: app }, { name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: OAP },
];
const JAVA_TOOL_OPTIONS = `-Xmx128m ${SW_AGENT}`;
const workloads = [
    deployment("gateway", { image: LAB_IMAGES.pythonSkyWalking, command: SW_PYTHON, env: appEnv("gateway", "checkout") }),
    deployment("checkout", { image: LAB_IMAGES.java, command: ["java", "-jar", "/app/order-service.jar"],
        env: [...appEnv("checkout", "stock"), { name: "JAVA_TOOL_OPTIONS", value: JAVA_TOOL_OPTIONS }] }),
    deployment("stock", { image: LAB_IMAGES.pythonSkyWalking, command: SW_PYTHON, env: appEnv("stock") }),
];
/** The dev stack with gateway and stock in bridge mode and checkout in `checkout`. */
const stackConfig = (checkout: "skywalking" | "otel") => ({
    ...devConfig,
    "skyshift:apps": { [`${NS}/gateway`]: { mode: "bridge" }, [`${NS}/checkout`]: { mode: checkout }, [`${NS}/stock`]: { mode: "bridge" } },
});
const readyPod = (app: App) => readyPodIn(NS, app);

describe("bridge mode and one trace across the SkyWalking ↔ OpenTelemetry boundary, on the lab", () => {
    let stack: LabStack;
    let sw8: LabSw8;
    let deepflow: FakeDeepFlowServer;
    let collector: LabCollector | undefined;
    let services: ReturnType<typeof labServices>;
    let mapping: ReturnType<typeof labMapping>;
    const processes: Partial<Record<App, LabProcess>> = {};
    const figures: Record<string, number | string> = {};

    beforeAll(async () => {
        await labEnv();
        sw8 = await labSw8();
        deepflow = await FakeDeepFlowServer.start();
        for (const ns of [NS, PLATFORM_NS]) await waitForNamespaceGone(ns, 180_000);
        await kubectl(["create", "namespace", NS]);
        await applyManifest(workloads);
        // The inventory is what discovery finds in the live Deployments (where each agent's backend address is set, too).
        const inventory: Record<string, unknown> = {};
        for (const app of CHAIN) {
            await readyPod(app);
            const detection = detectWorkload("Deployment", (await readObject("apps/v1", "Deployment", NS, app))!);
            if (detection.verdict !== "skywalking") throw new Error(`${app}: discovery did not find SkyWalking: ${JSON.stringify(detection)}`);
            inventory[`${NS}/${app}`] = detection.app;
        }
        stack = await createStack("trace-boundary", {});
        stack.setInventory(inventory);
        await sw8.configure(stack, stackConfig("skywalking"), false);
    });

    afterAll(async () => {
        for (const p of Object.values(processes)) await p?.stop();
        await collector?.stop();
        fs.writeFileSync(path.join(labRunDir(), "trace-boundary-figures.json"), JSON.stringify(figures, null, 2));
        console.log(`trace-boundary figures: ${JSON.stringify(figures)}`);
        await stack?.destroy();
        await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
        await deepflow?.close();
    });

    /** Starts `app` from its current admitted pod through the runner (stopping the process it replaces). */
    async function run(app: App): Promise<{ pod: LabPod; process: LabProcess }> {
        await processes[app]?.stop();
        const pod = await readyPod(app);
        const process = startProcess(`boundary-${app}`, processSpec(pod, app, mapping), path.join(labRunDir(), "apps"));
        processes[app] = process;
        await waitFor(() => get(PORTS[app], "/ready").then(() => true), 60_000, `${app} answering on :${PORTS[app]}`);
        return { pod, process };
    }

    /** The traces in Jaeger that hold `service`'s spans of the request for `route` (SkyWalking names the span by path, OpenTelemetry sets url.path). */
    async function tracesOf(service: App, route: string): Promise<string[]> {
        const spans = (await jaegerSpans(jaegerAddresses().queryUrl, service, "15m", 200))
            .filter((s) => s.name === route || s.attributes["url.path"] === route);
        return [...new Set(spans.map((s) => s.traceId))];
    }

    /** Sends REQUESTS requests through the chain; resolves with each request's route and when it was answered. */
    async function sendChain(prefix: string): Promise<Array<{ route: string; answeredAt: number }>> {
        const sent = [];
        for (let i = 0; i < REQUESTS; i++) {
            const route = `/${prefix}/${randomUUID().slice(0, 8)}`;
            // The answer carries each hop's line: the request really went through all three services.
            expect(await get(PORTS.gateway, route)).toBe(`inventory ${route}\norder ${route}\ninventory ${route}\n`);
            sent.push({ route, answeredAt: Date.now() });
        }
        return sent;
    }

    it("1. bridge: the SkyWalking Python agent reports through the collector's skywalking receiver into Jaeger, under the SkyWalking name", async () => {
        await stack.up();
        services = labServices({ service: "otel-collector", namespace: PLATFORM_NS }, Number(new URL(deepflow.url).port));
        mapping = labMapping(services);
        collector = await startCollector({ namespace: PLATFORM_NS, name: "otel", services: mapping.services,
            kubeconfig: (await labEnv()).vars.KUBECONFIG, kubectl: (args) => kubectl(args) });
        expect(YAML.parse(fs.readFileSync(collector.configFile, "utf8")).receivers.skywalking.protocols.grpc.endpoint).toBe("127.0.0.1:11800");

        const started = Date.now();
        const { pod, process } = await run("stock");
        const container = pod.spec.containers[0];
        // Bridge keeps the SkyWalking launch as written and points the agent at the collector's receiver.
        expect(container.command).toEqual(SW_PYTHON);
        expect(container.env?.find((e) => e.name === "SW_AGENT_COLLECTOR_BACKEND_SERVICES")?.value).toBe("otel-collector.observability:11800");
        const venvBin = path.join(skywalkingPythonVenv(), "bin");
        expect(processSpec(pod, "stock", mapping).argv).toEqual([path.join(venvBin, "sw-python"), "run", "python", expect.stringMatching(/\/app\.py$/)]);
        // sw-python put its loader first on PYTHONPATH and exec'd the venv's python (same pid), which started the agent.
        const view = procView(process.pid);
        expect(view.argv[0]).toBe("python");
        expect(view.env.PYTHONPATH.split(":")[0]).toMatch(/\/skywalking\/bootstrap\/loader$/);
        expect(view.env.SW_AGENT_COLLECTOR_BACKEND_SERVICES).toBe("127.0.0.1:11800");
        await get(PORTS.stock, "/stock/ping");
        const spans = await waitFor(async () => {
            const found = (await jaegerSpans(jaegerAddresses().queryUrl, "stock")).filter((s) => s.startTimeUs >= started * 1000);
            return found.length > 0 ? found : undefined;
        }, 90_000, "spans of stock in Jaeger");
        expect(await jaegerServices(jaegerAddresses().queryUrl)).toContain("stock");
        expect(spans.find((s) => s.name === "/stock/ping")?.resource).toMatchObject({ "service.instance.id": expect.any(String) });
        figures.bridgeStartToFirstSpanSeconds = Math.round((Date.now() - started) / 1000);
    });

    it("2. checkout in otel with the sw8 propagator: each request is ONE trace through gateway, checkout and stock, every hop linked", async () => {
        await sw8.configure(stack, stackConfig("otel"), true);
        const flipStarted = Date.now();
        await stack.up();
        const { process } = await run("checkout");
        await run("gateway");
        const { env } = procView(process.pid);
        expect(env.JAVA_TOOL_OPTIONS).toContain(`-Dotel.javaagent.extensions=${sw8Paths().extensionDir}`);
        expect(env.OTEL_PROPAGATORS?.split(",")).toContain("sw8");
        const sent = await sendChain("chain");
        const joinSeconds: number[] = [];
        for (const { route, answeredAt } of sent) {
            const [traceId] = await waitFor(async () => {
                const ids = await Promise.all(CHAIN.map((app) => tracesOf(app, route)));
                return ids.every((list) => list.length > 0) ? ids.flat() : undefined;
            }, 90_000, `all three services' spans of ${route}`);
            const trace = await waitFor(async () => {
                const spans = await jaegerTrace(jaegerAddresses().queryUrl, traceId);
                return spans.length >= 5 ? spans : undefined;
            }, 30_000, `the trace of ${route} complete`);
            expect(chainProblems(trace, CHAIN)).toEqual([]);
            joinSeconds.push((Date.now() - answeredAt) / 1000);
        }
        figures.joinedTraces = `${joinSeconds.length}/${REQUESTS}`;
        figures.flipToJoinedTracesSeconds = Math.round((Date.now() - flipStarted) / 1000);
        figures.answerToWholeTraceInJaegerMaxSeconds = Math.round(Math.max(...joinSeconds));
    });

    it("3. the same chain without the extension splits into three traces, one per side of each boundary", async () => {
        await sw8.configure(stack, stackConfig("otel"), false);
        await stack.up();
        // The operator injects at pod creation only: a new pod takes the Instrumentation without the extension.
        await kubectl(["delete", "pod", "-n", NS, "-l", "app=checkout", "--wait=false"]);
        await waitFor(async () => !(await readyPod("checkout")).spec.initContainers?.some((c) => c.name.includes("-extension-")) || undefined,
            180_000, "checkout's new pod without the extension");
        const { process } = await run("checkout");
        expect(procView(process.pid).env.JAVA_TOOL_OPTIONS).not.toContain("otel.javaagent.extensions");
        await run("gateway");
        const sent = await sendChain("split");
        let traces = 0;
        for (const { route } of sent) {
            const ids = await waitFor(async () => {
                const found = await Promise.all(CHAIN.map((app) => tracesOf(app, route)));
                return found.every((list) => list.length > 0) ? found : undefined;
            }, 90_000, `all three services' spans of ${route}`);
            expect(new Set(ids.flat()).size).toBe(3);
            for (const [i, [traceId]] of ids.entries()) {
                expect(new Set((await jaegerTrace(jaegerAddresses().queryUrl, traceId)).map((s) => s.service))).toEqual(new Set([CHAIN[i]]));
            }
            traces += new Set(ids.flat()).size;
        }
        figures.withoutExtension = `${REQUESTS} requests → ${traces} traces, 0 joined`;
    });
});

