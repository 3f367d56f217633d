/**
 * The `exec` stanza of a kubeconfig user (client-go `clientcmd/api.ExecConfig`), validated before any plugin runs.
 * Reference: https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
 */
export interface ExecConfig {
    readonly command: string;
    readonly args: readonly string[];
    readonly env: readonly { readonly name: string; readonly value: string }[];
    /** client.authentication.k8s.io/v1 or v1beta1 (v1alpha1 was removed in Kubernetes 1.24). */
    readonly apiVersion: string;
    readonly installHint?: string;
    readonly provideClusterInfo: boolean;
}

/** The auth-provider names under which `@kubernetes/client-node` hands these users to skyshift's authenticators. */
export const EXEC_PROVIDER = "skyshift-exec";
export const TOKEN_FILE_PROVIDER = "skyshift-token-file";

export const EXEC_API_VERSIONS = ["client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"] as const;

export function validateExecConfig(user: string, raw: unknown): ExecConfig {
    const where = `kubeconfig user ${JSON.stringify(user)}: exec`;
    if (!raw || typeof raw !== "object") throw new Error(`${where} must be a mapping with command and apiVersion`);
    const exec = raw as Record<string, unknown>;
    if (typeof exec.command !== "string" || exec.command === "") throw new Error(`${where}.command is missing: name the credential plugin to run (e.g. aws, gke-gcloud-auth-plugin, kubelogin)`);
    if (!EXEC_API_VERSIONS.includes(exec.apiVersion as (typeof EXEC_API_VERSIONS)[number])) {
        throw new Error(`${where}.apiVersion is ${JSON.stringify(exec.apiVersion)}: use one of ${EXEC_API_VERSIONS.join(", ")} (the plugin's documentation says which)`);
    }
    const args = exec.args ?? [];
    if (!Array.isArray(args) || !args.every(a => typeof a === "string")) throw new Error(`${where}.args must be a list of strings`);
    const env = exec.env ?? [];
    if (!Array.isArray(env) || !env.every(e => e && typeof e.name === "string" && typeof e.value === "string")) {
        throw new Error(`${where}.env must be a list of {name, value} strings`);
    }
    // Nothing here can answer a prompt: pulumi runs the providers without a terminal.
    if (exec.interactiveMode === "Always") {
        throw new Error(`${where}.interactiveMode is Always, but skyshift runs plugins without a terminal: log in first (so the plugin has a cached credential) and set interactiveMode: IfAvailable or Never`);
    }
    return {
        command: exec.command,
        args,
        env: env.map(e => ({ name: e.name, value: e.value })),
        apiVersion: exec.apiVersion as string,
        installHint: typeof exec.installHint === "string" ? exec.installHint : undefined,
        provideClusterInfo: exec.provideClusterInfo === true,
    };
}
