import { z } from "zod";
import { AppsConfig } from "./apps";
import { CollectorConfig } from "./collector";

/** Trace backends the gate can ask; a closed set so adding one (Tempo, …) is a new schema branch. */
export const TraceBackendKind = { jaeger: "jaeger" } as const;
export type TraceBackendKind = (typeof TraceBackendKind)[keyof typeof TraceBackendKind];

/** Default seconds the gate keeps asking for an app's first span after the soak. */
export const DEFAULT_TRACE_TIMEOUT_SECONDS = 60;
/**
 * An SDK's batch span processor exports every 5 s by default (`OTEL_BSP_SCHEDULE_DELAY`, OpenTelemetry SDK
 * environment variable specification); the collector's batch processor then holds spans up to its `timeout`.
 */
export const SDK_EXPORT_DELAY_SECONDS = 5;

const jaegerBackend = z.strictObject({
    kind: z.literal(TraceBackendKind.jaeger),
    /** Jaeger's query service, e.g. `http://jaeger-query.tracing:16686`, reachable from where `pulumi up` runs. */
    url: z.string().superRefine((url, ctx) => {
        const problem = backendUrlProblem(url);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
});

export const verifyTracesSchema = z.strictObject({
    backend: z.discriminatedUnion("kind", [jaegerBackend]),
    /** After the soak, how long the gate keeps asking the backend for an opted-in app's first span. */
    timeoutSeconds: z.int().min(1).default(DEFAULT_TRACE_TIMEOUT_SECONDS),
});
export type VerifyTracesConfig = z.output<typeof verifyTracesSchema>;

function backendUrlProblem(url: string): string | undefined {
    let parsed: URL;
    try {
        parsed = new URL(url);
    } catch {
        return `"${url}" is not a URL — write it as http://host:port, e.g. http://jaeger-query.tracing:16686`;
    }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return `"${url}" must start with http:// or https://`;
    if (parsed.search || parsed.hash) return `"${url}" must not carry a query or fragment — give the query service's base URL`;
    return undefined;
}

/** Go duration text as the collector writes it (`10s`, `200ms`, `1m`, `1m30s`) → seconds. */
export function durationSeconds(text: string): number | undefined {
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
    const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
    if (parts.length === 0 || parts.map(p => p[0]).join("") !== text) return undefined;
    return parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0);
}

/**
 * What `apps[*].verifyTraces` needs beyond the schema: a backend, the service name to ask it about, and a
 * timeout long enough for a span to get through the SDK's and the collector's batching.
 */
export function verifyTracesProblems(verifyTraces: VerifyTracesConfig | undefined, apps: AppsConfig, collector: CollectorConfig): string[] {
    const problems: string[] = [];
    const optedIn = Object.entries(apps).filter(([, app]) => app.verifyTraces);
    for (const [key, app] of optedIn) {
        const at = `apps[${JSON.stringify(key)}]`;
        if (!verifyTraces) problems.push(`${at}.verifyTraces: needs migration.verifyTraces.backend — name the trace backend, e.g. {kind: jaeger, url: "http://jaeger-query.tracing:16686"}`);
        if (!app.serviceName) problems.push(`${at}.serviceName: is required with verifyTraces — the gate asks the backend for this service's spans`);
    }
    const batch = durationSeconds(collector.batch.timeout) ?? 0;
    const least = Math.ceil(batch + SDK_EXPORT_DELAY_SECONDS);
    if (verifyTraces && verifyTraces.timeoutSeconds < least) {
        problems.push(`migration.verifyTraces.timeoutSeconds: ${verifyTraces.timeoutSeconds} is shorter than a span may take to arrive ` +
            `(the SDK exports every ${SDK_EXPORT_DELAY_SECONDS}s and collector.batch.timeout holds spans ${collector.batch.timeout}) — use at least ${least}`);
    }
    return problems;
}
