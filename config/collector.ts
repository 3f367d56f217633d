import { z } from "zod";
import { JAEGER_LEGACY_GRPC_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT, parseEndpoint } from "./endpoint";
import { skywalkingReceiverSchema } from "./skywalking-receiver";

export const Signal = { traces: "traces", metrics: "metrics", logs: "logs" } as const;
export type Signal = (typeof Signal)[keyof typeof Signal];
const signals = z.array(z.enum(Signal)).min(1);

export const ExporterKind = { otlp: "otlp", otlphttp: "otlphttp", deepflow: "deepflow", debug: "debug" } as const;
export type ExporterKind = (typeof ExporterKind)[keyof typeof ExporterKind];

const exporterName = z.string().regex(/^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/, "must be lowercase letters, digits, '-' or '_' — it becomes part of the collector component id")
    .describe("Unique among the exporters; part of the collector's component id `<kind>/<name>`.");

const tlsFields = {
    insecure: z.boolean().default(false).describe("Plain-text transport. Off by default; asking for it is logged as a warning."),
    headers: z.record(z.string(), z.string()).optional().describe("Headers sent with every export, e.g. a tenant id."),
};

/** The otlp and otlphttp exporters differ only in their kind and the endpoint form their transport takes. */
function otlpExporterSchema<K extends typeof ExporterKind.otlp | typeof ExporterKind.otlphttp>(kind: K, transport: string, endpointForm: string) {
    return z.strictObject({
        name: exporterName,
        kind: z.literal(kind),
        endpoint: z.string().describe(endpointForm),
        signals: signals.default([Signal.traces]).describe("The signals this exporter takes; each signal's pipeline lists only its exporters."),
        ...tlsFields,
    }).describe(`OTLP over ${transport}, e.g. to Jaeger or Tempo.`);
}

const otlpExporter = otlpExporterSchema(ExporterKind.otlp, "gRPC", "`host:port` (gRPC); a scheme is optional. Not 4318 (OTLP/HTTP) nor 14250 (Jaeger's legacy gRPC).");
const otlpHttpExporter = otlpExporterSchema(ExporterKind.otlphttp, "HTTP (protobuf)", "`http(s)://host:port[/path]`, scheme required. Not 4317 (OTLP/gRPC).");

const deepflowExporter = z.strictObject({
    name: exporterName,
    kind: z.literal(ExporterKind.deepflow),
    endpoint: z.string().optional().describe(
        "Defaults to the deepflow-agent Service, `http://deepflow-agent.<deepflow.agentNamespace>/api/v1/otel/trace`. If set: " +
        "an `http(s)://` URL on port 80 or `deepflow.ingestPort`, ending in `/api/v1/otel/trace`."),
    behindLoadBalancer: z.boolean().default(false).describe(
        "Spans arrive through a load balancer or NodePort: adds a `resource/pre` processor (`host.name` → `k8s.pod.name`) " +
        "and associates pods by name first."),
}).describe(
    "At most one. Exports traces with `otlphttp` (protobuf, retry on failure) and turns on `k8sattributes` and a `resource` " +
    "processor that inserts `app.host.ip` from `k8s.pod.ip`, so DeepFlow learns the IP of the pod that sent each span.");

const debugExporter = z.strictObject({
    name: exporterName,
    kind: z.literal(ExporterKind.debug),
    verbosity: z.enum(["basic", "normal", "detailed"]).default("basic").describe("How much of each item the collector logs."),
    signals: signals.default([Signal.traces, Signal.metrics, Signal.logs]).describe("The signals this exporter takes."),
}).describe("Logs what the collector receives, for trying things out.");

/** Endpoint checks sit on each exporter so one bad exporter does not hide the others' problems. */
function withEndpointCheck<T extends z.ZodObject>(schema: T): T {
    return schema.superRefine((exporter, ctx) =>
        checkExporterEndpoint(exporter as EndpointFields, (message, key = "endpoint") => ctx.addIssue({ code: "custom", path: [key], message })));
}

export const exporterSchema = z.discriminatedUnion("kind", [
    withEndpointCheck(otlpExporter), withEndpointCheck(otlpHttpExporter), withEndpointCheck(deepflowExporter), debugExporter,
]);
export type ExporterConfig = z.output<typeof exporterSchema>;

export const CollectorMode = { daemonset: "daemonset", deployment: "deployment" } as const;
export type CollectorMode = (typeof CollectorMode)[keyof typeof CollectorMode];

export const collectorSchema = z.strictObject({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label — use lowercase letters, digits and '-'").default("otel")
        .describe("The CR's name; the operator names the Service `<name>-collector`."),
    mode: z.enum(CollectorMode).default(CollectorMode.daemonset)
        .describe("`daemonset` (an agent per node) or `deployment` (a gateway)."),
    replicas: z.int().min(1).optional().describe("Only for `mode: deployment` (an error with `daemonset`)."),
    image: z.string().min(1).optional().describe("Overrides the operator's collector image for this collector."),
    cors: z.strictObject({
        allowedOrigins: z.array(z.string().min(1)).default([]).describe("Web origins allowed to send OTLP/HTTP; `\"*\"` needs `allowInsecureCors: true`."),
        allowInsecureCors: z.boolean().default(false)
            .describe("Required to accept a bare `*` origin, which lets any web page post telemetry; logged as a warning."),
    }).superRefine((cors, ctx) => cors.allowedOrigins.forEach((origin, index) => {
        if (origin.trim() === "*" && !cors.allowInsecureCors) {
            ctx.addIssue({ code: "custom", path: ["allowedOrigins", index], message: `"*" lets any web page send telemetry — list your origins (e.g. https://*.corp.example) or set cors.allowInsecureCors: true` });
        }
    })).prefault({}).describe("CORS for the OTLP/HTTP receiver, for browser telemetry."),
    memoryLimiter: z.strictObject({
        checkInterval: z.string().default("1s"),
        limitPercentage: z.int().min(1).max(100).default(75),
        spikeLimitPercentage: z.int().min(0).max(100).default(15).describe("Must be below `limitPercentage`."),
    }).refine(limiter => limiter.spikeLimitPercentage < limiter.limitPercentage, {
        path: ["spikeLimitPercentage"], message: "must be below limitPercentage — e.g. 75 and 15, the defaults",
    }).prefault({}).describe("The `memory_limiter` processor, first in every pipeline."),
    batch: z.strictObject({
        sendBatchSize: z.int().min(1).default(10000),
        timeout: z.string().default("10s"),
    }).prefault({}).describe("The `batch` processor, last in every pipeline."),
    k8sAttributes: z.strictObject({
        nodeMetadata: z.boolean().default(false).describe("Adds `k8s.node.name`, and read access to nodes to the collector's ClusterRole."),
    }).prefault({}).describe(
        "Extra `k8sattributes` metadata. The processor runs only for a DeepFlow exporter; its ClusterRole (get/list/watch on " +
        "pods, namespaces, replicasets) exists only while it runs."),
    exporters: z.array(exporterSchema).min(1, "needs at least one exporter — add e.g. {name: debug, kind: debug}").superRefine((exporters, ctx) => {
        const seen = new Map<string, number>();
        exporters.forEach((exporter, index) => {
            const previous = seen.get(exporter.name);
            if (previous !== undefined) {
                ctx.addIssue({ code: "custom", path: [index, "name"], message: `"${exporter.name}" is already used by exporters[${previous}] — give each exporter a unique name` });
            }
            seen.set(exporter.name, index);
        });
    }).describe("Where the collector sends telemetry; at least one, names unique. TLS is on unless an exporter says `insecure: true`."),
    skywalkingReceiver: skywalkingReceiverSchema.optional(),
}).superRefine((collector, ctx) => {
    if (collector.mode === CollectorMode.daemonset && collector.replicas !== undefined) {
        ctx.addIssue({ code: "custom", path: ["replicas"], message: "is ignored by mode daemonset (one pod per node) — remove it or set mode: deployment" });
    }
    if (collector.skywalkingReceiver && !collector.exporters.some(e => e.kind === ExporterKind.deepflow || e.signals.includes(Signal.traces))) {
        ctx.addIssue({ code: "custom", path: ["skywalkingReceiver"], message: "feeds the traces pipeline, but no exporter takes traces — add traces to an exporter's signals or remove skywalkingReceiver" });
    }
}).meta({
    description: "The OpenTelemetryCollector (v1beta1) the operator runs, and its pipelines. Required.",
    examples: [{
        mode: "daemonset",
        cors: { allowedOrigins: ["https://*.corp.example"] },
        exporters: [
            { name: "jaeger-a", kind: "otlp", endpoint: "jaeger-a-collector.tracing:4317" },
            { name: "tempo", kind: "otlphttp", endpoint: "https://tempo.corp.example:4318", headers: { "x-tenant": "shop" } },
            { name: "deepflow", kind: "deepflow" },
            { name: "debug", kind: "debug", verbosity: "basic" },
        ],
    }],
});

export type CollectorConfig = z.output<typeof collectorSchema>;

interface EndpointFields {
    readonly kind: ExporterKind;
    readonly endpoint?: string;
    readonly insecure?: boolean;
}

function checkExporterEndpoint(exporter: EndpointFields, report: (message: string, key?: string) => void): void {
    if (exporter.kind === ExporterKind.debug) return;
    if (exporter.endpoint === undefined) return;
    const endpoint = parseEndpoint(exporter.endpoint);
    if ("error" in endpoint) return report(endpoint.error);
    if (endpoint.port === JAEGER_LEGACY_GRPC_PORT) {
        return report(`port ${JAEGER_LEGACY_GRPC_PORT} is Jaeger's legacy gRPC, not OTLP — point it at Jaeger's OTLP port ${OTLP_GRPC_PORT} (gRPC) or ${OTLP_HTTP_PORT} (kind: otlphttp)`);
    }
    if (exporter.kind === ExporterKind.otlphttp || exporter.kind === ExporterKind.deepflow) {
        if (!endpoint.scheme) return report(`"${exporter.endpoint}" has no scheme — write http://${exporter.endpoint} or https://${exporter.endpoint}`);
    }
    if (exporter.kind === ExporterKind.otlp || exporter.kind === ExporterKind.otlphttp) {
        if (endpoint.scheme === "https" && exporter.insecure) {
            report("https:// contradicts insecure: true — drop insecure or use http://", "insecure");
        }
        if (exporter.kind === ExporterKind.otlp && endpoint.port === OTLP_HTTP_PORT) {
            report(`port ${OTLP_HTTP_PORT} is OTLP/HTTP but kind otlp speaks gRPC — use port ${OTLP_GRPC_PORT} or kind: otlphttp`);
        }
        if (exporter.kind === ExporterKind.otlphttp && endpoint.port === OTLP_GRPC_PORT) {
            report(`port ${OTLP_GRPC_PORT} is OTLP/gRPC but kind otlphttp speaks HTTP — use port ${OTLP_HTTP_PORT} or kind: otlp`);
        }
    }
}
