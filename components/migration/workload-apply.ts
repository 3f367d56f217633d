import * as pulumi from "@pulumi/pulumi";
import { applyJson, getJson, kubeAccess } from "./kube-api";
import { projectOwned } from "./owned-projection";
import { WorkloadKind } from "./workload-reads";

/** One Server-Side Apply of the fields skyshift owns in a workload. Plain values: the provider runs in another process. */
export interface WorkloadApplyInputs {
    readonly kind: WorkloadKind;
    readonly namespace: string;
    readonly name: string;
    /** The Server-Side Apply field manager (`migration.fieldManager`). */
    readonly fieldManager: string;
    /** The apply body from `workloadPatch`: only the owned fields. */
    readonly body: Record<string, unknown>;
    /** Kubeconfig contents or path (its current context); default `$KUBECONFIG`, then `~/.kube/config`. */
    readonly kubeconfig?: string;
    /** A context of that kubeconfig (`kubernetes:context`); default its current context. */
    readonly kubeContext?: string;
}

function objectPath(inputs: WorkloadApplyInputs): string {
    const resource = inputs.kind === "Deployment" ? "deployments" : "statefulsets";
    return `/apis/apps/v1/namespaces/${inputs.namespace}/${resource}/${inputs.name}`;
}

/**
 * The state kept is the live values of the owned fields (`body` projected from the live object), so the next
 * diff compares by key what the cluster has with what the config wants, and `pulumi refresh` brings drift in
 * (a release pipeline re-deploying the SkyWalking spec) for the next `up` to repair.
 */
async function apply(inputs: WorkloadApplyInputs): Promise<Record<string, unknown>> {
    const live = await applyJson<Record<string, unknown>>(kubeAccess(inputs.kubeconfig, inputs.kubeContext), objectPath(inputs), inputs.body, inputs.fieldManager);
    return { ...inputs, body: projectOwned(live, inputs.body) };
}

/** A new target is a new resource (the old one's delete leaves its workload alone); anything else updates in place. */
const TARGET = ["kind", "namespace", "name"] as const;

async function read(id: string, state: WorkloadApplyInputs): Promise<pulumi.dynamic.ReadResult> {
    const live = await getJson<Record<string, unknown>>(kubeAccess(state.kubeconfig, state.kubeContext), objectPath(state));
    return { id, props: { ...state, body: projectOwned(live, state.body) } };
}

/**
 * The dynamic provider. `delete` does nothing: removing an app from the inventory leaves its workload as it is
 * (Server-Side Apply has no "restore"; flipping back re-applies the originals instead).
 */
export const workloadApplyProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: WorkloadApplyInputs) {
        return { id: `${inputs.namespace}/${inputs.name}`, outs: await apply(inputs) };
    },
    async diff(_id: string, olds: WorkloadApplyInputs, news: WorkloadApplyInputs) {
        const replaces = TARGET.filter(key => olds[key] !== news[key]);
        const changes = replaces.length > 0 || olds.fieldManager !== news.fieldManager || JSON.stringify(olds.body) !== JSON.stringify(news.body);
        return { changes, replaces };
    },
    async update(_id: string, _olds: WorkloadApplyInputs, news: WorkloadApplyInputs) {
        return { outs: await apply(news) };
    },
    read,
    async delete() {
        // Retained by design: see above.
    },
};

type ApplyArgs = { [K in keyof WorkloadApplyInputs]: pulumi.Input<WorkloadApplyInputs[K]> };

/** Server-Side Apply of skyshift's fields in one Deployment or StatefulSet, diffed by key against the live values. */
export class WorkloadApply extends pulumi.dynamic.Resource {
    /** The owned fields' live values after the last apply or refresh. */
    public readonly body!: pulumi.Output<Record<string, unknown>>;

    constructor(name: string, args: ApplyArgs, opts?: pulumi.CustomResourceOptions) {
        super(workloadApplyProvider, name, args, { ...opts, additionalSecretOutputs: ["kubeconfig"] });
    }
}
