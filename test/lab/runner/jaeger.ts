/**
 * Reading spans back from the lab's Jaeger through its HTTP query API (`GET /api/traces?service=…`, the API
 * Jaeger's UI uses; jaeger cmd/query/app/http_handler.go), flattened to what the tests and `lab:traces` print.
 */

/** One span with its process (resource) attributes. */
export interface JaegerSpan {
    readonly traceId: string;
    readonly spanId: string;
    readonly name: string;
    /** Start time, microseconds since the epoch. */
    readonly startTimeUs: number;
    readonly service: string;
    /** The process tags Jaeger stores from the OTLP resource attributes (service.name is the service itself). */
    readonly resource: Readonly<Record<string, string>>;
    /** Span tags (attributes). */
    readonly attributes: Readonly<Record<string, string>>;
}

interface Tag { key: string; value: unknown }
interface TracesResponse {
    data: Array<{
        traceID: string;
        spans: Array<{ traceID: string; spanID: string; operationName: string; startTime: number; processID: string; tags: Tag[] }>;
        processes: Record<string, { serviceName: string; tags: Tag[] }>;
    }> | null;
    errors?: Array<{ msg: string }> | null;
}

const tagMap = (tags: readonly Tag[]) => Object.fromEntries(tags.map((t) => [t.key, String(t.value)]));

/** Spans of `service` from the last `lookback` (Jaeger duration, e.g. `1h`), newest traces first as Jaeger returns them. */
export async function jaegerSpans(queryUrl: string, service: string, lookback = "1h", limit = 100): Promise<JaegerSpan[]> {
    const url = `${queryUrl}/api/traces?service=${encodeURIComponent(service)}&lookback=${lookback}&limit=${limit}`;
    const response = await fetch(url);
    const body = (await response.json()) as TracesResponse;
    if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${body.errors?.map((e) => e.msg).join("; ") ?? ""}`);
    return (body.data ?? []).flatMap((trace) => trace.spans.map((span) => {
        const process = trace.processes[span.processID];
        return {
            // Jaeger's model prints IDs without leading zeros (model.TraceID.String): pad them to OTLP's widths.
            traceId: span.traceID.padStart(32, "0"), spanId: span.spanID.padStart(16, "0"), name: span.operationName, startTimeUs: span.startTime,
            service: process.serviceName, resource: tagMap(process.tags), attributes: tagMap(span.tags),
        };
    })).filter((span) => span.service === service);
}

/** The services Jaeger has seen (`GET /api/services`). */
export async function jaegerServices(queryUrl: string): Promise<string[]> {
    const body = (await (await fetch(`${queryUrl}/api/services`)).json()) as { data: string[] | null };
    return body.data ?? [];
}

/** One span of a whole trace, with what its parent/child links need (OTLP's own fields). */
export interface TraceSpan {
    readonly traceId: string;
    readonly spanId: string;
    /** Empty for a root span. */
    readonly parentSpanId: string;
    readonly name: string;
    /** OTLP SpanKind: 2 server, 3 client. */
    readonly kind: number;
    readonly service: string;
}

interface OtlpValue { stringValue?: string }
interface OtlpTraceResponse {
    result?: { resourceSpans: Array<{
        resource: { attributes: Array<{ key: string; value: OtlpValue }> };
        scopeSpans: Array<{ spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; kind?: number }> }>;
    }> };
    error?: { message: string };
}

export const SPAN_KIND = { server: 2, client: 3 } as const;

/**
 * Every span of one trace from Jaeger's API v3 (`GET /api/v3/traces/{traceId}`, OTLP JSON; jaeger
 * cmd/query/app/apiv3/http_gateway.go), which keeps `parentSpanId` as the collector exported it,
 * where the v1 API folds parents and links into `references`.
 */
export async function jaegerTrace(queryUrl: string, traceId: string): Promise<TraceSpan[]> {
    const url = `${queryUrl}/api/v3/traces/${traceId}`;
    const response = await fetch(url);
    const body = (await response.json()) as OtlpTraceResponse;
    if (!response.ok || !body.result) throw new Error(`GET ${url}: ${response.status} ${body.error?.message ?? ""}`);
    return body.result.resourceSpans.flatMap((rs) => {
        const service = rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue ?? "";
        return rs.scopeSpans.flatMap((ss) => ss.spans.map((span) => ({
            traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId ?? "", name: span.name, kind: span.kind ?? 0, service,
        })));
    });
}
