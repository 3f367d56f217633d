import type { KubeConfig, RequestContext } from "@kubernetes/client-node";
import type { WorkloadKind } from "../../discovery";
import { kubeAccess } from "../../kube/client";
import type { ClusterReader } from "./cluster";

export interface KubeTarget {
    /** A kubeconfig file; default: $KUBECONFIG, ~/.kube/config, then the pod's service account, as kubectl reads them. */
    readonly kubeconfig?: string;
    /** A context in it; default: its current-context. */
    readonly context?: string;
}

/** Refuses anything but GET before it leaves the process: discover and status read the cluster, never change it. */
export function assertReadOnly(method: string, url: string): void {
    if (method.toUpperCase() !== "GET") {
        throw new Error(`refusing ${method} ${url}: skyshift only reads the cluster here — changes go through pulumi up`);
    }
}

/**
 * Connects with @kubernetes/client-node through the shared cluster access (`kube/`), the same kubeconfig
 * resolution, exec plugins, in-cluster mode and proxy rules as the program's workload patches and gates. The
 * client is loaded here, on first use, so the pure modules and their unit tests never load it (it is an ES
 * module: Node 20.19+ requires it natively, jest's CommonJS runtime cannot).
 */
export async function connectCluster(target: KubeTarget): Promise<ClusterReader> {
    const k8s = await import("@kubernetes/client-node");
    const { config: kc, describe } = kubeAccess(target.kubeconfig, target.context);
    const server = kc.getCurrentCluster()!.server;
    const apps = new k8s.AppsV1Api(readOnlyConfiguration(k8s, kc, server));
    const notFound = (error: unknown) => (error as { code?: number }).code === 404;
    return {
        describe,
        async list(kind: WorkloadKind, namespace, limit, continueToken) {
            const request = { limit, _continue: continueToken };
            const list = kind === "Deployment"
                ? await (namespace ? apps.listNamespacedDeployment({ namespace, ...request }) : apps.listDeploymentForAllNamespaces(request))
                : await (namespace ? apps.listNamespacedStatefulSet({ namespace, ...request }) : apps.listStatefulSetForAllNamespaces(request));
            return { items: list.items, continueToken: list.metadata?._continue };
        },
        async read(kind: WorkloadKind, namespace, name) {
            try {
                return kind === "Deployment" ? await apps.readNamespacedDeployment({ namespace, name }) : await apps.readNamespacedStatefulSet({ namespace, name });
            } catch (error) {
                if (notFound(error)) return undefined;
                throw error;
            }
        },
    };
}

type ClientNode = typeof import("@kubernetes/client-node");

/** What `makeApiClient` builds, plus a middleware that enforces {@link assertReadOnly} on every request. */
function readOnlyConfiguration(k8s: ClientNode, kc: KubeConfig, server: string) {
    return k8s.createConfiguration({
        baseServer: new k8s.ServerConfiguration(server, {}),
        authMethods: { default: kc },
        promiseMiddleware: [{
            pre: async (context: RequestContext) => {
                assertReadOnly(context.getHttpMethod(), context.getUrl());
                return context;
            },
            post: async response => response,
        }],
    });
}
