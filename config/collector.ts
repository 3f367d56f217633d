import { z } from "zod";
import { JAEGER_LEGACY_GRPC_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT, parseEndpoint } from "./endpoint";

export const Signal = { traces: "traces", metrics: "metrics", logs: "logs" } as const;
export type Signal = (typeof Signal)[keyof typeof Signal];
const signals = z.array(z.enum([Signal.traces, Signal.metrics, Signal.logs])).min(1);

export const ExporterKind = { otlp: "otlp", otlphttp: "otlphttp", deepflow: "deepflow", debug: "debug" } as const;
export type ExporterKind = (typeof ExporterKind)[keyof typeof ExporterKind];

const exporterName = z.string().regex(/^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/, "must be lowercase letters, digits, '-' or '_' — it becomes part of the collector component id");

const tlsFields = {
    /** Plain-text transport. Off by default; asking for it is logged as a warning. */
    insecure: z.boolean().default(false),
    headers: z.record(z.string(), z.string()).optional(),
};

/** The otlp and otlphttp exporters differ only in their kind and the endpoint form their transport takes. */
function otlpExporterSchema<K extends typeof ExporterKind.otlp | typeof ExporterKind.otlphttp>(kind: K, endpointForm: string) {
    return z.strictObject({
        name: exporterName,
        kind: z.literal(kind),
        endpoint: z.string().describe(endpointForm),
        signals: signals.default([Signal.traces]),
        ...tlsFields,
    });
}

const otlpExporter = otlpExporterSchema(ExporterKind.otlp, "`host:port` (gRPC); a scheme is optional.");
const otlpHttpExporter = otlpExporterSchema(ExporterKind.otlphttp, "`http(s)://host:port[/path]`.");

const deepflowExporter = z.strictObject({
    name: exporterName,
    kind: z.literal(ExporterKind.deepflow),
    /** Defaults to the deepflow-agent Service, `http://deepflow-agent.<deepflow.agentNamespace>/api/v1/otel/trace`. */
    endpoint: z.string().optional(),
    /** Spans arrive through a load balancer or NodePort: associate pods by `host.name` first (seed 004's `resource/pre`). */
    behindLoadBalancer: z.boolean().default(false),
});

const debugExporter = z.strictObject({
    name: exporterName,
    kind: z.literal(ExporterKind.debug),
    verbosity: z.enum(["basic", "normal", "detailed"]).default("basic"),
    signals: signals.default([Signal.traces, Signal.metrics, Signal.logs]),
});

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
    /** The CR's name; the operator names the Service `<name>-collector`. */
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label — use lowercase letters, digits and '-'").default("otel"),
    /** `daemonset` (an agent per node, the default) or `deployment` (a gateway). */
    mode: z.enum([CollectorMode.daemonset, CollectorMode.deployment]).default(CollectorMode.daemonset),
    /** Only for `mode: deployment`. */
    replicas: z.int().min(1).optional(),
    /** Overrides the operator's collector image for this collector. */
    image: z.string().min(1).optional(),
    cors: z.strictObject({
        allowedOrigins: z.array(z.string().min(1)).default([]),
        /** Required to accept a bare `*` origin, which lets any web page post telemetry. */
        allowInsecureCors: z.boolean().default(false),
    }).superRefine((cors, ctx) => cors.allowedOrigins.forEach((origin, index) => {
        if (origin.trim() === "*" && !cors.allowInsecureCors) {
            ctx.addIssue({ code: "custom", path: ["allowedOrigins", index], message: `"*" lets any web page send telemetry — list your origins (e.g. https://*.corp.example) or set cors.allowInsecureCors: true` });
        }
    })).prefault({}),
    memoryLimiter: z.strictObject({
        checkInterval: z.string().default("1s"),
        limitPercentage: z.int().min(1).max(100).default(75),
        spikeLimitPercentage: z.int().min(0).max(100).default(15),
    }).refine(limiter => limiter.spikeLimitPercentage < limiter.limitPercentage, {
        path: ["spikeLimitPercentage"], message: "must be below limitPercentage — the seed uses 75 and 15",
    }).prefault({}),
    batch: z.strictObject({
        sendBatchSize: z.int().min(1).default(10000),
        timeout: z.string().default("10s"),
    }).prefault({}),
    /** Extra k8sattributes metadata; node metadata needs read access to nodes, so it is opt-in. */
    k8sAttributes: z.strictObject({
        nodeMetadata: z.boolean().default(false),
    }).prefault({}),
    exporters: z.array(exporterSchema).min(1, "needs at least one exporter — add e.g. {name: debug, kind: debug}").superRefine((exporters, ctx) => {
        const seen = new Map<string, number>();
        exporters.forEach((exporter, index) => {
            const previous = seen.get(exporter.name);
            if (previous !== undefined) {
                ctx.addIssue({ code: "custom", path: [index, "name"], message: `"${exporter.name}" is already used by exporters[${previous}] — give each exporter a unique name` });
            }
            seen.set(exporter.name, index);
        });
    }),
}).superRefine((collector, ctx) => {
    if (collector.mode === CollectorMode.daemonset && collector.replicas !== undefined) {
        ctx.addIssue({ code: "custom", path: ["replicas"], message: "is ignored by mode daemonset (one pod per node) — remove it or set mode: deployment" });
    }
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
