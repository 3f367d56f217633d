import { LabService, labCollectorConfig, labEndpoint, labEnvValue } from "./lab-addresses";

const services: LabService[] = [
    { service: "jaeger-collector", namespace: "tracing", port: 4317, labPort: 14317 },
    { service: "deepflow-agent", namespace: "deepflow", port: 80, labPort: 38086 },
];

describe("labEndpoint: the lab's one address substitution", () => {
    test.each([
        { name: "a Service FQDN with port", endpoint: "jaeger-collector.tracing.svc.cluster.local:4317", expected: "127.0.0.1:14317" },
        { name: "a short Service name", endpoint: "jaeger-collector.tracing:4317", expected: "127.0.0.1:14317" },
        { name: "an http URL without port keeps scheme and path", endpoint: "http://deepflow-agent.deepflow/api/v1/otel/trace", expected: "http://127.0.0.1:38086/api/v1/otel/trace" },
        { name: "a listener on every interface", endpoint: "0.0.0.0:4318", expected: "127.0.0.1:4318" },
        { name: "an IP address stays", endpoint: "http://10.0.0.5:4318", expected: "http://10.0.0.5:4318" },
        { name: "localhost stays", endpoint: "localhost:4317", expected: "localhost:4317" },
    ])("$name", ({ endpoint, expected }) => {
        expect(labEndpoint(endpoint, services)).toBe(expected);
    });

    test.each([
        { endpoint: "jaeger-collector.tracing:14250", error: `"jaeger-collector.tracing:14250": the lab serves no Service jaeger-collector.tracing port 14250 (it serves: jaeger-collector.tracing:4317, deepflow-agent.deepflow:80)` },
        { endpoint: "jaeger-collector.tracing", error: `"jaeger-collector.tracing" names Service jaeger-collector.tracing without a port or an http(s) scheme` },
        { endpoint: "http://", error: `"http://" is not an endpoint (host:port or scheme://host[:port][/path])` },
    ])("refuses $endpoint", ({ endpoint, error }) => {
        expect(() => labEndpoint(endpoint, services)).toThrow(error);
    });
});

describe("labCollectorConfig", () => {
    test("substitutes endpoint values only, anywhere in the config, and leaves the rest as written", () => {
        const config = {
            receivers: { otlp: { protocols: { grpc: { endpoint: "0.0.0.0:4317" } } } },
            processors: { resource: { attributes: [{ key: "endpoint", value: "jaeger-collector.tracing:1" }] } },
            exporters: {
                "otlp/jaeger": { endpoint: "jaeger-collector.tracing.svc.cluster.local:4317", tls: { insecure: true } },
                "otlphttp/deepflow": { traces_endpoint: "http://deepflow-agent.deepflow/api/v1/otel/trace", retry_on_failure: { enabled: true } },
            },
        };
        expect(labCollectorConfig(config, services)).toEqual({
            receivers: { otlp: { protocols: { grpc: { endpoint: "127.0.0.1:4317" } } } },
            processors: { resource: { attributes: [{ key: "endpoint", value: "jaeger-collector.tracing:1" }] } },
            exporters: {
                "otlp/jaeger": { endpoint: "127.0.0.1:14317", tls: { insecure: true } },
                "otlphttp/deepflow": { traces_endpoint: "http://127.0.0.1:38086/api/v1/otel/trace", retry_on_failure: { enabled: true } },
            },
        });
    });
});

describe("labEnvValue: which pod env vars are addresses", () => {
    const withCollector: LabService[] = [...services,
        { service: "otel-collector", namespace: "observability", port: 4318, labPort: 4318 },
        { service: "otel-collector", namespace: "observability", port: 11800, labPort: 11800 }];
    test.each([
        { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: "http://otel-collector.observability:4318", expected: "http://127.0.0.1:4318" },
        { name: "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", value: "http://otel-collector.observability.svc:4318/v1/traces", expected: "http://127.0.0.1:4318/v1/traces" },
        { name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "otel-collector.observability.svc.cluster.local:11800", expected: "127.0.0.1:11800" },
        { name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "otel-collector.observability:11800, 10.0.0.7:11800", expected: "127.0.0.1:11800,10.0.0.7:11800" },
        { name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf", expected: "http/protobuf" },
        { name: "DOWNSTREAM_URL", value: "http://jaeger-collector.tracing:4317", expected: "http://jaeger-collector.tracing:4317" },
    ])("$name=$value", ({ name, value, expected }) => {
        expect(labEnvValue(name, value, withCollector)).toBe(expected);
    });

    test("a SkyWalking backend the lab does not serve (the OAP an otel pod still names) stays as written; an OTLP one is refused", () => {
        expect(labEnvValue("SW_AGENT_COLLECTOR_BACKEND_SERVICES", "oap.skywalking:11800,otel-collector.observability:11800", withCollector))
            .toBe("oap.skywalking:11800,127.0.0.1:11800");
        expect(() => labEnvValue("OTEL_EXPORTER_OTLP_ENDPOINT", "http://oap.skywalking:4318", withCollector))
            .toThrow(`"http://oap.skywalking:4318": the lab serves no Service oap.skywalking port 4318`);
    });
});
