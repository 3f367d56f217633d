/**
 * Whether one trace holds a call chain with correct parent/child links: service 1 (called from outside) → HTTP →
 * service 2 → HTTP → … → service n. Each service has a server span; each but the last a client span under its
 * own server span; each server span after the first is the child of the previous service's client span. Pure, so
 * the lab e2e's claim "one trace, correctly linked" is itself tested against traces that are not.
 */
import { SPAN_KIND, TraceSpan } from "./jaeger";

const describeSpan = (span: TraceSpan | undefined) => (span ? `${span.service} ${span.spanId} (parent ${span.parentSpanId || "none"})` : "none");

/** The problems that keep `spans` from being one correctly linked chain through `services`, in order; empty when it is one. */
export function chainProblems(spans: readonly TraceSpan[], services: readonly string[]): string[] {
    const problems: string[] = [];
    const traceIds = new Set(spans.map((s) => s.traceId));
    if (traceIds.size !== 1) problems.push(`spans of ${traceIds.size} traces, expected 1: ${[...traceIds].join(", ")}`);
    const only = (service: string, kind: number, what: string): TraceSpan | undefined => {
        const found = spans.filter((s) => s.service === service && s.kind === kind);
        if (found.length !== 1) problems.push(`${service}: ${found.length} ${what} spans, expected 1`);
        return found.length === 1 ? found[0] : undefined;
    };
    const servers = services.map((service) => only(service, SPAN_KIND.server, "server"));
    const clients = services.slice(0, -1).map((service) => only(service, SPAN_KIND.client, "client"));
    if (servers[0] && servers[0].parentSpanId !== "") problems.push(`${services[0]}'s server span has parent ${servers[0].parentSpanId}, expected none (the chain's root)`);
    services.forEach((service, i) => {
        const client = clients[i];
        if (client && servers[i] && client.parentSpanId !== servers[i]!.spanId) {
            problems.push(`${service}'s client span ${describeSpan(client)} is not the child of its server span ${servers[i]!.spanId}`);
        }
        const caller = clients[i - 1];
        if (i > 0 && caller && servers[i] && servers[i]!.parentSpanId !== caller.spanId) {
            problems.push(`${service}'s server span ${describeSpan(servers[i])} is not the child of ${services[i - 1]}'s client span ${caller.spanId}`);
        }
    });
    const strangers = spans.filter((s) => !services.includes(s.service)).map((s) => s.service);
    if (strangers.length > 0) problems.push(`spans of other services: ${[...new Set(strangers)].join(", ")}`);
    return problems;
}
