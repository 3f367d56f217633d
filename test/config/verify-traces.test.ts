import { ConfigError, durationSeconds, parseStackConfig } from "../../config";

const app = (extra: Record<string, unknown>) => ({
    mode: "otel", container: "order", serviceName: "order", agentIn: { env: ["JAVA_TOOL_OPTIONS"] },
    original: { env: { JAVA_TOOL_OPTIONS: "-javaagent:/sw/skywalking-agent.jar" } }, ...extra,
});
const jaeger = { kind: "jaeger", url: "http://jaeger-query.tracing:16686" };

function problemsOf(raw: Record<string, unknown>): readonly string[] {
    try {
        parseStackConfig({ collector: { exporters: [{ name: "debug", kind: "debug" }] }, ...raw });
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    return [];
}

describe("migration.verifyTraces and apps[*].verifyTraces", () => {
    test("GIVEN a backend and an opted-in app THEN the config is accepted with the default timeout", () => {
        const { config } = parseStackConfig({
            collector: { exporters: [{ name: "debug", kind: "debug" }] },
            migration: { verifyTraces: { backend: jaeger } }, apps: { "shop/order": app({ verifyTraces: true }) },
        });
        expect(config.migration.verifyTraces).toEqual({ backend: jaeger, timeoutSeconds: 60 });
        expect(config.apps["shop/order"].verifyTraces).toBe(true);
    });

    test.each([
        { name: "an opted-in app without a backend", raw: { apps: { "shop/order": app({ verifyTraces: true }) } },
            problems: [`apps["shop/order"].verifyTraces: needs migration.verifyTraces.backend — name the trace backend, e.g. {kind: jaeger, url: "http://jaeger-query.tracing:16686"}`] },
        { name: "an opted-in app without serviceName", raw: { migration: { verifyTraces: { backend: jaeger } }, apps: { "shop/order": app({ verifyTraces: true, serviceName: undefined }) } },
            problems: [`apps["shop/order"].serviceName: is required with verifyTraces — the gate asks the backend for this service's spans`] },
        { name: "a malformed URL", raw: { migration: { verifyTraces: { backend: { kind: "jaeger", url: "jaeger-query:16686/x y" } } } },
            problems: [`migration.verifyTraces.backend.url: "jaeger-query:16686/x y" must start with http:// or https://`] },
        { name: "not a URL at all", raw: { migration: { verifyTraces: { backend: { kind: "jaeger", url: "::" } } } },
            problems: [`migration.verifyTraces.backend.url: "::" is not a URL — write it as http://host:port, e.g. http://jaeger-query.tracing:16686`] },
        { name: "a URL with a query", raw: { migration: { verifyTraces: { backend: { kind: "jaeger", url: "http://j:16686/?x=1" } } } },
            problems: [`migration.verifyTraces.backend.url: "http://j:16686/?x=1" must not carry a query or fragment — give the query service's base URL`] },
        { name: "an unknown backend", raw: { migration: { verifyTraces: { backend: { kind: "tempo", url: "http://t:3200" } } } },
            problems: [`migration.verifyTraces.backend.kind: "tempo" is not allowed — use one of: jaeger`] },
        { name: "a timeout shorter than the batching", raw: { migration: { verifyTraces: { backend: jaeger, timeoutSeconds: 12 } } },
            problems: ["migration.verifyTraces.timeoutSeconds: 12 is shorter than a span may take to arrive (the SDK exports every 5s and collector.batch.timeout holds spans 10s) — use at least 15"] },
    ])("GIVEN $name THEN preview fails naming the key", ({ raw, problems }) => {
        expect(problemsOf(raw)).toEqual(problems);
    });
});

test.each([["10s", 10], ["200ms", 0.2], ["1m30s", 90], ["1h", 3600], ["ten", undefined], ["10", undefined]])("durationSeconds(%s) is %s", (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
});
