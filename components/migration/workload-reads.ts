import type { WorkloadKind } from "../../config/migration";
import { GateReads } from "./gate-runner";
import { PodObject, WorkloadObject } from "./rollout-status";

export type { WorkloadKind };
/** GETs an API path as JSON (kube-api's getJson bound to a cluster; a map in tests). */
export type GetJson = <T>(apiPath: string) => Promise<T>;

interface LiveWorkload extends WorkloadObject {
    readonly metadata: WorkloadObject["metadata"] & { readonly uid: string };
    readonly spec: WorkloadObject["spec"] & { readonly selector: { readonly matchLabels?: Record<string, string> } };
}

interface ReplicaSet {
    readonly metadata: {
        readonly labels?: Record<string, string>; readonly annotations?: Record<string, string>;
        readonly ownerReferences?: ReadonlyArray<{ readonly uid: string }>;
    };
}

const REVISION = "deployment.kubernetes.io/revision";

/**
 * The gate's reads for one workload. "New pods" are those of the current template: for a Deployment the pods
 * whose `pod-template-hash` is the newest ReplicaSet's (the one with the Deployment's revision), for a
 * StatefulSet those whose `controller-revision-hash` is `status.updateRevision`. Old pods that are still
 * terminating are the rollout's business, not the new template's health.
 */
/** The API path of one Deployment or StatefulSet. */
export function workloadPath(kind: WorkloadKind, namespace: string, name: string): string {
    const resource = kind === "Deployment" ? "deployments" : "statefulsets";
    return `/apis/apps/v1/namespaces/${namespace}/${resource}/${name}`;
}

export function workloadReads(get: GetJson, kind: WorkloadKind, namespace: string, name: string): GateReads {
    const pods = (labels: Record<string, string>) =>
        get<{ items: PodObject[] }>(`/api/v1/namespaces/${namespace}/pods?labelSelector=${selector(labels)}`).then(list => list.items);
    return {
        workload: () => get<LiveWorkload>(workloadPath(kind, namespace, name)),
        async newPods(workload) {
            const live = workload as LiveWorkload;
            const labels = live.spec.selector.matchLabels ?? {};
            if (kind === "StatefulSet") {
                const revision = live.status?.updateRevision;
                return revision ? pods({ ...labels, "controller-revision-hash": revision }) : [];
            }
            const sets = await get<{ items: ReplicaSet[] }>(`/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${selector(labels)}`);
            const newest = sets.items.find(rs => rs.metadata.ownerReferences?.some(o => o.uid === live.metadata.uid)
                && rs.metadata.annotations?.[REVISION] === live.metadata.annotations?.[REVISION]);
            const hash = newest?.metadata.labels?.["pod-template-hash"];
            return hash ? pods({ ...labels, "pod-template-hash": hash }) : [];
        },
    };
}

function selector(labels: Record<string, string>): string {
    return encodeURIComponent(Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(","));
}
