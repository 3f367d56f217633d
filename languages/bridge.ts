/**
 * The container an app's `bridge` flip produces: the SkyWalking agent and everything else as discovered, only the
 * backend address pointed at the collector's `skywalking` receiver.
 */
import type { AppConfig } from "../config/apps";
import { BACKEND_ADDRESS_ENV, BackendSource, pointArgvAt, pointOptionsAt } from "./backend-address";
import { recordedAgents, WordBackendSource } from "./language";
import { LANGUAGES } from "./registry";

/** The parts of an app's config the bridge rewrite reads. */
export type BridgeInput = Pick<AppConfig, "language" | "agentIn" | "original" | "agents" | "backendAddress">;

/** Bridge-mode values of the fields the flip owns, plus the env var it adds when the address was set nowhere. */
export interface BridgedValues {
    /** Each `agentIn.env` var and, when the address is in it, `SW_AGENT_COLLECTOR_BACKEND_SERVICES`, by name. */
    readonly env: ReadonlyMap<string, string>;
    readonly command?: readonly string[];
    readonly args?: readonly string[];
    /** `SW_AGENT_COLLECTOR_BACKEND_SERVICES` when no setting existed: the override all three agents document. */
    readonly added?: { readonly name: string; readonly value: string };
}

/**
 * Works from `original` alone, like the otel rewrite, so the fields skyshift owns are the same in every mode (a
 * field Server-Side Apply stops receiving is removed). Callers validate first (appFlipProblems).
 */
export function bridgedContainer(app: BridgeInput, address: string): BridgedValues {
    const location = app.backendAddress ?? { source: BackendSource.agentDefault };
    const module = LANGUAGES[app.language];
    const resolve = recordedAgents(app.agents ?? {});
    const env = new Map(app.agentIn.env.map(name => [name, app.original.env[name] ?? ""]));
    let command: readonly string[] | undefined = app.original.command;
    let args: readonly string[] | undefined = app.original.args;
    switch (location.source) {
        case BackendSource.env:
            env.set(BACKEND_ADDRESS_ENV, address);
            break;
        case BackendSource.agentDefault:
            return { env, command, args, added: { name: BACKEND_ADDRESS_ENV, value: address } };
        case WordBackendSource.agentOption:
        case WordBackendSource.systemProperty:
            // Every setting of the winning kind, wherever it sits, so the agent reports to the collector whichever it reads last.
            for (const [name, value] of env) env.set(name, pointOptionsAt(module, value, location.source, address, resolve));
            ({ command, args } = pointArgvAt(module, { command, args }, location.source, address, resolve));
            break;
    }
    return { env, command, args };
}
