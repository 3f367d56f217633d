import { ApiCall, callApi, Connection, deepflowApiError, Envelope, expectSuccess, sendApi, SUCCESS } from "./api";
import { ApiFlavour, isShortUuid } from "../../config/deepflow-api";

/** An agent group as the controller knows it. */
export interface AgentGroup {
    readonly name: string;
    /** The group's uuid: differs per install, even for `default`. */
    readonly lcuuid: string;
    /** `g-…`, what deepflow-ctl shows as AGENT_GROUP_ID. */
    readonly shortUuid: string;
}

/** A group's stored config; v6 also addresses it by its own lcuuid. */
export interface StoredConfig {
    readonly yaml: string;
    readonly configLcuuid?: string;
}

/** Finds a group by name or `g-…` id, as `deepflow-ctl` does (GET /v1/vtap-groups/?name= or ?short_uuid=). */
export async function resolveGroup(conn: Connection, group: string): Promise<AgentGroup> {
    const filter = isShortUuid(group) ? "short_uuid" : "name";
    const call: ApiCall = { method: "GET", path: `/v1/vtap-groups/?${filter}=${encodeURIComponent(group)}` };
    const { DATA } = await callApi(conn, call);
    const match = Array.isArray(DATA) ? (DATA as Record<string, unknown>[])[0] : undefined;
    if (match === undefined || typeof match.LCUUID !== "string" || typeof match.SHORT_UUID !== "string") {
        throw deepflowApiError(conn, call, `found no agent group ${filter === "name" ? "named" : "with id"} "${group}" in org ${conn.orgId} — list them with deepflow-ctl agent-group list`);
    }
    return { name: String(match.NAME ?? group), lcuuid: match.LCUUID, shortUuid: match.SHORT_UUID };
}

/** The calls that differ between flavours; everything above them is shared. */
export interface ConfigStore {
    /** The group's config, or undefined when it has none. */
    read(conn: Connection, group: AgentGroup): Promise<StoredConfig | undefined>;
    /** Creates or replaces the group's config with `yaml`; `existing` picks the call. */
    write(conn: Connection, group: AgentGroup, yaml: string, existing: StoredConfig | undefined): Promise<StoredConfig>;
    /** Removes the group's config so DeepFlow's defaults apply again. */
    remove(conn: Connection, group: AgentGroup): Promise<void>;
}

/** The v7 controller's words for "this group has no config yet": gorm's ErrRecordNotFound, passed through. */
export const V7_NO_CONFIG = "record not found";

const v7Path = (group: AgentGroup): string => `/v1/agent-group-configuration/${group.lcuuid}`;

/** v7: raw YAML on /v1/agent-group-configuration/<group-lcuuid>/yaml; POST upserts, PUT needs an existing config. */
export const v7Store: ConfigStore = {
    async read(conn, group) {
        const envelope = await readAllowingAbsent(conn, { method: "GET", path: `${v7Path(group)}/yaml` }, V7_NO_CONFIG);
        return envelope && { yaml: String(envelope.DATA ?? "") };
    },
    async write(conn, group, yaml, existing) {
        await callApi(conn, { method: existing ? "PUT" : "POST", path: `${v7Path(group)}/yaml`, body: yaml });
        return { yaml };
    },
    async remove(conn, group) {
        await callApi(conn, { method: "DELETE", path: v7Path(group) });
    },
};

const v6Filter = (group: AgentGroup): string => `vtap_group_id=${encodeURIComponent(group.shortUuid)}`;

/** v6 (legacy): YAML naming the group by `vtap_group_id`; the config itself has an lcuuid used by PATCH. */
export const v6Store: ConfigStore = {
    async read(conn, group) {
        const call: ApiCall = { method: "GET", path: `/v1/vtap-group-configuration/filter/?${v6Filter(group)}` };
        const envelope = await readAllowingAbsent(conn, call, v6NoConfig(group));
        return envelope && { yaml: String(envelope.DATA ?? ""), configLcuuid: await v6ConfigLcuuid(conn, group) };
    },
    async write(conn, group, yaml, existing) {
        if (existing?.configLcuuid) {
            await callApi(conn, { method: "PATCH", path: `/v1/vtap-group-configuration/advanced/${existing.configLcuuid}/`, body: yaml });
            return { yaml, configLcuuid: existing.configLcuuid };
        }
        await callApi(conn, { method: "POST", path: "/v1/vtap-group-configuration/advanced/", body: yaml, idempotent: false });
        return { yaml, configLcuuid: await v6ConfigLcuuid(conn, group) };
    },
    async remove(conn, group) {
        // Unlike v7's DELETE, v6's fails when there is nothing to delete; that is the state we want, so accept it.
        await readAllowingAbsent(conn, { method: "DELETE", path: `/v1/vtap-group-configuration/filter/?${v6Filter(group)}` }, v6NoConfig(group));
    },
};

const v6NoConfig = (group: AgentGroup): string => `vtap group(short_uuid=${group.shortUuid}) configuration not found`;

export function configStore(flavour: ApiFlavour): ConfigStore {
    return flavour === ApiFlavour.v6 ? v6Store : v7Store;
}

/** The v6 list call is the only one that returns a config's own lcuuid, which PATCH needs. */
async function v6ConfigLcuuid(conn: Connection, group: AgentGroup): Promise<string> {
    const call: ApiCall = { method: "GET", path: `/v1/vtap-group-configuration/?${v6Filter(group)}` };
    const { DATA } = await callApi(conn, call);
    const row = Array.isArray(DATA) ? (DATA as Record<string, unknown>[]).find(r => r.VTAP_GROUP_ID === group.shortUuid) : undefined;
    if (typeof row?.LCUUID !== "string") {
        throw deepflowApiError(conn, call, `listed no configuration for agent group ${group.shortUuid}`);
    }
    return row.LCUUID;
}

/** Returns undefined when DeepFlow answers that the config does not exist; every other failure throws. */
async function readAllowingAbsent(conn: Connection, call: ApiCall, absent: string): Promise<Envelope | undefined> {
    const envelope = await sendApi(conn, call);
    if (envelope.OPT_STATUS !== SUCCESS && envelope.DESCRIPTION === absent) return undefined;
    return expectSuccess(conn, call, envelope);
}
