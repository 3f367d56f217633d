import { ConfigError, deepflowExporterProblems, deepflowSchema, exporterSchema, parseStackConfig } from "../../config";

const deepflow = (raw: object) => deepflowSchema.parse(raw);
const exporter = (raw: object) => exporterSchema.parse({ name: "deepflow", kind: "deepflow", ...raw });

describe("deepflowExporterProblems: the exporter and the agent group agree on the port", () => {
    test.each([
        { name: "defaults: through the Service to 38086", df: {}, exp: {} },
        { name: "the Service URL written out", df: {}, exp: { endpoint: "http://deepflow-agent.deepflow:80/api/v1/otel/trace" } },
        { name: "straight to the agent on its ingest port", df: { ingestPort: 38087 }, exp: { endpoint: "http://10.0.0.7:38087/api/v1/otel/trace" } },
    ])("no problem: $name", ({ df, exp }) => {
        expect(deepflowExporterProblems(deepflow(df), [exporter(exp)])).toEqual([]);
    });

    test.each([
        {
            name: "a non-default ingest port behind the Service",
            df: { ingestPort: 38087 }, exp: {},
            problems: ['deepflow.ingestPort: 38087 is not where the deepflow-agent Service forwards (port 80 → 38086), so exporter "deepflow" would miss the agent — keep 38086 or set collector.exporters[0].endpoint to http://<agent-address>:38087/api/v1/otel/trace'],
        },
        {
            name: "a direct port that is not the ingest port",
            df: {}, exp: { endpoint: "http://10.0.0.7:4318/api/v1/otel/trace" },
            problems: ["collector.exporters[0].endpoint: port 4318 is neither the deepflow-agent Service's 80 nor deepflow.ingestPort 38086 — use http://deepflow-agent.deepflow/api/v1/otel/trace or http://<agent-address>:38086/api/v1/otel/trace"],
        },
        {
            name: "the agent without the trace path",
            df: {}, exp: { endpoint: "http://10.0.0.7:38086" },
            problems: ['collector.exporters[0].endpoint: path "" is not where deepflow-agent takes traces — end the URL with /api/v1/otel/trace'],
        },
    ])("problem: $name", ({ df, exp, problems }) => {
        expect(deepflowExporterProblems(deepflow(df), [exporter(exp)])).toEqual(problems);
    });

    test("other exporter kinds are not checked", () => {
        const otlp = exporterSchema.parse({ name: "jaeger", kind: "otlp", endpoint: "jaeger:4317" });
        expect(deepflowExporterProblems(deepflow({ ingestPort: 1 }), [otlp])).toEqual([]);
    });

    test("otelIngest defaults to on", () => {
        expect(deepflow({}).otelIngest).toBe(true);
    });
});

describe("deepflowSchema", () => {
    test("applies the documented defaults", () => {
        expect(deepflow({ server: "http://deepflow-server.deepflow:20417" })).toEqual({
            server: "http://deepflow-server.deepflow:20417", agentGroup: "default", orgId: 1, apiVersion: "v7",
            agentNamespace: "deepflow", otelIngest: true, ingestPort: 38086, timeoutSeconds: 10,
        });
    });

    test.each([
        { name: "a server without scheme", raw: { server: "deepflow-server:20417" }, problems: ["deepflow.server: must be an http(s) URL — e.g. http://deepflow-server.deepflow:20417"] },
        { name: "a malformed group id", raw: { agentGroup: "g-" }, problems: ["deepflow.agentGroup: looks like a group id but is not one — ids are g- followed by letters and digits"] },
        { name: "a blank group", raw: { agentGroup: " " }, problems: ["deepflow.agentGroup: is empty — use a group name such as default, or its g-… id"] },
        { name: "org 0", raw: { orgId: 0 }, problems: ["deepflow.orgId: 0 is too small — use a value of at least 1"] },
        { name: "an unknown flavour", raw: { apiVersion: "v5" }, problems: ['deepflow.apiVersion: "v5" is not allowed — use one of: v7, v6'] },
        {
            name: "port 0 and no timeout", raw: { ingestPort: 0, timeoutSeconds: 0 },
            problems: ["deepflow.ingestPort: 0 is too small — use a value of at least 1", "deepflow.timeoutSeconds: 0 is too small — use a value of at least 1"],
        },
    ])("refuses $name, naming the key and the fix", ({ raw, problems }) => {
        const parse = () => parseStackConfig({ collector: { exporters: [{ name: "debug", kind: "debug" }] }, deepflow: raw });
        expect(parse).toThrow(ConfigError);
        try { parse(); } catch (error) { expect((error as ConfigError).problems).toEqual(problems); }
    });
});

