import { z } from "zod";

export const DEEPFLOW_INGEST_PORT = 38086;
export const DeepFlowApi = { v7: "v7", v6: "v6" } as const;

export const deepflowSchema = z.strictObject({
    /** deepflow-server controller API, e.g. http://deepflow-server.deepflow:20417. Without it skyshift leaves DeepFlow's own config alone. */
    server: z.url({ protocol: /^https?$/, error: "must be an http(s) URL — e.g. http://deepflow-server.deepflow:20417" }).optional(),
    /** Agent group by name (resolved to its lcuuid at run time) or by short id `g-…`. */
    agentGroup: z.string().min(1).default("default"),
    orgId: z.int().min(1).default(1),
    /** `v7` (agent-group-configuration, the default) or `v6` (legacy vtap-group-configuration). */
    apiVersion: z.enum([DeepFlowApi.v7, DeepFlowApi.v6]).default(DeepFlowApi.v7),
    /** Namespace of the deepflow-agent Service the collector exports to. */
    agentNamespace: z.string().min(1).default("deepflow"),
    /** The agent's OTel ingest port, owned in the agent-group config. */
    ingestPort: z.int().min(1).max(65535).default(DEEPFLOW_INGEST_PORT),
    /** Per-call timeout for the controller API. */
    timeoutSeconds: z.int().min(1).max(300).default(10),
});

export type DeepFlowConfig = z.output<typeof deepflowSchema>;

/** The deepflow-agent Service maps port 80 to the ingest port, so the default URL carries no port. */
export function defaultDeepFlowTraceEndpoint(deepflow: DeepFlowConfig): string {
    return `http://deepflow-agent.${deepflow.agentNamespace}/api/v1/otel/trace`;
}
