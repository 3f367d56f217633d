import type { V1Deployment, V1StatefulSet } from "@kubernetes/client-node";
import type { WorkloadKind } from "../../components/discovery";
import { getJson, kubeAccess } from "../../components/migration/kube-api";
import type { ClusterReader } from "./cluster";
import type { KubeTarget } from "./kube";

/**
 * The same reads as the client-node reader, as HTTPS GETs (client certificates, tokens and CAs from the
 * kubeconfig; no exec plugins). `getJson` can only GET, so this path cannot write either.
 */
export function connectOverHttps(target: KubeTarget): ClusterReader {
    const access = kubeAccess(target.kubeconfig, target.context);
    const resource = (kind: WorkloadKind) => (kind === "Deployment" ? "deployments" : "statefulsets");
    return {
        describe: `${target.context ? `context ${target.context}` : "current context"} (${access.server})`,
        async list(kind, namespace, limit, continueToken) {
            const scope = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : "";
            const query = `limit=${limit}${continueToken ? `&continue=${encodeURIComponent(continueToken)}` : ""}`;
            const list = await getJson<{ items: (V1Deployment | V1StatefulSet)[]; metadata?: { continue?: string } }>(
                access, `/apis/apps/v1${scope}/${resource(kind)}?${query}`);
            return { items: list.items, continueToken: list.metadata?.continue };
        },
        async read(kind, namespace, name) {
            try {
                return await getJson<V1Deployment | V1StatefulSet>(access, `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${resource(kind)}/${encodeURIComponent(name)}`);
            } catch (error) {
                if (/: 404 /.test((error as Error).message)) return undefined;
                throw error;
            }
        },
    };
}
