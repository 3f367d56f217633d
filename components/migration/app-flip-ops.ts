/**
 * What the AppFlip provider does, loaded at run time in the dynamic-provider process (provider-runtime.ts):
 * a Server-Side Apply of the fields skyshift owns in one workload, then the health gate on the new pods. No
 * `@pulumi/pulumi` here: the provider process only needs the Kubernetes calls and the gate.
 */
import { runGate } from "./gate-runner";
import { fetchJson, jaegerTraceCount, runTraceCheck } from "./trace-check";
import { applyJson, getJson, KubeAccess, kubeAccess } from "./kube-api";
import { projectOwned } from "./owned-projection";
import { sameJson, writeNeeded } from "./write-needed";
import type { SkywalkingCheck } from "./rollout-status";
import { KUBE_RETRY, withRetries } from "./retry";
import { WorkloadKind, workloadPath, workloadReads } from "./workload-reads";

/** The workload a flip applies to. */
export interface FlipTarget {
    readonly kind: WorkloadKind;
    readonly namespace: string;
    readonly name: string;
}

/** How the gate watches the new pods (`migration.*`). */
export interface GateSettings {
    /**
     * True in otel and bridge modes, false in skywalking mode: the originals are what ran before the flip, nothing to certify, and an app that
     * was already failing must not fail every update of the fleet. The flip back is applied without waiting.
     */
    readonly watch: boolean;
    readonly soakSeconds: number;
    readonly pollSeconds: number;
    readonly rolloutTimeoutSeconds: number;
    /** The operator's init container new pods must have; empty outside otel mode or with `verifyInjection: false`. */
    readonly injectedInitContainer: string;
    /** The app's language, container and agent decisions, to fail new pods that load SkyWalking again; only in otel mode. */
    readonly skywalkingCheck?: SkywalkingCheck;
    /** The trace check after the soak (the app is in `migration.verifyTraces.apps`); absent otherwise. */
    readonly traces?: { readonly service: string; readonly backendUrl: string; readonly timeoutSeconds: number };
}

/** Where the cluster is; a secret in state (a kubeconfig may hold credentials inline). */
export interface ClusterAccess {
    /** Kubeconfig contents or path; default `$KUBECONFIG`, then `~/.kube/config`. */
    readonly kubeconfig?: string;
    /** A context of that kubeconfig (`kubernetes:context`); default its current context. */
    readonly kubeContext?: string;
}

/** What to apply where, and how to certify it. */
export interface FlipSpec {
    readonly target: FlipTarget;
    /** The Server-Side Apply field manager (`migration.fieldManager`). */
    readonly fieldManager: string;
    /** The apply body from `workloadPatch`: only the owned fields. */
    readonly body: Record<string, unknown>;
    /** Digest of the wanted body (`hashOf`). */
    readonly patchHash: string;
    readonly gate: GateSettings;
}

/**
 * One app's flip. Plain values: the provider runs in another process. Few top-level properties, and the spec as
 * one JSON string, on purpose: the SDK makes an Output, promises and stack traces per property and per nested
 * value it serializes, and the engine marshals every value at each step (docs/fleet-scale.md). The CLI still
 * shows a change of a JSON string as a structured diff (pulumi `pkg/backend/display/object_diff.go`, `decodeValue`).
 */
export interface AppFlipInputs {
    /** `namespace/workload`, named in every error. */
    readonly app: string;
    /** `JSON.stringify` of the FlipSpec. */
    readonly spec: string;
    /** Absent when the stack configures neither `kubernetes:kubeconfig` nor `kubernetes:context`: the defaults apply. */
    readonly cluster?: ClusterAccess;
}

/** The spec as a state holds it: a JSON string, or the object that states written before the string held. */
export type StoredSpec = string | FlipSpec;

/**
 * What the state keeps: the inputs with the spec's `body` replaced by the live values of the owned fields, and
 * what the gate certified: `patchHash` (the rollback command reads it) is absent when the apply happened and the
 * gate failed.
 */
export type AppFlipState = Omit<AppFlipInputs, "spec"> & { readonly spec: StoredSpec; readonly patchHash?: string; readonly checkedPods: number };

/**
 * State written before AppFlip existed: the aliased `<key>-patch` WorkloadApply kept its target and
 * kubeconfig at the top level and had no gate fields (its separate RolloutGate held those).
 */
type LegacyPatchState = Partial<FlipTarget> & { readonly fieldManager?: string; readonly body?: unknown };
export type OldState = Partial<AppFlipState> | LegacyPatchState;

/** Gate settings whose change means a new template to certify; timings are not among them. */
export const GATE_TRIGGERS = ["watch", "injectedInitContainer"] as const;

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));
const clock = { now: () => Date.now(), sleep };

/** The FlipSpec of either stored form. */
export function specOf(stored: StoredSpec): FlipSpec {
    return typeof stored === "string" ? JSON.parse(stored) as FlipSpec : stored;
}

/** `spec` in the form `previous` had, so refreshing a state written before the string shows no change of form. */
function storedLike(previous: StoredSpec, spec: FlipSpec): StoredSpec {
    return typeof previous === "string" ? JSON.stringify(spec) : spec;
}

function objectPath(target: FlipTarget): string {
    return workloadPath(target.kind, target.namespace, target.name);
}

/**
 * The AppFlip provider's methods, called by name from the serialized provider (app-flip.ts, provider-runtime.ts).
 * No `delete`: removing an app from the inventory leaves its workload as it is (Server-Side Apply has no
 * "restore"; flipping back re-applies the originals instead), and the dynamic-provider host skips a missing one.
 */
export const appFlipMethods = {
    create: async (inputs: AppFlipInputs) => ({ id: inputs.app, outs: await applyAndGate(inputs) }),
    diff: async (_id: string, olds: OldState, news: AppFlipInputs) => flipDiff(olds, news),
    update: async (_id: string, _olds: OldState, news: AppFlipInputs) => ({ outs: await applyAndGate(news) }),
    read: readFlip,
};

/**
 * Compares with the old *state* (dynamic providers get old outputs): `body` there is what the cluster had. A new
 * target is a new resource (the old one is retained, its workload left alone); anything else updates in place.
 */
export function flipDiff(olds: OldState, news: AppFlipInputs): { changes: boolean; replaces: string[] } {
    const old = "spec" in olds && olds.spec ? specOf(olds.spec) : legacySpec(olds as LegacyPatchState);
    const next = specOf(news.spec);
    const replaces = sameJson(old.target, next.target) ? [] : ["spec"];
    // Legacy state has no gate: its separate gate already ran for that body, so only the body and the manager decide.
    const gateChanged = old.gate !== undefined && (old.patchHash !== next.patchHash || GATE_TRIGGERS.some(key => old.gate![key] !== next.gate[key]));
    const changes = replaces.length > 0 || gateChanged || old.fieldManager !== next.fieldManager
        || !sameJson(old.body, next.body);
    return { changes, replaces };
}

function legacySpec(olds: LegacyPatchState): Omit<Partial<FlipSpec>, "body"> & { body?: unknown } {
    return { target: { kind: olds.kind!, namespace: olds.namespace!, name: olds.name! }, fieldManager: olds.fieldManager, body: olds.body };
}

/**
 * Apply, then gate. The apply is one PATCH of one object, which the API server stores atomically: an engine
 * killed at any point leaves each workload with either its old template or the whole new one.
 *
 * When the gate fails after the apply, the error carries the resource's new state (`id`, `properties`,
 * `reasons`: the dynamic-provider host reports it as a partial failure, `ErrorResourceInitFailed`, in
 * `@pulumi/pulumi/cmd/dynamic-provider/index.js` `grpcResponseFromError`). So the state says what the cluster
 * now runs (a flip back is a change and is applied) and lacks `patchHash` (nothing certified); the engine
 * updates a resource with initialization errors on the next `up`, which re-runs the gate.
 * @param inputs the provider's inputs, `__provider` included (the partial state must keep it, as every state does).
 */
export async function applyAndGate(inputs: AppFlipInputs): Promise<AppFlipState> {
    const { app } = inputs;
    const spec = specOf(inputs.spec);
    const { target, gate, body, fieldManager } = spec;
    const access = clusterAccess(inputs.cluster);
    const apply = () => withRetries(`${app}: Server-Side Apply of ${target.kind} ${target.namespace}/${target.name}`,
        () => applyJson<Record<string, unknown>>(access, objectPath(target), body, fieldManager), KUBE_RETRY, sleep);
    // In skywalking mode the body holds the originals: adopting a never-flipped app reads it and writes nothing (write-needed.ts).
    const current = gate.watch ? undefined : await retryingGet(access, app)<Record<string, unknown>>(objectPath(target));
    const live = current && !writeNeeded(current, body, fieldManager) ? current : await apply();
    const applied = { ...inputs, spec: JSON.stringify({ ...spec, body: projectOwned(live, body) }), checkedPods: 0 };
    if (!gate.watch) return { ...applied, patchHash: spec.patchHash };
    // The trace window opens with the apply: spans of the flipped template's pods count from here.
    const sinceMs = clock.now();
    try {
        const checkedPods = await runGate({ app, ...gate }, workloadReads(retryingGet(access, app), target.kind, target.namespace, target.name), clock);
        if (gate.traces) {
            const { service, backendUrl, timeoutSeconds } = gate.traces;
            await runTraceCheck({ app, service, backend: `jaeger ${backendUrl}`, sinceMs, timeoutSeconds, pollSeconds: gate.pollSeconds },
                jaegerTraceCount(backendUrl, url => fetchJson(url)), clock);
        }
        return { ...applied, patchHash: spec.patchHash, checkedPods };
    } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw Object.assign(new Error(message), { id: app, properties: applied, reasons: [message] });
    }
}

/** Refresh: the owned fields' live values, so drift (a pipeline re-deploying the SkyWalking spec) shows in the next preview. */
export async function readFlip(id: string, state: AppFlipState): Promise<{ id: string; props: AppFlipState }> {
    const access = clusterAccess(state.cluster);
    const spec = specOf(state.spec);
    const live = await retryingGet(access, state.app)<Record<string, unknown>>(objectPath(spec.target));
    return { id, props: { ...state, spec: storedLike(state.spec, { ...spec, body: projectOwned(live, spec.body) }) } };
}

/**
 * One `KubeAccess` per cluster for the provider process's lifetime (one engine run): every app of a fleet names
 * the same kubeconfig, and resolving it (files, YAML, client-node's KubeConfig) per call cost ~10 ms per app.
 */
const accessByCluster = new Map<string, KubeAccess>();

function clusterAccess(cluster: ClusterAccess = {}): KubeAccess {
    const key = JSON.stringify([cluster.kubeconfig ?? null, cluster.kubeContext ?? null]);
    let access = accessByCluster.get(key);
    if (!access) accessByCluster.set(key, access = kubeAccess(cluster.kubeconfig, cluster.kubeContext));
    return access;
}

function retryingGet(access: KubeAccess, app: string) {
    return <T>(apiPath: string) => withRetries(`${app}: GET ${apiPath}`, () => getJson<T>(access, apiPath), KUBE_RETRY, sleep);
}
