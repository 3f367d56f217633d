import * as pulumi from "@pulumi/pulumi";
import { runGate } from "./gate-runner";
import { getJson, kubeAccess } from "./kube-api";
import type { SkywalkingCheck } from "./rollout-status";
import { fetchJson, jaegerTraceCount, runTraceCheck } from "./trace-check";
import { WorkloadKind, workloadReads } from "./workload-reads";

/** What the gate watches and for how long. Plain values: the provider runs in another process. */
export interface RolloutGateInputs {
    readonly app: string;
    readonly kind: WorkloadKind;
    readonly namespace: string;
    readonly name: string;
    /**
     * False in skywalking mode: the originals are what ran before the flip, nothing to certify, and an app that
     * was already failing must not fail every update of the fleet. The flip back is applied without waiting.
     */
    readonly watch: boolean;
    /** Hash of the patch body: a new hash (a flip, an agent image change) re-runs the gate. */
    readonly patchHash: string;
    readonly soakSeconds: number;
    readonly pollSeconds: number;
    readonly rolloutTimeoutSeconds: number;
    /** The operator's init container new pods must have; empty in skywalking mode or with `verifyInjection: false`. */
    readonly injectedInitContainer: string;
    /** The app's language, container and agent decisions, to fail new pods that load SkyWalking again; absent in skywalking mode. */
    readonly skywalkingCheck?: SkywalkingCheck;
    /** The service whose spans must arrive after the soak (the app is in `migration.verifyTraces.apps`); empty to skip the check. */
    readonly traceService: string;
    /** Jaeger's query API base URL (`migration.verifyTraces.backend.url`); read only with a traceService. */
    readonly traceBackendUrl: string;
    readonly traceTimeoutSeconds: number;
    /** Kubeconfig contents or path (its current context); default `$KUBECONFIG`, then `~/.kube/config`. */
    readonly kubeconfig?: string;
    /** A context of that kubeconfig (`kubernetes:context`); default its current context. */
    readonly kubeContext?: string;
}

/** Inputs whose change means a new template to watch; timing and credentials changes do not re-run the gate. */
export const GATE_TRIGGERS = ["app", "kind", "namespace", "name", "watch", "patchHash", "injectedInitContainer"] as const;

const realClock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms)) };

/**
 * Dynamic providers diff new inputs against the old *outputs*, so the outputs repeat every trigger (and not
 * the kubeconfig and its context, which are no triggers and need not be stored twice).
 */
async function pass(inputs: RolloutGateInputs): Promise<Record<string, unknown>> {
    const { kubeconfig, kubeContext, ...recorded } = inputs;
    if (!inputs.watch) return { ...recorded, checkedPods: 0 };
    const access = kubeAccess(kubeconfig, kubeContext);
    const reads = workloadReads(apiPath => getJson(access, apiPath), inputs.kind, inputs.namespace, inputs.name);
    // The trace window starts here: the patch is applied, the flipped template's pods are about to roll.
    const sinceMs = realClock.now();
    const checkedPods = await runGate(inputs, reads, realClock);
    if (!inputs.traceService) return { ...recorded, checkedPods };
    const traces = await runTraceCheck({
        app: inputs.app, service: inputs.traceService, backend: `jaeger ${inputs.traceBackendUrl}`, sinceMs,
        timeoutSeconds: inputs.traceTimeoutSeconds, pollSeconds: inputs.pollSeconds,
    }, jaegerTraceCount(inputs.traceBackendUrl, url => fetchJson(url)), realClock);
    return { ...recorded, checkedPods, checkedTraces: traces };
}

/**
 * The gate's dynamic provider. Its methods are one-line calls into tested functions; Pulumi serializes it with
 * everything it references, so it must not capture ESM-only modules (kube-api requires @kubernetes/client-node
 * inside its functions, never at module scope).
 */
export const rolloutGateProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: RolloutGateInputs) {
        return { id: inputs.app, outs: await pass(inputs) };
    },
    async diff(_id: string, olds: RolloutGateInputs, news: RolloutGateInputs) {
        return { changes: GATE_TRIGGERS.some(key => olds[key] !== news[key]) };
    },
    async update(_id: string, _olds: RolloutGateInputs, news: RolloutGateInputs) {
        return { outs: await pass(news) };
    },
};

type GateArgs = { [K in keyof RolloutGateInputs]: pulumi.Input<RolloutGateInputs[K]> };

/**
 * Succeeds once the app's rollout completed and its new pods stayed Ready without restarts for the soak;
 * otherwise the update fails with a GateError naming the app, the pod and the reason.
 */
export class RolloutGate extends pulumi.dynamic.Resource {
    /** How many new pods passed the soak. */
    public readonly checkedPods!: pulumi.Output<number>;
    /** How many of the app's traces the trace backend had (only with `verifyTraces`). */
    public readonly checkedTraces!: pulumi.Output<number | undefined>;

    constructor(name: string, args: GateArgs, opts?: pulumi.CustomResourceOptions) {
        super(rolloutGateProvider, name, { ...args, checkedPods: undefined, checkedTraces: undefined }, opts);
    }
}
