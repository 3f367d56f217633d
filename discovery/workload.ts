import type { V1ObjectMeta, V1PodTemplateSpec } from "@kubernetes/client-node";
import { WorkloadKind } from "../config/migration";

export { WorkloadKind };

/** The part of a `V1Deployment` / `V1StatefulSet` detection reads. */
export interface Workload {
    readonly metadata?: V1ObjectMeta;
    readonly spec?: { readonly replicas?: number; readonly template: V1PodTemplateSpec };
}

/** Who a detection is about: the inventory key people flip (`namespace/name`) and the live object behind it. */
export interface WorkloadRef {
    readonly key: string;
    readonly namespace: string;
    readonly name: string;
    readonly kind: WorkloadKind;
}

export function workloadRef(kind: WorkloadKind, workload: Workload): WorkloadRef {
    const namespace = workload.metadata?.namespace ?? "default";
    const name = workload.metadata?.name ?? "";
    return { key: `${namespace}/${name}`, namespace, name, kind };
}

/** Kubernetes defaults an unset `replicas` to 1. */
export function desiredReplicas(workload: Workload): number {
    return workload.spec?.replicas ?? 1;
}
