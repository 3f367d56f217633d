import { z } from "zod";
import { MATCH_PATTERN, selectorMatches } from "./app-match";
import type { AppConfig } from "./apps";
import type { CollectorConfig } from "./collector";
// A cycle (migration.ts holds this schema): AppMode is read only inside functions, after both modules loaded.
import { AppMode } from "./migration";

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
    backend: z.discriminatedUnion("kind", [jaegerBackend]).describe(
        "The trace backend the gate asks: `kind` `jaeger` with `url`, Jaeger's query service (e.g. `http://jaeger-query.tracing:16686`), reachable from where `pulumi up` runs."),
    apps: z.array(z.string().regex(MATCH_PATTERN, "must be an app key, a namespace or a namespace/name glob — e.g. shop/order, shop or shop/*"))
        .min(1, "names no app — list the apps that get traffic during the soak, e.g. [shop/order]")
        .describe("The apps whose spans the gate checks after their flip, as keys or globs like `selectors[].match`: only apps " +
            "known to get traffic during the soak, so an idle app never fails for lack of it."),
    timeoutSeconds: z.int().min(1).default(DEFAULT_TRACE_TIMEOUT_SECONDS)
        .describe("After the soak, how long the gate keeps asking the backend for a checked app's first span."),
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

/** Whether the trace check covers the app `key` (in otel mode): the stack names a backend and lists the app. */
export function tracesChecked(verifyTraces: VerifyTracesConfig | undefined, key: string): boolean {
    return verifyTraces?.apps.some(match => selectorMatches(match, key)) ?? false;
}

/**
 * What the trace check needs beyond the schema: the service name to ask about for every covered app in otel mode,
 * a pattern that matches some app, and a timeout long enough for a span to get through the SDK's and the
 * collector's batching.
 */
export function verifyTracesProblems(verifyTraces: VerifyTracesConfig | undefined, apps: Readonly<Record<string, AppConfig>>, collector: CollectorConfig): string[] {
    if (!verifyTraces) return [];
    const problems: string[] = [];
    verifyTraces.apps.forEach((match, index) => {
        if (!Object.keys(apps).some(key => selectorMatches(match, key))) {
            problems.push(`migration.verifyTraces.apps[${index}]: ${JSON.stringify(match)} matches no app in the inventory — fix the key or pattern`);
        }
    });
    for (const [key, app] of Object.entries(apps)) {
        if (app.mode === AppMode.otel && tracesChecked(verifyTraces, key) && !app.serviceName) {
            problems.push(`apps[${JSON.stringify(key)}]: has no serviceName in the inventory, which migration.verifyTraces needs to ask the backend for its spans — add it (SW_AGENT_NAME) or leave the app out of migration.verifyTraces.apps`);
        }
    }
    const batch = durationSeconds(collector.batch.timeout) ?? 0;
    const least = Math.ceil(batch + SDK_EXPORT_DELAY_SECONDS);
    if (verifyTraces.timeoutSeconds < least) {
        problems.push(`migration.verifyTraces.timeoutSeconds: ${verifyTraces.timeoutSeconds} is shorter than a span may take to arrive ` +
            `(the SDK exports every ${SDK_EXPORT_DELAY_SECONDS}s and collector.batch.timeout holds spans ${collector.batch.timeout}) — use at least ${least}`);
    }
    return problems;
}
