import { InstrumentationConfig, javaPropagators, OTEL_PROPAGATORS_ENV, OTLP_GRPC_PORT, OTLP_PROTOCOL_ENV, parseEndpoint } from "../../config";
import type { ExtensionImage } from "../image-rebuild/dockerfile";

export interface CollectorEndpoints {
    readonly otlpGrpcEndpoint: string;
    readonly otlpHttpEndpoint: string;
}

interface EnvVar {
    name: string;
    value: string;
}

/**
 * The Instrumentation CR's `spec`. The operator never rewrites ports, so each language gets the protocol
 * that matches the port it is sent to: Java and Python http/protobuf on 4318 by default, Node.js (gRPC by
 * default) its own endpoint. Values the user set always win.
 *
 * `sw8Extension` (the pushed image of instrumentation.java.sw8Propagator) joins Java's extensions, and Java's env gets
 * `OTEL_PROPAGATORS` = the propagators plus sw8: the CRD's `propagators` enum has no sw8, and the operator applies
 * `java.env` before it derives `OTEL_PROPAGATORS` from `propagators`, which it only sets when absent
 * (opentelemetry-operator v0.153.0 `internal/instrumentation/sdk.go`, `javaagent.go`); a container's own value still wins.
 */
export function instrumentationSpec(config: InstrumentationConfig, collector: CollectorEndpoints, sw8Extension?: ExtensionImage): Record<string, unknown> {
    const endpoint = config.endpoint ?? collector.otlpHttpEndpoint;
    const grpc = isGrpcPort(endpoint);
    const spec: Record<string, unknown> = {
        exporter: { endpoint },
        propagators: config.propagators,
        sampler: samplerSpec(config.sampler),
    };
    if (Object.keys(config.resourceAttributes).length > 0) spec.resource = { resourceAttributes: config.resourceAttributes };
    if (Object.keys(config.env).length > 0) spec.env = envList(config.env);
    if (config.java.enabled) {
        // Java 1.x agents defaulted to grpc and 2.x to http/protobuf: stating it makes either match the port.
        const sw8: Record<string, string> = sw8Extension ? { [OTEL_PROPAGATORS_ENV]: javaPropagators(config.propagators) } : {};
        const java = languageSpec(config.java.image, { [OTLP_PROTOCOL_ENV]: grpc ? "grpc" : "http/protobuf", ...sw8 }, config.java.env);
        const extensions = [...config.java.extensions, ...(sw8Extension ? [sw8Extension] : [])];
        if (extensions.length > 0) java.extensions = extensions.map(e => ({ image: e.image, dir: e.dir }));
        spec.java = java;
    }
    if (config.python.enabled) spec.python = languageSpec(config.python.image, {}, config.python.env);
    if (config.nodejs.enabled) {
        const nodejsDefaults: Record<string, string> = config.endpoint === undefined
            ? { OTEL_EXPORTER_OTLP_ENDPOINT: collector.otlpGrpcEndpoint }
            : grpc ? {} : { [OTLP_PROTOCOL_ENV]: "http/protobuf" };
        spec.nodejs = languageSpec(config.nodejs.image, nodejsDefaults, config.nodejs.env);
    }
    return spec;
}

function samplerSpec(sampler: InstrumentationConfig["sampler"]): Record<string, string> {
    const needsArgument = sampler.type.endsWith("traceidratio");
    const argument = sampler.argument ?? (needsArgument ? "1" : undefined);
    return argument === undefined ? { type: sampler.type } : { type: sampler.type, argument };
}

function languageSpec(image: string | undefined, defaults: Record<string, string>, env: Record<string, string>): Record<string, unknown> {
    const spec: Record<string, unknown> = {};
    if (image) spec.image = image;
    const merged = envList({ ...defaults, ...env });
    if (merged.length > 0) spec.env = merged;
    return spec;
}

function envList(env: Record<string, string>): EnvVar[] {
    return Object.entries(env).map(([name, value]) => ({ name, value }));
}

function isGrpcPort(endpoint: string): boolean {
    const parsed = parseEndpoint(endpoint);
    return !("error" in parsed) && parsed.port === OTLP_GRPC_PORT;
}
