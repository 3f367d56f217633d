import * as pulumi from "@pulumi/pulumi";
import { DEEPFLOW_INGEST_PORT } from "../../config/deepflow";
import { TYPE_PREFIX } from "../constants";
import { OwnedKeys } from "./agent-group-yaml";
import { isShortUuid } from "./controller";
import { AgentGroupConfigResource } from "./provider";
import { ApiFlavour, ownedKeys } from "./payload";

export const DEFAULT_AGENT_GROUP = "default";
export const DEFAULT_ORG_ID = 1;
export const DEFAULT_API_FLAVOUR: ApiFlavour = ApiFlavour.v7;
export const DEFAULT_TIMEOUT_SECONDS = 10;

export interface DeepFlowAgentGroupConfigArgs {
    /** deepflow-server's controller API, plain HTTP without auth in-cluster, e.g. `http://deepflow-server.deepflow:20417` (NodePort 30417). */
    readonly server: string;
    /**
     * The agent group, by name (resolved to its lcuuid on every run: it differs per install) or by `g-…` id.
     * @default "default"
     */
    readonly agentGroup?: string;
    /** Sent as `X-Org-Id`. @default 1 */
    readonly orgId?: number;
    /**
     * `v7` writes `inputs.integration.*` through /v1/agent-group-configuration; `v6` writes
     * `external_agent_http_proxy_*` through the legacy /v1/vtap-group-configuration. v7 servers reject v6 keys.
     * @default "v7"
     */
    readonly apiVersion?: ApiFlavour;
    /** Whether deepflow-agent accepts OTel traces (its integration listener). @default true */
    readonly otelIngest?: boolean;
    /** The listener's port; the collector's DeepFlow exporter must reach it (Service port 80 → 38086). @default 38086 */
    readonly ingestPort?: number;
    /** Per API call; transient failures are retried up to 3 times, timeouts are not. @default 10 */
    readonly timeoutSeconds?: number;
}

/** Args with every default applied, checked before anything talks to DeepFlow. */
export type ValidAgentGroupConfigArgs = Required<DeepFlowAgentGroupConfigArgs>;

/** Validates args and returns a normalized copy; the error names the field and how to fix it. */
export function validateAgentGroupConfigArgs(args: DeepFlowAgentGroupConfigArgs): ValidAgentGroupConfigArgs {
    const valid: ValidAgentGroupConfigArgs = {
        server: args.server,
        agentGroup: args.agentGroup ?? DEFAULT_AGENT_GROUP,
        orgId: args.orgId ?? DEFAULT_ORG_ID,
        apiVersion: args.apiVersion ?? DEFAULT_API_FLAVOUR,
        otelIngest: args.otelIngest ?? true,
        ingestPort: args.ingestPort ?? DEEPFLOW_INGEST_PORT,
        timeoutSeconds: args.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    };
    const problems: string[] = [];
    if (!/^https?:\/\/[^/\s]+/.test(valid.server)) problems.push(`server: "${valid.server}" is not an http(s) URL — e.g. http://deepflow-server.deepflow:20417`);
    if (valid.agentGroup.trim() === "") problems.push("agentGroup: is empty — use a group name such as default, or its g-… id");
    if (valid.agentGroup.startsWith("g-") && !isShortUuid(valid.agentGroup)) problems.push(`agentGroup: "${valid.agentGroup}" looks like a group id but is not one — ids are g- followed by letters and digits`);
    if (!Number.isInteger(valid.orgId) || valid.orgId < 1) problems.push(`orgId: ${valid.orgId} is not a DeepFlow org id — use 1 (the default org) or higher`);
    if (!Object.values(ApiFlavour).includes(valid.apiVersion)) problems.push(`apiVersion: "${valid.apiVersion}" is not allowed — use v7 or v6`);
    if (!Number.isInteger(valid.ingestPort) || valid.ingestPort < 1 || valid.ingestPort > 65535) problems.push(`ingestPort: ${valid.ingestPort} is not a port — use 1–65535 (DeepFlow's default is ${DEEPFLOW_INGEST_PORT})`);
    if (!(valid.timeoutSeconds > 0)) problems.push(`timeoutSeconds: ${valid.timeoutSeconds} must be above 0`);
    if (problems.length > 0) throw new Error(`DeepFlowAgentGroupConfig: ${problems.join("; ")}`);
    return valid;
}

/**
 * Owns the OTel ingest switch and port in one DeepFlow agent group's config — what seed 004 does by hand
 * with `deepflow-ctl agent-group-config update` — and puts back the group's previous config on delete.
 */
export class DeepFlowAgentGroupConfig extends pulumi.ComponentResource {
    /** The group's lcuuid, resolved at run time. */
    public readonly groupLcuuid: pulumi.Output<string>;
    /** The group's `g-…` id, for `deepflow-ctl agent-group-config list <id> -o yaml`. */
    public readonly groupShortUuid: pulumi.Output<string>;
    /** The owned keys as DeepFlow holds them (after refresh: as found). */
    public readonly owned: pulumi.Output<OwnedKeys>;

    constructor(name: string, args: DeepFlowAgentGroupConfigArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${TYPE_PREFIX}:DeepFlowAgentGroupConfig`, name, {}, opts);
        const valid = validateAgentGroupConfigArgs(args);
        const config = new AgentGroupConfigResource(`${name}-config`, {
            server: valid.server,
            orgId: valid.orgId,
            agentGroup: valid.agentGroup,
            apiVersion: valid.apiVersion,
            timeoutSeconds: valid.timeoutSeconds,
            owned: ownedKeys(valid.apiVersion, valid),
        }, { parent: this });
        this.groupLcuuid = config.groupLcuuid;
        this.groupShortUuid = config.groupShortUuid;
        this.owned = config.owned;
        this.registerOutputs({ groupLcuuid: this.groupLcuuid, groupShortUuid: this.groupShortUuid, owned: this.owned });
    }
}
