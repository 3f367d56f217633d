import * as fs from "fs";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";

/**
 * Access to the API server for the RolloutGate (reads) and WorkloadApply (Server-Side Apply), over Node's own
 * https. Pulumi serializes dynamic providers with everything they reference, and `@kubernetes/client-node` is an
 * ES module its closure serializer cannot capture, so the gate and the apply cannot rely on it. Supports what
 * kubeconfigs for CI and labs use: client certificates, bearer tokens (inline or file), CA data or file; not exec
 * or auth-provider plugins.
 */
export interface KubeAccess {
    readonly server: string;
    readonly ca?: Buffer;
    readonly cert?: Buffer;
    readonly key?: Buffer;
    readonly token?: string;
    readonly insecure: boolean;
}

type Named<T> = { name: string } & T;
interface KubeconfigFile {
    "current-context"?: string;
    contexts?: Named<{ context: { cluster: string; user: string } }>[];
    clusters?: Named<{ cluster: Record<string, string | boolean> }>[];
    users?: Named<{ user?: Record<string, unknown> }>[];
}

/**
 * @param kubeconfig the provider's kubeconfig: its contents or a file path; default `$KUBECONFIG` (first entry),
 *   then `~/.kube/config`, as kubectl reads it.
 * @param context a context name (`kubernetes:context`); default the file's `current-context`, as the provider does.
 */
export function kubeAccess(kubeconfig?: string, context?: string): KubeAccess {
    const text = kubeconfig && /[\n{]/.test(kubeconfig) ? kubeconfig : fs.readFileSync(kubeconfigPath(kubeconfig), "utf8");
    const file = YAML.parse(text) as KubeconfigFile;
    const contextName = context ?? file["current-context"];
    const ctx = file.contexts?.find(c => c.name === contextName)?.context;
    if (!ctx) throw new Error(`kubeconfig has no context ${JSON.stringify(contextName)}`);
    const cluster = file.clusters?.find(c => c.name === ctx.cluster)?.cluster ?? {};
    const user = (file.users?.find(u => u.name === ctx.user)?.user ?? {}) as Record<string, string>;
    if (user.exec || user["auth-provider"]) throw new Error(`kubeconfig user ${ctx.user} uses an exec/auth-provider plugin, which the RolloutGate does not run — give it a token or client certificate`);
    const tokenFile = user.tokenFile ?? user["token-file"];
    return {
        server: String(cluster.server).replace(/\/$/, ""),
        ca: material(cluster["certificate-authority-data"], cluster["certificate-authority"]),
        cert: material(user["client-certificate-data"], user["client-certificate"]),
        key: material(user["client-key-data"], user["client-key"]),
        token: user.token ?? (tokenFile ? fs.readFileSync(tokenFile, "utf8").trim() : undefined),
        insecure: cluster["insecure-skip-tls-verify"] === true,
    };
}

function kubeconfigPath(explicit?: string): string {
    if (explicit) return explicit;
    const fromEnv = process.env.KUBECONFIG?.split(path.delimiter).find(Boolean);
    return fromEnv ?? path.join(os.homedir(), ".kube", "config");
}

function material(data: unknown, file: unknown): Buffer | undefined {
    if (typeof data === "string") return Buffer.from(data, "base64");
    return typeof file === "string" ? fs.readFileSync(file) : undefined;
}

/** GETs one API path and parses the JSON; rejects with the status and the server's message. */
export function getJson<T>(access: KubeAccess, apiPath: string): Promise<T> {
    return requestJson<T>(access, "GET", apiPath);
}

/**
 * Server-Side Apply of `body` (JSON is YAML) as `fieldManager`, taking over conflicting fields (`force`), as
 * `kubectl apply --server-side --force-conflicts` does. Resolves with the object the server stored.
 */
export function applyJson<T>(access: KubeAccess, apiPath: string, body: unknown, fieldManager: string): Promise<T> {
    const query = `?fieldManager=${encodeURIComponent(fieldManager)}&force=true`;
    return requestJson<T>(access, "PATCH", `${apiPath}${query}`, JSON.stringify(body), "application/apply-patch+yaml");
}

function requestJson<T>(access: KubeAccess, method: string, apiPath: string, body?: string, contentType?: string): Promise<T> {
    return new Promise((resolve, reject) => {
        const request = https.request(`${access.server}${apiPath}`, {
            method, ca: access.ca, cert: access.cert, key: access.key, rejectUnauthorized: !access.insecure, timeout: 30_000,
            headers: {
                Accept: "application/json",
                ...(contentType ? { "Content-Type": contentType } : {}),
                ...(access.token ? { Authorization: `Bearer ${access.token}` } : {}),
            },
        }, response => {
            let text = "";
            response.setEncoding("utf8");
            response.on("data", chunk => { text += chunk; });
            response.on("end", () => {
                if ((response.statusCode ?? 0) >= 400) reject(new Error(`${method} ${apiPath}: ${response.statusCode} ${text.slice(0, 300)}`));
                else resolve(JSON.parse(text) as T);
            });
        });
        request.on("timeout", () => request.destroy(new Error(`${method} ${apiPath}: no answer in 30s`)));
        request.on("error", reject);
        request.end(body);
    });
}
