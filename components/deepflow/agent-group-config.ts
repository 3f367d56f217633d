import * as pulumi from "@pulumi/pulumi";
import type { DeepFlowConfig } from "../../config/deepflow";
import { TYPE_PREFIX } from "../constants";
import { OwnedKeys } from "./agent-group-yaml";
import { AgentGroupConfigResource } from "./provider";
import { ownedKeys } from "./payload";

export interface DeepFlowAgentGroupConfigArgs {
    /**
     * The validated `deepflow` section of stack config with its `server` set: the schema has applied the
     * defaults and checked every field, so the component only maps it onto the provider's inputs.
     */
    readonly deepflow: DeepFlowConfig & { readonly server: string };
}

/**
 * Owns the OTel ingest switch and port in one DeepFlow agent group's config — what DeepFlow's guide
 * (https://www.deepflow.io/docs/integration/input/tracing/opentelemetry/) does by hand with
 * `deepflow-ctl agent-group-config update` — and puts back the group's previous config on delete.
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
        const { deepflow } = args;
        const config = new AgentGroupConfigResource(`${name}-config`, {
            server: deepflow.server,
            orgId: deepflow.orgId,
            agentGroup: deepflow.agentGroup,
            apiVersion: deepflow.apiVersion,
            timeoutSeconds: deepflow.timeoutSeconds,
            owned: ownedKeys(deepflow.apiVersion, deepflow),
        }, { parent: this });
        this.groupLcuuid = config.groupLcuuid;
        this.groupShortUuid = config.groupShortUuid;
        this.owned = config.owned;
        this.registerOutputs({ groupLcuuid: this.groupLcuuid, groupShortUuid: this.groupShortUuid, owned: this.owned });
    }
}
