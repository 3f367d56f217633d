import { Clock, GateFailure, gateError } from "./gate-runner";

/** Which service to ask a trace backend about, since when, and for how long. Plain values (serialized provider). */
export interface TraceCheckTarget {
    /** `namespace/workload`, for the message. */
    readonly app: string;
    /** The service name the app reports (`serviceName`, kept as OTEL_SERVICE_NAME). */
    readonly service: string;
    /** The backend's kind and base URL, e.g. `jaeger http://jaeger-query.tracing:16686`, for the message. */
    readonly backend: string;
    /** Start of the window, ms since the epoch: when the gate began watching the flipped template. */
    readonly sinceMs: number;
    readonly timeoutSeconds: number;
    readonly pollSeconds: number;
}

/** How many traces with spans of `service` that started in [startMs, endMs] the backend holds. */
export type TraceCount = (service: string, startMs: number, endMs: number) => Promise<number>;

/**
 * Asks the backend until it has a span of the service from the window, at most `timeoutSeconds`; then fails the
 * app with reason `no telemetry`, naming the service, the backend and the window. Returns the trace count seen.
 */
export async function runTraceCheck(target: TraceCheckTarget, count: TraceCount, clock: Clock): Promise<number> {
    const deadline = clock.now() + target.timeoutSeconds * 1000;
    for (;;) {
        const end = clock.now();
        const traces = await count(target.service, target.sinceMs, end);
        if (traces > 0) return traces;
        if (end >= deadline) {
            const window = `${new Date(target.sinceMs).toISOString()} and ${new Date(end).toISOString()}`;
            throw gateError(target.app, GateFailure.noTelemetry, [`no spans of service "${target.service}" in ${target.backend} between ${window}`]);
        }
        await clock.sleep(Math.min(target.pollSeconds * 1000, deadline - end));
    }
}

/**
 * Jaeger's HTTP query API (`GET /api/traces?service=&start=&end=`, microseconds; jaeger cmd/query/app/http_handler.go).
 * A service Jaeger has never seen answers with no data, which counts as zero.
 */
export function jaegerTraceCount(baseUrl: string, getJson: (url: string) => Promise<unknown>): TraceCount {
    return async (service, startMs, endMs) => {
        const url = `${baseUrl.replace(/\/$/, "")}/api/traces?service=${encodeURIComponent(service)}&start=${startMs * 1000}&end=${endMs * 1000}&limit=20`;
        const body = await getJson(url) as { data?: unknown[] | null };
        return (body.data ?? []).length;
    };
}

/** GET returning parsed JSON; rejects naming the URL on a transport error or a non-2xx answer. */
export async function fetchJson(url: string, timeoutMs = 10_000): Promise<unknown> {
    let response: Response;
    try {
        response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
        // fetch reports "fetch failed"; the reason (ECONNREFUSED, a timeout, a bad port) is its cause.
        const { cause } = error as { cause?: { code?: string; message?: string } };
        const reason = cause?.code ?? cause?.message ?? (error as Error).message;
        throw new Error(`GET ${url}: ${reason}`);
    }
    if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
    return response.json();
}

/**
 * Preview-time check that the backend answers as a Jaeger query service (`GET /api/services`), so a wrong or
 * unreachable URL fails before any workload is touched rather than after a soak. Resolves to a problem or undefined.
 */
export async function traceBackendProblem(baseUrl: string, timeoutMs = 5_000): Promise<string | undefined> {
    try {
        const body = await fetchJson(`${baseUrl.replace(/\/$/, "")}/api/services`, timeoutMs) as { data?: unknown };
        if (body === null || typeof body !== "object" || !("data" in body)) return `${baseUrl} answers, but not as Jaeger's query API (no "data" in /api/services)`;
        return undefined;
    } catch (error) {
        return `${(error as Error).message} — check the URL and that Jaeger's query service is reachable from where pulumi runs`;
    }
}
