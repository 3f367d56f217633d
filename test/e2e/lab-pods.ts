/**
 * The lab apps' pods as the e2e tests need them: a Deployment rolled out, its pods that are not terminating, the
 * one Ready pod of its current template (what the workload runner starts), and a GET against an app the runner started.
 */
import { Pod } from "../lab/runner/pod-env";
import { KubeObject, kubectl, readObject, waitFor } from "./harness";

export type LabPod = Pod & KubeObject & { metadata: { deletionTimestamp?: string; uid: string }; status: { podIP: string } };

type RollingDeployment = KubeObject & { metadata: { generation: number }; spec: { replicas: number }; status?: Record<string, number> };

/** The Deployment once every replica runs its current template and is Ready (waits up to 2 minutes). */
export async function rolledOut<D extends RollingDeployment>(namespace: string, name: string): Promise<D> {
    return waitFor(async () => {
        const d = await readObject<D>("apps/v1", "Deployment", namespace, name);
        const s = d?.status ?? {};
        return d && s.observedGeneration === d.metadata.generation && s.updatedReplicas === d.spec.replicas
            && s.readyReplicas === d.spec.replicas && s.replicas === d.spec.replicas ? d : undefined;
    }, 120_000, `${name} rolled out`);
}

/** The app's pods that are not terminating. */
export async function livePods<P extends { metadata: { deletionTimestamp?: string } }>(namespace: string, app: string): Promise<P[]> {
    const list = JSON.parse(await kubectl(["get", "pods", "-n", namespace, "-l", `app=${app}`, "-o", "json"])).items as P[];
    return list.filter((p) => !p.metadata.deletionTimestamp);
}

/** The Deployment's one running, Ready pod of its current template (waits up to 3 minutes for the rollout). */
export async function readyPod(namespace: string, app: string): Promise<LabPod> {
    return waitFor(async () => {
        const d = await readObject<KubeObject & { metadata: { generation: number }; status?: Record<string, number> }>("apps/v1", "Deployment", namespace, app);
        const s = d?.status ?? {};
        if (!d || s.observedGeneration !== d.metadata.generation || s.updatedReplicas !== 1 || s.readyReplicas !== 1 || s.replicas !== 1) return undefined;
        const pods = (JSON.parse(await kubectl(["get", "pods", "-n", namespace, "-l", `app=${app}`, "-o", "json"])).items as LabPod[])
            .filter((p) => !p.metadata.deletionTimestamp);
        return pods.length === 1 && pods[0].status.podIP ? pods[0] : undefined;
    }, 180_000, `${namespace}/${app} rolled out with one Ready pod`);
}

/** GET http://127.0.0.1:<port><route>; rejects on a non-2xx answer. */
export async function get(port: number, route: string): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${port}${route}`);
    if (!response.ok) throw new Error(`GET :${port}${route}: ${response.status} ${await response.text()}`);
    return response.text();
}
