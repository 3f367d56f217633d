import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../config/stack";
import { DeepFlowAgentGroupConfig } from "./agent-group-config";

export * from "./agent-group-config";
export { OWNED_PATHS, ownedKeys } from "./payload";
export type { OwnedSettings } from "./payload";

/**
 * The composition root's entry: the agent-group config for `skyshift:deepflow`, or undefined when
 * `deepflow.server` is unset (skyshift then leaves DeepFlow's own config alone).
 */
export function deepflowAgentGroup(config: StackConfig, opts?: pulumi.ComponentResourceOptions): DeepFlowAgentGroupConfig | undefined {
    const deepflow = config.deepflow;
    if (deepflow.server === undefined) return undefined;
    return new DeepFlowAgentGroupConfig("deepflow", { deepflow: { ...deepflow, server: deepflow.server } }, opts);
}
