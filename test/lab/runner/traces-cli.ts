/**
 * `npm run lab:traces -- <service> [lookback]`: prints the spans the lab's Jaeger holds for a service, one line per
 * span with its trace id, name and resource attributes (lookback in Jaeger's units, default 1h).
 */
import { jaegerServices, jaegerSpans } from "./jaeger";
import { jaegerAddresses } from "./lab-telemetry";

async function main(): Promise<void> {
    const [service, lookback = "1h"] = process.argv.slice(2);
    const { queryUrl } = jaegerAddresses();
    if (!service) {
        console.error(`usage: npm run lab:traces -- <service> [lookback]; services in Jaeger: ${(await jaegerServices(queryUrl)).join(", ") || "none yet"}`);
        process.exit(2);
    }
    const spans = await jaegerSpans(queryUrl, service, lookback);
    if (spans.length === 0) {
        console.error(`no spans of ${service} in the last ${lookback} at ${queryUrl}; services: ${(await jaegerServices(queryUrl)).join(", ") || "none"}`);
        process.exit(1);
    }
    for (const span of spans.sort((a, b) => a.startTimeUs - b.startTimeUs)) {
        const at = new Date(span.startTimeUs / 1000).toISOString();
        const resource = Object.entries(span.resource).filter(([k]) => !k.startsWith("telemetry.")).map(([k, v]) => `${k}=${v}`).join(" ");
        console.log(`${at} trace ${span.traceId} span ${span.spanId} ${span.service} "${span.name}" ${resource}`);
    }
    console.log(`${spans.length} span(s) of ${service} from ${queryUrl}/api/traces?service=${encodeURIComponent(service)}`);
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
});
