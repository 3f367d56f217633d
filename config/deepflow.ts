import { z } from "zod";
import { ExporterConfig, ExporterKind } from "./collector";
import { ApiFlavour, isShortUuid } from "./deepflow-api";
import { parseEndpoint } from "./endpoint";

export const DEEPFLOW_INGEST_PORT = 38086;
/** The deepflow-agent Service's port, which it forwards to 38086 (the agent's default ingest port). */
export const DEEPFLOW_AGENT_SERVICE_PORT = 80;
/** Where deepflow-agent takes OTLP/HTTP protobuf traces. */
export const DEEPFLOW_TRACE_PATH = "/api/v1/otel/trace";

export const deepflowSchema = z.strictObject({
    server: z.url({ protocol: /^https?$/, error: "must be an http(s) URL — e.g. http://deepflow-server.deepflow:20417" }).optional()
        .describe("deepflow-server's controller API, e.g. `http://deepflow-server.deepflow:20417`. Unset: skyshift leaves DeepFlow's own config alone."),
    agentGroup: z.string().regex(/\S/, "is empty — use a group name such as default, or its g-… id")
        .refine(group => !group.startsWith("g-") || isShortUuid(group), "looks like a group id but is not one — ids are g- followed by letters and digits")
        .default("default")
        .describe("Agent group by name (resolved to its lcuuid on every run: it differs per install) or by short id `g-…`."),
    orgId: z.int().min(1).default(1).describe("Sent to the controller API as `X-Org-Id`; 1 is the default org."),
    apiVersion: z.enum(ApiFlavour).default(ApiFlavour.v7)
        .describe("`v7` writes `inputs.integration.*` through agent-group-configuration; `v6` writes `external_agent_http_proxy_*` through the legacy vtap-group-configuration."),
    agentNamespace: z.string().min(1).default("deepflow").describe("Namespace of the deepflow-agent Service the collector's DeepFlow exporter sends to."),
    otelIngest: z.boolean().default(true).describe("Whether the agent group accepts OTel data (its integration listener); only applied when `server` is set."),
    ingestPort: z.int().min(1).max(65535).default(DEEPFLOW_INGEST_PORT)
        .describe("The agent's OTel ingest port, owned in the agent-group config; must stay 38086 when exporting through the deepflow-agent Service (port 80 → 38086)."),
    timeoutSeconds: z.int().min(1).max(300).default(10)
        .describe("Per controller API call; transient failures are retried up to 3 times, timeouts are not."),
}).describe("DeepFlow: the agent group whose OTel ingest skyshift switches on, and where the collector's DeepFlow exporter sends.");

export type DeepFlowConfig = z.output<typeof deepflowSchema>;

/** The deepflow-agent Service maps port 80 to the ingest port, so the default URL carries no port. */
export function defaultDeepFlowTraceEndpoint(deepflow: DeepFlowConfig): string {
    return `http://deepflow-agent.${deepflow.agentNamespace}${DEEPFLOW_TRACE_PATH}`;
}

/**
 * Checks that the collector has at most one DeepFlow exporter (it carries the k8sattributes and app.host.ip
 * processors) and that it reaches the port the agent group listens on: through the
 * deepflow-agent Service (port 80, forwarded to 38086 only) or straight to the agent on `ingestPort`.
 * Returns problems in the config's one-line format; endpoints that do not parse are reported elsewhere.
 */
export function deepflowExporterProblems(deepflow: DeepFlowConfig, exporters: readonly ExporterConfig[]): string[] {
    const problems: string[] = [];
    const deepflowExporters = exporters.filter(e => e.kind === ExporterKind.deepflow);
    if (deepflowExporters.length > 1) {
        problems.push(`collector.exporters: ${deepflowExporters.length} exporters of kind deepflow — keep one; it carries the k8sattributes and app.host.ip processors`);
    }
    exporters.forEach((exporter, index) => {
        if (exporter.kind !== ExporterKind.deepflow) return;
        const at = `collector.exporters[${index}].endpoint`;
        const direct = `http://<agent-address>:${deepflow.ingestPort}${DEEPFLOW_TRACE_PATH}`;
        const endpoint = exporter.endpoint === undefined ? undefined : parseEndpoint(exporter.endpoint);
        if (endpoint !== undefined && "error" in endpoint) return;
        const port = endpoint?.port ?? DEEPFLOW_AGENT_SERVICE_PORT;
        if (port === DEEPFLOW_AGENT_SERVICE_PORT && deepflow.ingestPort !== DEEPFLOW_INGEST_PORT) {
            problems.push(`deepflow.ingestPort: ${deepflow.ingestPort} is not where the deepflow-agent Service forwards (port ${DEEPFLOW_AGENT_SERVICE_PORT} → ${DEEPFLOW_INGEST_PORT}), ` +
                `so exporter "${exporter.name}" would miss the agent — keep ${DEEPFLOW_INGEST_PORT} or set ${at} to ${direct}`);
        } else if (port !== DEEPFLOW_AGENT_SERVICE_PORT && port !== deepflow.ingestPort) {
            problems.push(`${at}: port ${port} is neither the deepflow-agent Service's ${DEEPFLOW_AGENT_SERVICE_PORT} nor deepflow.ingestPort ${deepflow.ingestPort} — ` +
                `use ${defaultDeepFlowTraceEndpoint(deepflow)} or ${direct}`);
        }
        if (endpoint !== undefined && endpoint.path !== DEEPFLOW_TRACE_PATH) {
            problems.push(`${at}: path "${endpoint.path}" is not where deepflow-agent takes traces — end the URL with ${DEEPFLOW_TRACE_PATH}`);
        }
    });
    return problems;
}
