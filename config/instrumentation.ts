import { z } from "zod";
import { OTLP_GRPC_PORT, OTLP_HTTP_PORT, parseEndpoint } from "./endpoint";
import { imagePath } from "./paths";
import { sw8PropagatorSchema } from "./sw8-propagator";

/** The CRD's enums (Instrumentation v1alpha1). */
export const PROPAGATORS = ["tracecontext", "baggage", "b3", "b3multi", "jaeger", "xray", "ottrace", "none"] as const;
export const SAMPLER_TYPES = [
    "always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off",
    "parentbased_traceidratio", "jaeger_remote", "xray",
] as const;
const RATIO_SAMPLERS: readonly string[] = ["traceidratio", "parentbased_traceidratio"];

/** The exporter protocol env var; the operator never rewrites ports, so the port must match it. */
export const OTLP_PROTOCOL_ENV = "OTEL_EXPORTER_OTLP_PROTOCOL";

const envMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not a valid env var name — use letters, digits and '_'"), z.string());

const languageFields = {
    enabled: z.boolean().default(true).describe("Switch the language off to leave its image and env out of the CR."),
    image: z.string().min(1).optional().describe("Auto-instrumentation image, e.g. from a private mirror. Defaults to the operator's own."),
    env: envMap.default({}).describe("Env for this language's SDK."),
};

export const instrumentationSchema = z.strictObject({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label — use lowercase letters, digits and '-'").default("skyshift")
        .describe("The Instrumentation CR's name; pods reference `<platform.namespace>/<name>`."),
    endpoint: z.string().optional().describe(
        "Where SDKs send OTLP; must have a scheme. Defaults to the collector's OTLP/HTTP endpoint (4318), which Java 2.x and Python " +
        "speak; Node.js (gRPC) then goes to the collector's 4317. A port that contradicts a language's protocol is rejected."),
    propagators: z.array(z.enum(PROPAGATORS)).min(1).superRefine((propagators, ctx) => propagators.forEach((propagator, index) => {
        if (propagators.indexOf(propagator) !== index) ctx.addIssue({ code: "custom", path: [index], message: `"${propagator}" is listed twice — list each propagator once` });
    })).default(["tracecontext", "baggage", "b3"]).describe("Context propagators, each listed once (the CRD's enum)."),
    sampler: z.strictObject({
        type: z.enum(SAMPLER_TYPES).default("parentbased_traceidratio").describe("The CRD's sampler types."),
        argument: z.string().optional().describe("The ratio in [0,1] for ratio samplers, as a string like the CRD: `\"0.25\"`. Unset: the SDK's default, 1."),
    }).superRefine((sampler, ctx) => {
        if (!RATIO_SAMPLERS.includes(sampler.type) || sampler.argument === undefined) return;
        const ratio = Number(sampler.argument);
        if (sampler.argument.trim() === "" || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
            ctx.addIssue({ code: "custom", path: ["argument"], message: `"${sampler.argument}" is not a ratio in [0,1] — write e.g. "0.25"` });
        }
    }).prefault({}).describe("The SDKs' sampler."),
    resourceAttributes: z.record(z.string(), z.string()).default({}).describe("Resource attributes for every span, e.g. `deployment.environment: prod`."),
    env: envMap.default({}).describe("Env for every language's SDK."),
    java: z.strictObject({
        ...languageFields,
        extensions: z.array(z.strictObject({
            image: z.string().min(1).describe("Image holding the extension jars."),
            dir: imagePath("/extensions").describe("Absolute directory of the jars in that image."),
        })).default([]).describe("Java agent extensions the operator copies in."),
        sw8Propagator: sw8PropagatorSchema,
    }).prefault({}).describe("The Java agent (2.x)."),
    python: z.strictObject(languageFields).prefault({}).describe("Python auto-instrumentation (http/protobuf only)."),
    nodejs: z.strictObject(languageFields).prefault({}).describe("Node.js auto-instrumentation (gRPC by default)."),
}).superRefine((spec, ctx) => {
    if (spec.endpoint !== undefined) {
        const endpoint = parseEndpoint(spec.endpoint);
        if ("error" in endpoint) {
            ctx.addIssue({ code: "custom", path: ["endpoint"], message: endpoint.error });
        } else if (!endpoint.scheme) {
            ctx.addIssue({ code: "custom", path: ["endpoint"], message: `"${spec.endpoint}" has no scheme — SDKs need a URL, e.g. http://${spec.endpoint}` });
        } else {
            checkProtocolPort(spec, endpoint.port, message => ctx.addIssue({ code: "custom", path: ["endpoint"], message }));
        }
    }
}).meta({
    description: "The operator's Instrumentation CR (v1alpha1): what it injects into pods annotated for auto-instrumentation.",
    examples: [{
        sampler: { type: "parentbased_traceidratio", argument: "0.25" },
        resourceAttributes: { "deployment.environment": "prod" },
        java: {
            image: "registry.corp/otel/autoinstrumentation-java:2.10.0",
            extensions: [{ image: "registry.corp/otel/ext:1.0", dir: "/extensions" }],
        },
    }],
});

export type InstrumentationConfig = z.output<typeof instrumentationSchema>;

/** Python only speaks http/protobuf; Java 2.x defaults to it unless its env asks for grpc. */
function checkProtocolPort(spec: InstrumentationConfig, port: number, report: (message: string) => void): void {
    const javaProtocol = spec.java.env[OTLP_PROTOCOL_ENV] ?? spec.env[OTLP_PROTOCOL_ENV] ?? "http/protobuf";
    if (port === OTLP_GRPC_PORT) {
        if (spec.python.enabled) {
            report(`port ${OTLP_GRPC_PORT} is OTLP/gRPC but Python auto-instrumentation speaks http/protobuf — use port ${OTLP_HTTP_PORT} or set python.enabled: false`);
        }
        if (spec.java.enabled && javaProtocol !== "grpc") {
            report(`port ${OTLP_GRPC_PORT} is OTLP/gRPC but the Java 2.x agent sends ${javaProtocol} — use port ${OTLP_HTTP_PORT} or set java.env.${OTLP_PROTOCOL_ENV}: grpc`);
        }
    } else if (port === OTLP_HTTP_PORT && spec.java.enabled && javaProtocol === "grpc") {
        report(`port ${OTLP_HTTP_PORT} is OTLP/HTTP but java.env.${OTLP_PROTOCOL_ENV} is grpc — use port ${OTLP_GRPC_PORT} or drop the grpc protocol`);
    }
}
