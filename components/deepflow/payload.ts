import { ApiFlavour } from "../../config/deepflow-api";
import { mergeOwnedKeys, OwnedKeys } from "./agent-group-yaml";

/** The settings skyshift owns in an agent group, in its own terms. */
export interface OwnedSettings {
    /** Whether deepflow-agent accepts OTel (and other integration) data. */
    readonly otelIngest: boolean;
    /** Port the agent listens on for it; the deepflow-agent Service maps port 80 to 38086. */
    readonly ingestPort: number;
}

/** The same settings under each flavour's key names (server/agent_config/template.yaml and config.go upstream). */
export const OWNED_PATHS = {
    v7: { otelIngest: "inputs.integration.enabled", ingestPort: "inputs.integration.listen_port" },
    v6: { otelIngest: "external_agent_http_proxy_enabled", ingestPort: "external_agent_http_proxy_port" },
} as const;

/** v6 ties a config to its group inside the YAML body rather than in the URL. */
export const V6_GROUP_KEY = "vtap_group_id";

/** Owned settings as the flavour's keys and value types: v7 takes a bool, v6 an int flag. */
export function ownedKeys(flavour: ApiFlavour, settings: OwnedSettings): OwnedKeys {
    const paths = OWNED_PATHS[flavour];
    return {
        [paths.otelIngest]: flavour === ApiFlavour.v7 ? settings.otelIngest : settings.otelIngest ? 1 : 0,
        [paths.ingestPort]: settings.ingestPort,
    };
}

/** The v7 body: the group's current config with the owned keys set. The group is in the URL. */
export function v7Payload(current: string, owned: OwnedKeys): string {
    return mergeOwnedKeys(current, owned);
}

/**
 * The v6 body for POST …/advanced/ and PATCH …/advanced/<lcuuid>/: the current config with the
 * owned keys set and `vtap_group_id` naming the group's short id (POST requires it; PATCH ignores it).
 */
export function v6Payload(current: string, owned: OwnedKeys, groupShortUuid: string): string {
    return mergeOwnedKeys(current, { ...owned, [V6_GROUP_KEY]: groupShortUuid });
}
