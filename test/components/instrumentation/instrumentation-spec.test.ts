import { instrumentationSpec } from "../../../components/instrumentation/instrumentation-spec";
import { parseStackConfig } from "../../../config";

const collector = {
    otlpGrpcEndpoint: "http://otel-collector.observability.svc.cluster.local:4317",
    otlpHttpEndpoint: "http://otel-collector.observability.svc.cluster.local:4318",
};

function specFor(instrumentation: Record<string, unknown>) {
    const { config } = parseStackConfig({ collector: { exporters: [{ name: "debug", kind: "debug" }] }, instrumentation });
    return instrumentationSpec(config.instrumentation, collector);
}

describe("instrumentationSpec", () => {
    it("GIVEN defaults THEN Java and Python use OTLP/HTTP on 4318 and Node.js its gRPC endpoint", () => {
        expect(specFor({})).toEqual({
            exporter: { endpoint: collector.otlpHttpEndpoint },
            propagators: ["tracecontext", "baggage", "b3"],
            sampler: { type: "parentbased_traceidratio", argument: "1" },
            java: { env: [{ name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf" }] },
            python: {},
            nodejs: { env: [{ name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: collector.otlpGrpcEndpoint }] },
        });
    });

    it("GIVEN a private mirror, an extension, env and resource attributes THEN all reach the CR", () => {
        const spec = specFor({
            sampler: { type: "parentbased_traceidratio", argument: "0.25" },
            resourceAttributes: { "deployment.environment": "prod" },
            env: { OTEL_METRICS_EXPORTER: "none" },
            java: { image: "registry.corp/otel/autoinstrumentation-java:2.10.0", extensions: [{ image: "registry.corp/otel/ext:1.0", dir: "/extensions" }] },
            python: { image: "registry.corp/otel/autoinstrumentation-python:0.50b0", env: { OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED: "true" } },
            nodejs: { enabled: false },
        });
        expect(spec).toEqual({
            exporter: { endpoint: collector.otlpHttpEndpoint },
            propagators: ["tracecontext", "baggage", "b3"],
            sampler: { type: "parentbased_traceidratio", argument: "0.25" },
            resource: { resourceAttributes: { "deployment.environment": "prod" } },
            env: [{ name: "OTEL_METRICS_EXPORTER", value: "none" }],
            java: {
                image: "registry.corp/otel/autoinstrumentation-java:2.10.0",
                env: [{ name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf" }],
                extensions: [{ image: "registry.corp/otel/ext:1.0", dir: "/extensions" }],
            },
            python: {
                image: "registry.corp/otel/autoinstrumentation-python:0.50b0",
                env: [{ name: "OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED", value: "true" }],
            },
        });
    });

    it("GIVEN a gRPC endpoint for Java only THEN Java is told grpc and Node.js keeps its default", () => {
        const spec = specFor({ endpoint: "http://gateway.observability:4317", python: { enabled: false }, java: { env: { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" } } });
        expect(spec.java).toEqual({ env: [{ name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "grpc" }] });
        expect(spec.nodejs).toEqual({});
    });

    it("GIVEN an HTTP endpoint of the user's THEN Node.js is switched to http/protobuf", () => {
        const spec = specFor({ endpoint: "https://otlp.corp.example:4318" });
        expect(spec.nodejs).toEqual({ env: [{ name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf" }] });
    });

    it("lets the user's language env win over skyshift's defaults", () => {
        const spec = specFor({ nodejs: { env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://elsewhere:4317" } } });
        expect(spec.nodejs).toEqual({ env: [{ name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: "http://elsewhere:4317" }] });
    });

    it("omits the argument for samplers that take none", () => {
        expect(specFor({ sampler: { type: "always_on" } }).sampler).toEqual({ type: "always_on" });
    });
});

describe("instrumentationSpec with the sw8 propagator's extension image", () => {
    const sw8 = { image: `registry.corp/skyshift/sw8-propagator:sw8-0123456789abcdef@sha256:${"a".repeat(64)}`, dir: "/opt/skyshift/sw8-propagator" };

    it("GIVEN the image THEN Java gets it after the configured extensions and OTEL_PROPAGATORS = the propagators plus sw8", () => {
        const { config } = parseStackConfig({
            collector: { exporters: [{ name: "debug", kind: "debug" }] },
            instrumentation: { propagators: ["tracecontext", "baggage"], java: { extensions: [{ image: "registry.corp/otel/ext:1.0", dir: "/extensions" }], env: { OTEL_JAVAAGENT_DEBUG: "false" } } },
        });
        const spec = instrumentationSpec(config.instrumentation, collector, sw8);
        expect(spec.propagators).toEqual(["tracecontext", "baggage"]);
        expect(spec.java).toEqual({
            env: [
                { name: "OTEL_EXPORTER_OTLP_PROTOCOL", value: "http/protobuf" },
                { name: "OTEL_PROPAGATORS", value: "tracecontext,baggage,sw8" },
                { name: "OTEL_JAVAAGENT_DEBUG", value: "false" },
            ],
            extensions: [{ image: "registry.corp/otel/ext:1.0", dir: "/extensions" }, sw8],
        });
        // Only Java loads the extension: the other languages keep the CRD's propagators.
        expect(JSON.stringify(spec.python ?? {})).not.toContain("sw8");
    });

    it("GIVEN no image THEN no OTEL_PROPAGATORS is written and the CR is as before", () => {
        expect(specFor({})).toEqual(instrumentationSpec(parseStackConfig({ collector: { exporters: [{ name: "debug", kind: "debug" }] } }).config.instrumentation, collector, undefined));
        expect(JSON.stringify(specFor({}))).not.toContain("OTEL_PROPAGATORS");
    });
});
