/**
 * What the AppFlip provider does, loaded at run time in the dynamic-provider process (provider-runtime.ts):
 * a Server-Side Apply of the fields skyshift owns in one workload, then the health gate on the new pods. No
 * `@pulumi/pulumi` here: the provider process only needs the Kubernetes calls and the gate.
 */
import { runGate } from "./gate-runner";
import { applyJson, getJson, KubeAccess, kubeAccess } from "./kube-api";
import { projectOwned } from "./owned-projection";
import { KUBE_RETRY, withRetries } from "./retry";
import { WorkloadKind, workloadReads } from "./workload-reads";

/** One app's flip. Plain values: the provider runs in another process. */
export interface AppFlipInputs {
    /** `namespace/workload`, named in every error. */
    readonly app: string;
    readonly kind: WorkloadKind;
    readonly namespace: string;
    readonly name: string;
    /** The Server-Side Apply field manager (`migration.fieldManager`). */
    readonly fieldManager: string;
    /** The apply body from `workloadPatch`: only the owned fields. */
    readonly body: Record<string, unknown>;
    /** Digest of the wanted body (`hashOf`): recorded once the gate passed, so a changed body re-runs the gate. */
    readonly patchHash: string;
    /**
     * False in skywalking mode: the originals are what ran before the flip, nothing to certify, and an app that
     * was already failing must not fail every update of the fleet. The flip back is applied without waiting.
     */
    readonly watch: boolean;
    readonly soakSeconds: number;
    readonly pollSeconds: number;
    readonly rolloutTimeoutSeconds: number;
    /** The operator's init container new pods must have; empty in skywalking mode or with `verifyInjection: false`. */
    readonly injectedInitContainer: string;
    /** Kubeconfig contents or path; default `$KUBECONFIG`, then `~/.kube/config`. */
    readonly kubeconfig?: string;
    /** A context of that kubeconfig (`kubernetes:context`); default its current context. */
    readonly kubeContext?: string;
}

/** What the state keeps: the inputs with `body` replaced by the live values of the owned fields, and the gate's count. */
export type AppFlipState = AppFlipInputs & { readonly checkedPods: number };

/** A new target is a new resource (the old one is retained, its workload left alone); anything else updates in place. */
export const FLIP_TARGET = ["kind", "namespace", "name"] as const;
/** Gate inputs whose change means a new template to certify; timings and credentials are not among them. */
export const GATE_TRIGGERS = ["patchHash", "watch", "injectedInitContainer"] as const;

const sleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));
const clock = { now: () => Date.now(), sleep };

function objectPath(target: Pick<AppFlipInputs, "kind" | "namespace" | "name">): string {
    const resource = target.kind === "Deployment" ? "deployments" : "statefulsets";
    return `/apis/apps/v1/namespaces/${target.namespace}/${resource}/${target.name}`;
}

/** Compares with the old *state* (dynamic providers get old outputs): `body` there is what the cluster had. */
export function flipDiff(olds: Partial<AppFlipState>, news: AppFlipInputs): { changes: boolean; replaces: string[] } {
    const replaces = FLIP_TARGET.filter(key => olds[key] !== news[key]);
    // State written before AppFlip existed (the aliased `<key>-patch` WorkloadApply) has no gate fields: its
    // separate gate already ran for that body, so only the body and the manager decide.
    const gateChanged = GATE_TRIGGERS.some(key => key in olds && olds[key] !== news[key]);
    const changes = replaces.length > 0 || gateChanged || olds.fieldManager !== news.fieldManager
        || JSON.stringify(olds.body) !== JSON.stringify(news.body);
    return { changes, replaces };
}

/**
 * Apply, then gate. The apply is one PATCH of one object, which the API server stores atomically: an engine
 * killed at any point leaves each workload with either its old template or the whole new one.
 */
export async function applyAndGate(inputs: AppFlipInputs): Promise<AppFlipState> {
    const access = kubeAccess(inputs.kubeconfig, inputs.kubeContext);
    const live = await withRetries(`${inputs.app}: Server-Side Apply of ${inputs.kind} ${inputs.namespace}/${inputs.name}`,
        () => applyJson<Record<string, unknown>>(access, objectPath(inputs), inputs.body, inputs.fieldManager), KUBE_RETRY, sleep);
    const checkedPods = inputs.watch ? await runGate(inputs, workloadReads(retryingGet(access, inputs.app), inputs.kind, inputs.namespace, inputs.name), clock) : 0;
    return { ...inputs, body: projectOwned(live, inputs.body), checkedPods };
}

/** Refresh: the owned fields' live values, so drift (a pipeline re-deploying the SkyWalking spec) shows in the next preview. */
export async function readFlip(id: string, state: AppFlipState): Promise<{ id: string; props: AppFlipState }> {
    const access = kubeAccess(state.kubeconfig, state.kubeContext);
    const live = await retryingGet(access, state.app)<Record<string, unknown>>(objectPath(state));
    return { id, props: { ...state, body: projectOwned(live, state.body) } };
}

function retryingGet(access: KubeAccess, app: string) {
    return <T>(apiPath: string) => withRetries(`${app}: GET ${apiPath}`, () => getJson<T>(access, apiPath), KUBE_RETRY, sleep);
}
