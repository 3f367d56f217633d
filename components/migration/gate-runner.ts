import {
    injectionProblems, notReadyProblems, PodObject, restartProblems, rolloutState, SkywalkingCheck, skywalkingProblems, WorkloadObject,
} from "./rollout-status";

/** Which workload to watch and for how long; the gate's inputs (AppFlip's `gate` spec). */
export interface GateTarget {
    /** `namespace/workload`, used in every message. */
    readonly app: string;
    readonly soakSeconds: number;
    readonly pollSeconds: number;
    readonly rolloutTimeoutSeconds: number;
    /** The operator's init container every new pod must have (otel mode); empty to skip the check. */
    readonly injectedInitContainer?: string;
    /** In otel mode: check every new pod for SkyWalking (a webhook or pipeline may add it back); absent to skip. */
    readonly skywalkingCheck?: SkywalkingCheck;
}

/** Reads of the live workload and of the pods running its current template. */
export interface GateReads {
    workload(): Promise<WorkloadObject>;
    newPods(workload: WorkloadObject): Promise<PodObject[]>;
}

export interface Clock {
    now(): number;
    sleep(ms: number): Promise<void>;
}

export const GateFailure = {
    restarts: "restarts", notReady: "not ready", timeout: "timeout", notInjected: "not injected", skywalkingLoaded: "skywalking still loaded",
    noTelemetry: "no telemetry",
} as const;
export type GateFailure = (typeof GateFailure)[keyof typeof GateFailure];

/** A failed gate: the app, why, and what was seen. */
export interface GateError extends Error {
    readonly app: string;
    readonly reason: GateFailure;
    readonly details: readonly string[];
}

/**
 * The gate's verdict on a failed app, with the next step spelled out. A factory rather than an Error subclass:
 * Pulumi's function serialization rewrites classes, and a rewritten `extends Error` loses its message.
 */
export function gateError(app: string, reason: GateFailure, details: readonly string[]): GateError {
    const message = `${app} failed the health gate (${reason}): ${details.join("; ")}. ` +
        `The new pod template stays applied; the other apps of this update keep theirs. ` +
        `To restore ${app}: pulumi config set --path 'apps["${app}"].mode' skywalking, then pulumi up.`;
    return Object.assign(new Error(message), { name: "GateError", app, reason, details });
}

/**
 * A migration team's manual rollout check, as a gate: wait for the rollout to finish (failing fast when a new pod restarts), check
 * the operator instrumented the new pods, then watch them every `pollSeconds` for `soakSeconds`; any restart,
 * un-Ready pod or pod that loads SkyWalking again fails the app.
 * Returns how many new pods passed.
 */
export async function runGate(target: GateTarget, reads: GateReads, clock: Clock): Promise<number> {
    const poll = target.pollSeconds * 1000;
    const rolloutDeadline = clock.now() + target.rolloutTimeoutSeconds * 1000;
    for (;;) {
        const workload = await reads.workload();
        const pods = await reads.newPods(workload);
        const restarts = restartProblems(pods);
        if (restarts.length > 0) throw gateError(target.app, GateFailure.restarts, restarts);
        const state = rolloutState(workload);
        if (state.done) break;
        if (state.stuck || clock.now() >= rolloutDeadline) {
            const why = state.stuck ?? `rollout not complete after ${target.rolloutTimeoutSeconds}s`;
            throw gateError(target.app, GateFailure.timeout, [`${why}: ${state.waitingFor}`, ...notReadyProblems(pods)]);
        }
        await clock.sleep(poll);
    }
    if (target.injectedInitContainer) {
        const missing = injectionProblems(await reads.newPods(await reads.workload()), target.injectedInitContainer);
        if (missing.length > 0) throw gateError(target.app, GateFailure.notInjected, missing);
    }
    const check = target.skywalkingCheck;
    const soakEnd = clock.now() + target.soakSeconds * 1000;
    for (;;) {
        const pods = await reads.newPods(await reads.workload());
        const restarts = restartProblems(pods);
        if (restarts.length > 0) throw gateError(target.app, GateFailure.restarts, restarts);
        // Checked through the soak: a pod replaced meanwhile goes through the webhooks again.
        const skywalking = check ? skywalkingProblems(pods, check) : [];
        if (skywalking.length > 0) throw gateError(target.app, GateFailure.skywalkingLoaded, skywalking);
        const notReady = notReadyProblems(pods);
        if (notReady.length > 0) throw gateError(target.app, GateFailure.notReady, notReady);
        if (clock.now() >= soakEnd) return pods.length;
        await clock.sleep(Math.min(poll, soakEnd - clock.now()));
    }
}
