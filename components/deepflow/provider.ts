import * as pulumi from "@pulumi/pulumi";
import { OwnedKeys } from "./agent-group-yaml";
import { AgentGroupConfigInputs, AgentGroupConfigOutputs, createConfig, deleteConfig, diffConfig, readConfig, updateConfig } from "./operations";
import { ApiFlavour } from "../../config/deepflow-api";

/**
 * Each method is one call into operations.ts, which the unit tests hit directly. Pulumi serializes this
 * object with everything it reaches, so the modules below it import only node built-ins and `yaml`.
 */
export const agentGroupConfigProvider: pulumi.dynamic.ResourceProvider = {
    create: (inputs: AgentGroupConfigInputs) => createConfig(inputs),
    diff: async (_id: string, olds: AgentGroupConfigOutputs, news: AgentGroupConfigInputs) => diffConfig(olds, news),
    update: (_id: string, olds: AgentGroupConfigOutputs, news: AgentGroupConfigInputs) => updateConfig(olds, news),
    read: (id: string, props: AgentGroupConfigOutputs) => readConfig(id, props),
    delete: (_id: string, props: AgentGroupConfigOutputs) => deleteConfig(props),
};

/** Inputs of the dynamic resource; the component fills every one. */
export type AgentGroupConfigResourceArgs = { readonly [K in keyof AgentGroupConfigInputs]: pulumi.Input<AgentGroupConfigInputs[K]> };

/** One DeepFlow agent group's config, as far as skyshift owns it. Use DeepFlowAgentGroupConfig instead. */
export class AgentGroupConfigResource extends pulumi.dynamic.Resource {
    public readonly owned!: pulumi.Output<OwnedKeys>;
    public readonly apiVersion!: pulumi.Output<ApiFlavour>;
    public readonly groupLcuuid!: pulumi.Output<string>;
    public readonly groupShortUuid!: pulumi.Output<string>;
    public readonly hadConfig!: pulumi.Output<boolean>;
    public readonly previousYaml!: pulumi.Output<string>;

    constructor(name: string, args: AgentGroupConfigResourceArgs, opts?: pulumi.CustomResourceOptions) {
        // Output-only properties must be named (as undefined) to be read back from the provider's state.
        const outputs = { groupLcuuid: undefined, groupShortUuid: undefined, configLcuuid: undefined, hadConfig: undefined, previousYaml: undefined };
        super(agentGroupConfigProvider, name, { ...args, ...outputs }, opts, "skyshift", "DeepFlowAgentGroupConfig");
    }
}
