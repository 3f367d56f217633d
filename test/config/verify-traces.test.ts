import { ConfigError, durationSeconds, parseStackConfig, tracesChecked } from "../../config";
import { withInventory } from "../support/inventory";

const app = (extra: Record<string, unknown> = {}) => ({
    mode: "otel", container: "order", serviceName: "order", agentIn: { env: ["JAVA_TOOL_OPTIONS"] },
    original: { env: { JAVA_TOOL_OPTIONS: "-javaagent:/sw/skywalking-agent.jar" } }, ...extra,
});
const jaeger = { kind: "jaeger", url: "http://jaeger-query.tracing:16686" };
const base = { collector: { exporters: [{ name: "debug", kind: "debug" }] }, apps: { "shop/order": app() } };

function problemsOf(raw: Record<string, unknown>): readonly string[] {
    try {
        parseStackConfig(...withInventory({ ...base, ...raw }));
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    return [];
}

describe("migration.verifyTraces", () => {
    test("GIVEN a backend and the apps that get traffic THEN it is accepted with the default timeout, covering exactly those apps", () => {
        const { config } = parseStackConfig(...withInventory({ ...base, migration: { verifyTraces: { backend: jaeger, apps: ["shop/ord*"] } } }));
        expect(config.migration.verifyTraces).toEqual({ backend: jaeger, apps: ["shop/ord*"], timeoutSeconds: 60 });
        expect(tracesChecked(config.migration.verifyTraces, "shop/order")).toBe(true);
        expect(tracesChecked(config.migration.verifyTraces, "shop/cart")).toBe(false);
        expect(tracesChecked(undefined, "shop/order")).toBe(false);
    });

    test.each([
        { name: "a covered otel app without serviceName", raw: { apps: { "shop/order": app({ serviceName: undefined }) }, migration: { verifyTraces: { backend: jaeger, apps: ["shop"] } } },
            problems: [`apps["shop/order"]: has no serviceName in the inventory, which migration.verifyTraces needs to ask the backend for its spans — add it (SW_AGENT_NAME) or leave the app out of migration.verifyTraces.apps`] },
        { name: "a pattern that matches no app", raw: { migration: { verifyTraces: { backend: jaeger, apps: ["shop/cart"] } } },
            problems: [`migration.verifyTraces.apps[0]: "shop/cart" matches no app in the inventory — fix the key or pattern`] },
        { name: "no apps", raw: { migration: { verifyTraces: { backend: jaeger, apps: [] } } },
            problems: ["migration.verifyTraces.apps: names no app — list the apps that get traffic during the soak, e.g. [shop/order]"] },
        { name: "a malformed URL", raw: { migration: { verifyTraces: { backend: { kind: "jaeger", url: "jaeger-query:16686/x y" }, apps: ["shop"] } } },
            problems: [`migration.verifyTraces.backend.url: "jaeger-query:16686/x y" must start with http:// or https://`] },
        { name: "not a URL at all", raw: { migration: { verifyTraces: { backend: { kind: "jaeger", url: "::" }, apps: ["shop"] } } },
            problems: [`migration.verifyTraces.backend.url: "::" is not a URL — write it as http://host:port, e.g. http://jaeger-query.tracing:16686`] },
        { name: "a URL with a query", raw: { migration: { verifyTraces: { backend: { kind: "jaeger", url: "http://j:16686/?x=1" }, apps: ["shop"] } } },
            problems: [`migration.verifyTraces.backend.url: "http://j:16686/?x=1" must not carry a query or fragment — give the query service's base URL`] },
        { name: "an unknown backend", raw: { migration: { verifyTraces: { backend: { kind: "tempo", url: "http://t:3200" }, apps: ["shop"] } } },
            problems: [`migration.verifyTraces.backend.kind: "tempo" is not allowed — use one of: jaeger`] },
        { name: "a timeout shorter than the batching", raw: { migration: { verifyTraces: { backend: jaeger, apps: ["shop"], timeoutSeconds: 12 } } },
            problems: ["migration.verifyTraces.timeoutSeconds: 12 is shorter than a span may take to arrive (the SDK exports every 5s and collector.batch.timeout holds spans 10s) — use at least 15"] },
    ])("GIVEN $name THEN preview fails naming the key", ({ raw, problems }) => {
        expect(problemsOf(raw)).toEqual(problems);
    });
});

test.each([["10s", 10], ["200ms", 0.2], ["1m30s", 90], ["1h", 3600], ["ten", undefined], ["10", undefined]])("durationSeconds(%s) is %s", (text, seconds) => {
    expect(durationSeconds(text)).toBe(seconds);
});
