/**
 * Facts of deepflow-server's controller API that both the `deepflow` schema and the agent-group provider
 * use. The provider runs from a serialized closure inside the Pulumi engine, so this module imports nothing.
 */

/** Controller API flavours: `v7` agent-group-configuration (the default), `v6` legacy vtap-group-configuration. */
export const ApiFlavour = { v7: "v7", v6: "v6" } as const;
export type ApiFlavour = (typeof ApiFlavour)[keyof typeof ApiFlavour];

/** Short group ids look like `g-3F8hJ2kLmq` (deepflow-ctl's AGENT_GROUP_ID); anything else is a group name. */
export function isShortUuid(group: string): boolean {
    return /^g-[A-Za-z0-9]+$/.test(group);
}
