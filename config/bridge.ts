import { BackendSource } from "../languages/backend-address";
import type { AppConfig } from "./apps";
import type { CollectorConfig } from "./collector";
import { AppMode } from "./migration";
import { formatPath } from "./problems";

/**
 * What a bridge flip needs from an app's inventory entry: where its backend address is set, in a field the flip owns
 * and can restore. `at` renders a path under the app's entry.
 */
export function bridgeEntryProblems(app: AppConfig, at: (path: string) => string): string[] {
    const location = app.backendAddress;
    if (!location) {
        return [`${at(".backendAddress")}: is required for mode bridge — run npm run discover again (it adds the field to the existing entry), ` +
            "or write it by hand (docs/detection.md, \"Where the backend address lives\")"];
    }
    const problems: string[] = [];
    if (location.valueFrom) {
        problems.push(`${at(".backendAddress")}: ${location.envName} is set with valueFrom, so bridge cannot point it at the collector and restore it — ` +
            `change the ConfigMap or Secret it reads instead, or set ${location.envName} as a plain value and run discover again`);
    }
    if (app.agentIn.swck) {
        problems.push(`${at(".agentIn.swck")}: SWCK injects the agent with its own backend setting at pod creation, which bridge does not manage — ` +
            "set the agent.skywalking.apache.org/collector.backend_service annotation (or SWCK's SwAgent) yourself, or flip the app to otel");
    }
    const inWords = location.source === BackendSource.agentOption || location.source === BackendSource.systemProperty;
    if (inWords && location.where === "env" && location.envName && !app.agentIn.env.includes(location.envName)) {
        problems.push(`${at(".backendAddress.envName")}: ${location.envName} is not in agentIn.env, so the flip cannot rewrite it — add it there ` +
            `with its value in original.env`);
    }
    if (inWords && (location.where === "args" || location.where === "command") && !app.agentIn[location.where]) {
        problems.push(`${at(".backendAddress.where")}: ${location.where} is not flagged in agentIn, so the flip cannot rewrite it — set agentIn.${location.where}: true ` +
            `and original.${location.where}`);
    }
    return problems;
}

/** A bridge app sends its agent to the collector's `skywalking` receiver, which must be on. */
export function bridgeReceiverProblems(apps: Readonly<Record<string, Pick<AppConfig, "mode">>>, collector: CollectorConfig): string[] {
    if (collector.skywalkingReceiver) return [];
    return Object.keys(apps).filter(key => apps[key].mode === AppMode.bridge).sort().map(key =>
        `${formatPath(["apps", key, "mode"])}: bridge needs the collector's skywalking receiver, which is off — set collector.skywalkingReceiver ` +
        "(skywalkingReceiver: {} under skyshift:collector takes gRPC 11800, HTTP 12800) with a collector image that has it, or choose skywalking or otel");
}
