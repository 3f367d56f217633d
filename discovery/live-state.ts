import type { AppConfig } from "../config/apps";
import { AppMode } from "../config/migration";
import { BackendSource, findBackendAddress, LANGUAGES, recordedAgents, skywalkingInPod, SWCK_INJECT_LABEL } from "../languages";
import { describeValueFrom } from "./container";
import { desiredReplicas, Workload } from "./workload";

/** A live Deployment or StatefulSet with the status fields rollout readiness needs. */
export interface LiveWorkload extends Workload {
    readonly status?: {
        readonly observedGeneration?: number;
        readonly replicas?: number;
        readonly readyReplicas?: number;
        readonly updatedReplicas?: number;
        readonly availableReplicas?: number;
    };
}

/** What the cluster runs for one app, compared with what its config says. */
export interface AppStatus {
    readonly key: string;
    readonly mode: AppConfig["mode"];
    /** The operator's inject annotation on the pod template, if set (and not "false"). */
    readonly injectAnnotation?: string;
    /** What in the live spec still loads SkyWalking (empty: nothing does). */
    readonly skywalking: readonly string[];
    /** Where the live spec's SkyWalking agent reports: an address, or `the agent's default`. */
    readonly backend?: string;
    /** `ready`, `rolling out (1/3 updated, 0/3 ready)`, `scaled to 0`, or `not found`. */
    readonly rollout: string;
    /** Why the live spec does not match the configured mode; absent when it does. */
    readonly drift?: string;
}

/** What the stack config says beyond the app: where bridge apps must report. */
export interface FleetTargets {
    /** `host:port` of the collector's `skywalking` receiver; undefined while `collector.skywalkingReceiver` is off. */
    readonly skywalkingReceiverAddress?: string;
}

/** How status names a backend location: its address, or the agent's built-in default. */
export const AGENT_DEFAULT_BACKEND = "the agent's default";

/**
 * `optionEnvNames`: env vars read as options beyond the language's own and the app's `agentIn.env` (the commands'
 * `--jvm-env`). `targets`: what bridge apps must point at.
 */
export function assessApp(key: string, app: AppConfig, live: LiveWorkload | undefined, optionEnvNames: readonly string[] = [], targets: FleetTargets = {}): AppStatus {
    if (!live) return { key, mode: app.mode, skywalking: [], rollout: "not found", drift: `${app.kind} not found — run discover to mark it, or remove the entry` };
    const template = live.spec?.template;
    const annotation = template?.metadata?.annotations?.[LANGUAGES[app.language].otel.annotation];
    const injectAnnotation = annotation !== undefined && annotation !== "false" ? annotation : undefined;
    const skywalking = skywalkingLoaders(app, live, optionEnvNames);
    const status = { key, mode: app.mode, injectAnnotation, skywalking, backend: liveBackend(app, live), rollout: rolloutOf(live) };
    const drift = driftOf(app, status, targets);
    return drift ? { ...status, drift } : status;
}

/** What in the live spec still starts a SkyWalking agent: the language module's words, a working agent copy, SWCK, the old image. */
function skywalkingLoaders(app: AppConfig, live: LiveWorkload, optionEnvNames: readonly string[]): string[] {
    const spec = live.spec?.template.spec ?? { containers: [] };
    const container = spec.containers.find(c => c.name === app.container) ?? spec.containers[0];
    const names = [...app.agentIn.env, ...optionEnvNames];
    const loaders = skywalkingInPod(spec, { module: LANGUAGES[app.language], container: container?.name, resolve: recordedAgents(app.agents ?? {}) });
    // Its text is in a ConfigMap or Secret: it may well load the agent, and status cannot see it.
    const hidden = (container?.env ?? []).filter(v => v.valueFrom && [...LANGUAGES[app.language].optionEnvNames, ...names].includes(v.name));
    loaders.push(...hidden.map(v => `env ${v.name} from ${describeValueFrom(v)} (not visible here)`));
    if (live.spec?.template.metadata?.labels?.[SWCK_INJECT_LABEL] === "true") loaders.push(`label ${SWCK_INJECT_LABEL}: "true"`);
    if (app.rebuildImage && app.original.image !== undefined && container?.image === app.original.image) {
        loaders.push(`image ${container.image} (it loads the agent itself)`);
    }
    return loaders;
}

/** The backend the live app container's agent reads, by the rules discovery recorded it with. */
function liveBackend(app: AppConfig, live: LiveWorkload): string {
    const containers = live.spec?.template.spec?.containers ?? [];
    const container = containers.find(c => c.name === app.container) ?? containers[0];
    const location = findBackendAddress(LANGUAGES[app.language], container ?? {}, recordedAgents(app.agents ?? {}));
    if (location.source === BackendSource.agentDefault) return AGENT_DEFAULT_BACKEND;
    return location.valueFrom ? `${location.envName} from valueFrom (not visible here)` : location.value ?? "";
}

function driftOf(app: AppConfig, status: Omit<AppStatus, "drift">, targets: FleetTargets): string | undefined {
    const problems: string[] = [];
    const receiver = targets.skywalkingReceiverAddress;
    if (app.mode === AppMode.bridge) {
        if (status.injectAnnotation) problems.push(`${LANGUAGES[app.language].otel.annotation}: ${JSON.stringify(status.injectAnnotation)} is set`);
        if (status.skywalking.length === 0 && !app.rebuildImage) problems.push("nothing loads SkyWalking any more");
        if (!receiver) problems.push("collector.skywalkingReceiver is off in the stack config");
        else if (status.backend !== receiver) problems.push(`its agent reports to ${status.backend}, not the collector's skywalking receiver ${receiver}`);
    } else if (app.mode === AppMode.otel) {
        if (!status.injectAnnotation) problems.push(`no ${LANGUAGES[app.language].otel.annotation} annotation`);
        if (status.skywalking.length > 0) problems.push(`SkyWalking loads again (${status.skywalking.join("; ")})`);
    } else {
        if (status.injectAnnotation) problems.push(`${LANGUAGES[app.language].otel.annotation}: ${JSON.stringify(status.injectAnnotation)} is set`);
        if (status.skywalking.length === 0 && !app.rebuildImage) problems.push("nothing loads SkyWalking any more");
        if (receiver && status.backend === receiver) problems.push(`its agent still reports to the collector's skywalking receiver ${receiver}`);
    }
    return problems.length > 0 ? `config says ${app.mode}, but ${problems.join(" and ")}` : undefined;
}

function rolloutOf(live: LiveWorkload): string {
    const desired = desiredReplicas(live);
    if (desired === 0) return "scaled to 0";
    const status = live.status ?? {};
    const observed = (status.observedGeneration ?? 0) >= (live.metadata?.generation ?? 0);
    const updated = status.updatedReplicas ?? 0;
    const ready = status.readyReplicas ?? 0;
    if (observed && updated === desired && ready === desired && (status.replicas ?? desired) === desired) return "ready";
    return `rolling out (${updated}/${desired} updated, ${ready}/${desired} ready${observed ? "" : ", spec change not yet observed"})`;
}
