import { Connection } from "./api";
import { readOwnedKeys, OwnedKeys } from "./agent-group-yaml";
import { AgentGroup, configStore, resolveGroup } from "./controller";
import { ApiFlavour } from "../../config/deepflow-api";
import { v6Payload, v7Payload } from "./payload";

/** The dynamic resource's inputs: where the group lives and which keys skyshift owns in it. */
export interface AgentGroupConfigInputs {
    readonly server: string;
    readonly orgId: number;
    /** Name or `g-…` id. */
    readonly agentGroup: string;
    readonly apiVersion: ApiFlavour;
    readonly timeoutSeconds: number;
    /** Owned keys by dotted path in the flavour's spelling, e.g. `inputs.integration.enabled`. */
    readonly owned: OwnedKeys;
}

/** State kept between runs. `previousYaml` is what delete restores; it is not secret. */
export interface AgentGroupConfigOutputs extends AgentGroupConfigInputs {
    readonly groupLcuuid: string;
    readonly groupShortUuid: string;
    /** v6 only: the config's own lcuuid; empty for v7. */
    readonly configLcuuid: string;
    /** Whether the group had a config before skyshift; without one, delete removes the config. */
    readonly hadConfig: boolean;
    /** The group's exact YAML before skyshift's first write; empty when it had none. */
    readonly previousYaml: string;
}

/** Inputs whose change points at another group or server: replace, restoring the old one first. */
export const REPLACE_KEYS = ["server", "orgId", "agentGroup", "apiVersion"] as const;

export interface DiffResult {
    readonly changes: boolean;
    readonly replaces: string[];
    readonly deleteBeforeReplace: boolean;
    readonly detailedDiff: Record<string, { kind: "add" | "delete" | "update" | "update-replace"; inputDiff: boolean }>;
}

const connection = (inputs: AgentGroupConfigInputs): Connection =>
    ({ server: inputs.server, orgId: inputs.orgId, timeoutSeconds: inputs.timeoutSeconds });

const groupOf = (state: AgentGroupConfigOutputs): AgentGroup =>
    ({ name: state.agentGroup, lcuuid: state.groupLcuuid, shortUuid: state.groupShortUuid });

/** A Pulumi property path for an owned key: `owned["inputs.integration.enabled"]`. */
export const ownedPath = (key: string): string => `owned[${JSON.stringify(key)}]`;

function payload(inputs: AgentGroupConfigInputs, group: AgentGroup, current: string): string {
    return inputs.apiVersion === ApiFlavour.v6 ? v6Payload(current, inputs.owned, group.shortUuid) : v7Payload(current, inputs.owned);
}

/** Reads the group's config, remembers it, and writes it back with the owned keys set. */
export async function createConfig(inputs: AgentGroupConfigInputs): Promise<{ id: string; outs: AgentGroupConfigOutputs }> {
    const conn = connection(inputs);
    const group = await resolveGroup(conn, inputs.agentGroup);
    const store = configStore(inputs.apiVersion);
    const before = await store.read(conn, group);
    const written = await store.write(conn, group, payload(inputs, group, before?.yaml ?? ""), before);
    return {
        id: group.lcuuid,
        outs: {
            ...inputs, groupLcuuid: group.lcuuid, groupShortUuid: group.shortUuid,
            configLcuuid: written.configLcuuid ?? "", hadConfig: before !== undefined, previousYaml: before?.yaml ?? "",
        },
    };
}

/** Pure: which owned keys change, and whether the change points at another group (a replace). */
export function diffConfig(olds: AgentGroupConfigOutputs, news: AgentGroupConfigInputs): DiffResult {
    const detailedDiff: DiffResult["detailedDiff"] = {};
    const replaces = REPLACE_KEYS.filter(key => olds[key] !== news[key]);
    for (const key of replaces) detailedDiff[key] = { kind: "update-replace", inputDiff: true };
    for (const key of new Set([...Object.keys(olds.owned ?? {}), ...Object.keys(news.owned)])) {
        const was = olds.owned?.[key];
        const wants = news.owned[key];
        if (was === wants) continue;
        detailedDiff[ownedPath(key)] = { kind: was === undefined ? "add" : wants === undefined ? "delete" : "update", inputDiff: true };
    }
    if (olds.timeoutSeconds !== news.timeoutSeconds) detailedDiff.timeoutSeconds = { kind: "update", inputDiff: true };
    return { changes: Object.keys(detailedDiff).length > 0, replaces, deleteBeforeReplace: true, detailedDiff };
}

/** Re-reads the group's config and rewrites it; keys changed by hand since the last run are kept. */
export async function updateConfig(olds: AgentGroupConfigOutputs, news: AgentGroupConfigInputs): Promise<{ outs: AgentGroupConfigOutputs }> {
    const conn = connection(news);
    const group = groupOf(olds);
    const store = configStore(news.apiVersion);
    const current = await store.read(conn, group);
    const written = await store.write(conn, group, payload(news, group, current?.yaml ?? ""), current);
    return { outs: { ...olds, ...news, configLcuuid: written.configLcuuid ?? "" } };
}

/**
 * Refresh: the owned keys as DeepFlow holds them now, so changes made with deepflow-ctl show as drift.
 * They go into the inputs too, so the next preview diffs (and displays) what DeepFlow holds against config.
 */
export async function readConfig(id: string, state: AgentGroupConfigOutputs): Promise<{ id: string; props: AgentGroupConfigOutputs; inputs: AgentGroupConfigInputs }> {
    const current = await configStore(state.apiVersion).read(connection(state), groupOf(state));
    const owned = readOwnedKeys(current?.yaml ?? "", Object.keys(state.owned));
    const { server, orgId, agentGroup, apiVersion, timeoutSeconds } = state;
    return {
        id,
        props: { ...state, owned, configLcuuid: current?.configLcuuid ?? state.configLcuuid },
        inputs: { server, orgId, agentGroup, apiVersion, timeoutSeconds, owned },
    };
}

/** Puts back exactly what was there before skyshift: the previous YAML, or no config at all. */
export async function deleteConfig(state: AgentGroupConfigOutputs): Promise<void> {
    const conn = connection(state);
    const group = groupOf(state);
    const store = configStore(state.apiVersion);
    if (!state.hadConfig) return store.remove(conn, group);
    await store.write(conn, group, state.previousYaml, await store.read(conn, group));
}
