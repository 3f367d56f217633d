/**
 * Cluster access for the migration's dynamic providers (the rollout gate's reads, the workloads' Server-Side
 * Apply): the shared client in `kube/`, which the `discover`, `status` and `rollback` commands use too.
 */
export { applyJson, getJson, kubeAccess } from "../../kube/client";
export type { KubeAccess } from "../../kube/client";
