import * as fs from "fs";
import * as http from "http";
import * as https from "https";
import * as os from "os";
import type { KubeConfig } from "@kubernetes/client-node";
import { execAuthenticator, forgetExecCredentials, tokenFileAuthenticator } from "./exec-plugin";
import { keepAliveAgent } from "./keep-alive";
import { resolveKubeconfig } from "./kubeconfig-load";
import { kubeconfigSource } from "./kubeconfig-source";

/**
 * `@kubernetes/client-node`, loaded when first called. It is an ES module: Node ≥ 20.19 `require`s it natively,
 * but Pulumi's closure serializer cannot capture it, so a dynamic provider must not reference it from module
 * scope. A `require` inside a function runs in the provider process and resolves from its working directory, the
 * program's (verified with the lab's engine). Jest's CommonJS runtime cannot load it: only e2e tests reach here.
 */
function clientNode(): typeof import("@kubernetes/client-node") {
    return require("@kubernetes/client-node");
}

/** One cluster, as the Kubernetes provider and kubectl would reach it. */
export interface KubeAccess {
    /** `context NAME (SERVER)`, for messages. */
    readonly describe: string;
    readonly config: KubeConfig;
    /** Keep-alive agents by server and TLS identity, for this access's requests (keep-alive.ts). */
    readonly agents: Map<string, http.Agent>;
}

/**
 * @param kubeconfig the kubeconfig's contents or a file path (`kubernetes:kubeconfig`, `--kubeconfig`); default
 *   every file in `$KUBECONFIG`, then `~/.kube/config`, then the pod's service account (see kubeconfig-source.ts).
 * @param context a context name (`kubernetes:context`, `--context`); default the kubeconfig's `current-context`.
 * Throws, before any request, on a missing file or context, or an invalid exec stanza.
 */
export function kubeAccess(kubeconfig?: string, context?: string): KubeAccess {
    const source = kubeconfigSource(kubeconfig, { env: process.env, home: os.homedir(), exists: fs.existsSync });
    const resolved = resolveKubeconfig(source, context, file => fs.readFileSync(file, "utf8"), process.env);
    const config = new (clientNode().KubeConfig)();
    config.loadFromString(JSON.stringify(resolved.config));
    config.addAuthenticator(execAuthenticator);
    config.addAuthenticator(tokenFileAuthenticator);
    return { describe: resolved.describe, config, agents: new Map() };
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

interface Answer { readonly status: number; readonly text: string }

/** Credentials go stale (a revoked or rotated token): after a 401 the plugins run again and the request is retried once. */
async function requestJson<T>(access: KubeAccess, method: string, apiPath: string, body?: string, contentType?: string): Promise<T> {
    let answer = await send(access, method, apiPath, body, contentType);
    if (answer.status === 401) {
        forgetExecCredentials();
        answer = await send(access, method, apiPath, body, contentType);
    }
    if (answer.status >= 400) throw new Error(`${method} ${apiPath} on ${access.describe}: ${answer.status} ${answer.text.slice(0, 300)}`);
    return JSON.parse(answer.text) as T;
}

/** One request with what client-node resolves for the context: TLS material, the credential, the proxy agent. */
async function send(access: KubeAccess, method: string, apiPath: string, body?: string, contentType?: string): Promise<Answer> {
    const options: https.RequestOptions = { method, timeout: 30_000 };
    await access.config.applyToHTTPSOptions(options);
    const server = access.config.getCurrentCluster()!.server;
    options.agent = keepAliveAgent(access.agents, server, options.agent as http.Agent | undefined);
    const transport = server.startsWith("http:") ? http : https;
    return new Promise((resolve, reject) => {
        const request = transport.request(`${server}${apiPath}`, {
            ...options,
            headers: { ...options.headers, Accept: "application/json", ...(contentType && { "Content-Type": contentType }) },
        }, response => {
            let text = "";
            response.setEncoding("utf8");
            response.on("data", chunk => { text += chunk; });
            response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        });
        request.on("timeout", () => request.destroy(new Error(`${method} ${apiPath} on ${access.describe}: no answer in 30s`)));
        request.on("error", reject);
        request.end(body);
    });
}
