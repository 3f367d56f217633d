import { buildCollectorConfig, collectorSpec, exporterId } from "../../../components/collector/collector-config";
import { parseStackConfig } from "../../../config";

function configFor(collector: Record<string, unknown>, deepflow: Record<string, unknown> = {}) {
    return parseStackConfig({ collector, deepflow }).config;
}

const otlpReceiver = { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } } } };
const memoryLimiter = { check_interval: "1s", limit_percentage: 75, spike_limit_percentage: 15 };
const batch = { send_batch_size: 10000, timeout: "10s" };

describe("buildCollectorConfig", () => {
    it("GIVEN only a debug exporter THEN every signal has a pipeline through memory_limiter and batch", () => {
        const { collector, deepflow } = configFor({ exporters: [{ name: "debug", kind: "debug" }] });
        expect(buildCollectorConfig(collector, deepflow)).toEqual({
            receivers: otlpReceiver,
            processors: { memory_limiter: memoryLimiter, batch },
            exporters: { debug: { verbosity: "basic" } },
            service: {
                pipelines: {
                    traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["debug"] },
                    metrics: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["debug"] },
                    logs: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["debug"] },
                },
            },
        });
    });

    it("GIVEN two Jaeger backends, an OTLP endpoint and debug THEN traces go to every backend and metrics/logs only to debug", () => {
        const { collector, deepflow } = configFor({
            cors: { allowedOrigins: ["http://*.corp.example", "https://*.corp.example"] },
            exporters: [
                { name: "jaeger-a", kind: "otlp", endpoint: "jaeger-a-collector.tracing:4317", insecure: true },
                { name: "jaeger-b", kind: "otlp", endpoint: "jaeger-b-collector.tracing:4317" },
                { name: "python-c", kind: "otlphttp", endpoint: "http://10.0.0.5:4318", headers: { "x-tenant": "shop" } },
                { name: "debug", kind: "debug", verbosity: "detailed" },
            ],
        });
        const built = buildCollectorConfig(collector, deepflow);
        expect(built.receivers).toEqual({ otlp: { protocols: {
            grpc: { endpoint: "0.0.0.0:4317" },
            http: { endpoint: "0.0.0.0:4318", cors: { allowed_origins: ["http://*.corp.example", "https://*.corp.example"] } },
        } } });
        expect(built.exporters).toEqual({
            "otlp/jaeger-a": { endpoint: "jaeger-a-collector.tracing:4317", tls: { insecure: true } },
            "otlp/jaeger-b": { endpoint: "jaeger-b-collector.tracing:4317" },
            "otlphttp/python-c": { endpoint: "http://10.0.0.5:4318", headers: { "x-tenant": "shop" } },
            debug: { verbosity: "detailed" },
        });
        expect(built.service.pipelines).toEqual({
            traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["otlp/jaeger-a", "otlp/jaeger-b", "otlphttp/python-c", "debug"] },
            metrics: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["debug"] },
            logs: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["debug"] },
        });
    });

    it("GIVEN a DeepFlow exporter THEN traces gain k8sattributes and app.host.ip and export otlphttp with retries", () => {
        const { collector, deepflow } = configFor({ exporters: [{ name: "deepflow", kind: "deepflow" }] }, { agentNamespace: "df" });
        const built = buildCollectorConfig(collector, deepflow);
        expect(built.processors).toEqual({
            memory_limiter: memoryLimiter,
            batch,
            k8sattributes: {
                auth_type: "serviceAccount",
                passthrough: false,
                extract: { metadata: ["k8s.pod.name", "k8s.pod.uid", "k8s.pod.ip", "k8s.namespace.name", "k8s.deployment.name"] },
                pod_association: [
                    { sources: [{ from: "resource_attribute", name: "k8s.pod.ip" }] },
                    { sources: [{ from: "resource_attribute", name: "k8s.pod.uid" }] },
                    { sources: [{ from: "resource_attribute", name: "k8s.pod.name" }, { from: "resource_attribute", name: "k8s.namespace.name" }] },
                    { sources: [{ from: "connection" }] },
                ],
            },
            "resource/app-host-ip": { attributes: [{ key: "app.host.ip", from_attribute: "k8s.pod.ip", action: "insert" }] },
        });
        expect(built.exporters).toEqual({
            "otlphttp/deepflow": {
                traces_endpoint: "http://deepflow-agent.df/api/v1/otel/trace",
                encoding: "proto",
                tls: { insecure: true },
                retry_on_failure: { enabled: true },
            },
        });
        expect(built.service.pipelines).toEqual({
            traces: { receivers: ["otlp"], processors: ["memory_limiter", "k8sattributes", "resource/app-host-ip", "batch"], exporters: ["otlphttp/deepflow"] },
        });
    });

    it("GIVEN DeepFlow behind a load balancer THEN resource/pre maps host.name to k8s.pod.name and pods are matched by name first", () => {
        const { collector, deepflow } = configFor({ exporters: [{ name: "deepflow", kind: "deepflow", behindLoadBalancer: true }] });
        const built = buildCollectorConfig(collector, deepflow);
        expect(built.processors["resource/pre"]).toEqual({ attributes: [{ key: "k8s.pod.name", from_attribute: "host.name", action: "insert" }] });
        expect((built.processors.k8sattributes as { pod_association: unknown[] }).pod_association[0])
            .toEqual({ sources: [{ from: "resource_attribute", name: "k8s.pod.name" }] });
        expect(built.service.pipelines.traces.processors).toEqual(["memory_limiter", "resource/pre", "k8sattributes", "resource/app-host-ip", "batch"]);
    });

    it("GIVEN spans from an operator-injected SDK THEN the pod is found by the k8s.pod.name + k8s.namespace.name it sends, before the connection's peer address", () => {
        // The operator sets only those two of the association attributes; a peer address rewritten on the way
        // (SNAT, a proxy, the lab's loopback) would otherwise leave the spans without pod metadata or app.host.ip.
        const { collector, deepflow } = configFor({ exporters: [{ name: "deepflow", kind: "deepflow" }] });
        const association = (buildCollectorConfig(collector, deepflow).processors.k8sattributes as { pod_association: Array<{ sources: unknown[] }> }).pod_association;
        const byPair = association.findIndex(a => JSON.stringify(a.sources) === JSON.stringify([
            { from: "resource_attribute", name: "k8s.pod.name" }, { from: "resource_attribute", name: "k8s.namespace.name" }]));
        expect(byPair).toBeGreaterThanOrEqual(0);
        expect(byPair).toBeLessThan(association.findIndex(a => JSON.stringify(a.sources) === JSON.stringify([{ from: "connection" }])));
    });

    it("names exporters <type>/<name> unless the name is the type", () => {
        expect(exporterId({ name: "debug", kind: "debug", verbosity: "basic", signals: ["traces"] })).toBe("debug");
        expect(exporterId({ name: "df", kind: "deepflow", behindLoadBalancer: false })).toBe("otlphttp/df");
    });
});

describe("collectorSpec", () => {
    it("sets replicas and image only for a gateway that asks for them", () => {
        const { collector, deepflow } = configFor({ mode: "deployment", replicas: 3, image: "registry.corp/otelcol-k8s:0.138.0", exporters: [{ name: "debug", kind: "debug" }] });
        const spec = collectorSpec(collector, deepflow, "otel-collector-sa");
        expect(spec).toMatchObject({ mode: "deployment", replicas: 3, image: "registry.corp/otelcol-k8s:0.138.0", serviceAccount: "otel-collector-sa" });
    });

    it("leaves replicas and image to the operator for an agent", () => {
        const { collector, deepflow } = configFor({ exporters: [{ name: "debug", kind: "debug" }] });
        expect(Object.keys(collectorSpec(collector, deepflow, "sa"))).toEqual(["mode", "serviceAccount", "config"]);
    });
});

describe("the skywalking receiver", () => {
    const jaeger = { name: "jaeger", kind: "otlp", endpoint: "jaeger-collector.tracing:4317", insecure: true };
    const debugLogs = { name: "debug", kind: "debug", signals: ["logs"] };
    const contrib = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.140.1";

    it("GIVEN skywalkingReceiver: {} THEN it listens on 11800 and 12800 on all pod addresses and feeds the traces pipeline only", () => {
        const { collector, deepflow } = configFor({ image: contrib, skywalkingReceiver: {}, exporters: [jaeger, debugLogs] });
        const built = buildCollectorConfig(collector, deepflow);
        expect(built.receivers).toEqual({
            ...otlpReceiver,
            skywalking: { protocols: { grpc: { endpoint: "0.0.0.0:11800" }, http: { endpoint: "0.0.0.0:12800" } } },
        });
        expect(built.service.pipelines).toEqual({
            traces: { receivers: ["otlp", "skywalking"], processors: ["memory_limiter", "batch"], exporters: ["otlp/jaeger"] },
            logs: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["debug"] },
        });
    });

    it("GIVEN other ports THEN the endpoints carry them (the operator derives the Service ports from these)", () => {
        const { collector, deepflow } = configFor({ image: contrib, skywalkingReceiver: { grpcPort: 21800, httpPort: 22800 }, exporters: [jaeger] });
        expect(buildCollectorConfig(collector, deepflow).receivers.skywalking)
            .toEqual({ protocols: { grpc: { endpoint: "0.0.0.0:21800" }, http: { endpoint: "0.0.0.0:22800" } } });
    });

    it("GIVEN no skywalkingReceiver THEN the config has the OTLP receiver only", () => {
        const { collector, deepflow } = configFor({ exporters: [jaeger] });
        const built = buildCollectorConfig(collector, deepflow);
        expect(Object.keys(built.receivers)).toEqual(["otlp"]);
        expect(built.service.pipelines.traces.receivers).toEqual(["otlp"]);
    });

    it("sets no spec.ports: the operator knows the receiver and exposes both ports itself", () => {
        const { collector, deepflow } = configFor({ image: contrib, skywalkingReceiver: {}, exporters: [jaeger] });
        expect(Object.keys(collectorSpec(collector, deepflow, "sa"))).toEqual(["mode", "serviceAccount", "config", "image"]);
    });
});
