import * as path from "path";

/** Where the service-account files sit in a pod (client-go's `rest.InClusterConfig`). */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** How to reach the cluster, decided before anything is read. */
export type KubeconfigSource =
    | { readonly kind: "contents"; readonly text: string }
    | { readonly kind: "files"; readonly files: readonly string[] }
    | { readonly kind: "in-cluster"; readonly server: string; readonly tokenFile: string; readonly caFile: string };

export interface SourceEnvironment {
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly home: string;
    readonly exists: (file: string) => boolean;
}

/**
 * Picks the kubeconfig the way kubectl and the Kubernetes provider do (client-go's `clientcmd` loading rules,
 * then `rest.InClusterConfig`):
 * 1. the given kubeconfig (`kubernetes:kubeconfig` or `--kubeconfig`): its contents, or a file path;
 * 2. every file in `$KUBECONFIG` (merged, the first file wins on a name used twice);
 * 3. `~/.kube/config`;
 * 4. in a pod: `KUBERNETES_SERVICE_HOST`/`KUBERNETES_SERVICE_PORT` and the service-account token and CA in
 *    `$SKYSHIFT_SERVICE_ACCOUNT_DIR` (default the pod's own, /var/run/secrets/kubernetes.io/serviceaccount).
 */
export function kubeconfigSource(kubeconfig: string | undefined, { env, home, exists }: SourceEnvironment): KubeconfigSource {
    if (kubeconfig) {
        if (/[\n{]/.test(kubeconfig)) return { kind: "contents", text: kubeconfig };
        if (!exists(kubeconfig)) throw new Error(`kubeconfig file ${kubeconfig} does not exist: set kubernetes:kubeconfig (or --kubeconfig) to an existing file or to the kubeconfig's contents`);
        return { kind: "files", files: [kubeconfig] };
    }
    const listed = (env.KUBECONFIG ?? "").split(path.delimiter).filter(Boolean);
    if (listed.length > 0) {
        // kubectl skips missing entries of the list, but a list of only missing files is an error.
        const files = listed.filter(exists);
        if (files.length === 0) throw new Error(`none of the files in $KUBECONFIG exists (${listed.join(path.delimiter)}): fix $KUBECONFIG or unset it`);
        return { kind: "files", files };
    }
    const homeConfig = path.join(home, ".kube", "config");
    if (exists(homeConfig)) return { kind: "files", files: [homeConfig] };
    const host = env.KUBERNETES_SERVICE_HOST;
    const port = env.KUBERNETES_SERVICE_PORT;
    const dir = env.SKYSHIFT_SERVICE_ACCOUNT_DIR || SERVICE_ACCOUNT_DIR;
    const tokenFile = path.join(dir, "token");
    if (host && port && exists(tokenFile)) {
        const caFile = path.join(dir, "ca.crt");
        if (!exists(caFile)) throw new Error(`in-cluster config: ${caFile} does not exist beside the service-account token ${tokenFile}`);
        const hostPart = host.includes(":") ? `[${host}]` : host;
        return { kind: "in-cluster", server: `https://${hostPart}:${port}`, tokenFile, caFile };
    }
    throw new Error(
        "no kubeconfig found: set kubernetes:kubeconfig (or --kubeconfig), or $KUBECONFIG, or create ~/.kube/config, "
        + `or run in a pod with KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT and a service-account token at ${tokenFile}`);
}
