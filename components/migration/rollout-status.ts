/**
 * Pure reading of a workload's rollout and its pods, for AppFlip's gate. Only the fields used are typed:
 * the objects come straight from the API server's JSON.
 */
import type { Language } from "../../config/migration";
import { AgentVerdict, recordedAgents } from "../../languages/language";
import { LivePodSpec, skywalkingInPod } from "../../languages/live-pod";
import { LANGUAGES } from "../../languages/registry";

export interface WorkloadObject {
    readonly kind: string;
    readonly metadata: { readonly generation?: number; readonly annotations?: Record<string, string> };
    readonly spec: { readonly replicas?: number };
    readonly status?: {
        readonly observedGeneration?: number; readonly replicas?: number; readonly updatedReplicas?: number;
        readonly readyReplicas?: number; readonly availableReplicas?: number; readonly updateRevision?: string;
        readonly conditions?: ReadonlyArray<{ readonly type: string; readonly reason?: string }>;
    };
}

export interface ContainerStatus {
    readonly name: string;
    readonly ready?: boolean;
    readonly restartCount?: number;
    readonly state?: { readonly waiting?: { readonly reason?: string } };
    readonly lastState?: { readonly terminated?: { readonly reason?: string; readonly exitCode?: number } };
}

export interface PodObject {
    readonly metadata: { readonly name: string; readonly deletionTimestamp?: string };
    /** As admitted, after every webhook (the operator's, SWCK's): the containers that really run. */
    readonly spec?: LivePodSpec;
    readonly status?: {
        readonly conditions?: ReadonlyArray<{ readonly type: string; readonly status: string; readonly reason?: string }>;
        readonly containerStatuses?: readonly ContainerStatus[];
        readonly initContainerStatuses?: readonly ContainerStatus[];
    };
}

export type RolloutState = { readonly done: true } | { readonly done: false; readonly waitingFor: string; readonly stuck?: string };

/** Whether the controller has rolled every replica to the current template and all of them are available. */
export function rolloutState(workload: WorkloadObject): RolloutState {
    const desired = workload.spec.replicas ?? 1;
    const status = workload.status ?? {};
    const deadline = status.conditions?.find(c => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded");
    const stuck = deadline ? "the Deployment's progressDeadlineSeconds passed (ProgressDeadlineExceeded)" : undefined;
    if ((status.observedGeneration ?? 0) < (workload.metadata.generation ?? 0)) {
        return { done: false, waitingFor: "the controller to observe the new template", stuck };
    }
    const updated = status.updatedReplicas ?? 0;
    const ready = status.readyReplicas ?? 0;
    const available = workload.kind === "StatefulSet" ? ready : status.availableReplicas ?? 0;
    const total = status.replicas ?? 0;
    if (updated < desired || ready < desired || available < desired || total > desired) {
        return { done: false, waitingFor: `${updated} of ${desired} pods updated, ${ready} ready, ${available} available, ${total - updated} old`, stuck };
    }
    return { done: true };
}

/** Restarts of any container of the new pods: the failure signal teams watch during a rollout (a healthy new pod never restarts). */
export function restartProblems(pods: readonly PodObject[]): string[] {
    return livePods(pods).flatMap(pod => [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]
        .filter(c => (c.restartCount ?? 0) > 0)
        .map(c => `pod ${pod.metadata.name} container ${c.name} restarted ${c.restartCount} time${c.restartCount === 1 ? "" : "s"}${lastExit(c)}`));
}

/** New pods that are not Ready, with the kubelet's reason when it gave one. */
export function notReadyProblems(pods: readonly PodObject[]): string[] {
    return livePods(pods).flatMap(pod => {
        const ready = pod.status?.conditions?.find(c => c.type === "Ready");
        if (ready?.status === "True") return [];
        const waiting = pod.status?.containerStatuses?.find(c => c.state?.waiting?.reason)?.state?.waiting?.reason;
        const reason = waiting ?? ready?.reason;
        return [`pod ${pod.metadata.name} is not Ready${reason ? ` (${reason})` : ""}`];
    });
}

/** New pods the operator did not instrument: they lack its init container (its webhook lets pods through when down). */
export function injectionProblems(pods: readonly PodObject[], initContainer: string): string[] {
    return livePods(pods)
        .filter(pod => !pod.spec?.initContainers?.some(c => c.name === initContainer))
        .map(pod => `pod ${pod.metadata.name} has no ${initContainer} init container, so no OTel agent ` +
            "(the operator's webhook is fail-open: is the operator running and the Instrumentation ref right?)");
}

/** What the gate needs to tell whether a new pod still loads SkyWalking: the app's language, container and agent decisions. */
export interface SkywalkingCheck {
    readonly language: Language;
    readonly container: string;
    readonly agents: Readonly<Record<string, AgentVerdict>>;
}

/**
 * New pods that still load SkyWalking, with the words: the flip removed it from the template, but a mutating
 * webhook (SWCK) or a pipeline may put it back into the pods, and two agents must not run together.
 */
export function skywalkingProblems(pods: readonly PodObject[], check: SkywalkingCheck): string[] {
    const podCheck = { module: LANGUAGES[check.language], container: check.container, resolve: recordedAgents(check.agents) };
    return livePods(pods).flatMap(pod => {
        const loaded = skywalkingInPod(pod.spec ?? {}, podCheck);
        return loaded.length > 0 ? [`pod ${pod.metadata.name} still loads SkyWalking (${loaded.join("; ")})`] : [];
    });
}

function livePods(pods: readonly PodObject[]): PodObject[] {
    return pods.filter(pod => !pod.metadata.deletionTimestamp).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

function lastExit(container: ContainerStatus): string {
    const terminated = container.lastState?.terminated;
    const waiting = container.state?.waiting?.reason;
    const parts = [waiting, terminated && `last exit ${terminated.reason ?? "?"} code ${terminated.exitCode ?? "?"}`].filter(Boolean);
    return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}
