import * as path from "path";
import * as YAML from "yaml";
import { ExecConfig, EXEC_PROVIDER, TOKEN_FILE_PROVIDER, validateExecConfig } from "./exec-config";
import { KubeconfigSource } from "./kubeconfig-source";
import { proxyFromEnvironment } from "./proxy";

type Fields = Record<string, unknown>;
type Named = { name: string } & Fields;
interface RawKubeconfig {
    "current-context"?: string;
    clusters: Named[];
    users: Named[];
    contexts: Named[];
}

/** One context of a kubeconfig, ready for `KubeConfig.loadFromString`: one cluster, one user, one context. */
export interface ResolvedKubeconfig {
    /** `context NAME (SERVER)`, for messages. */
    readonly describe: string;
    readonly config: RawKubeconfig & { "current-context": string };
}

const PATH_KEYS = { cluster: ["certificate-authority"], user: ["client-certificate", "client-key", "tokenFile", "token-file"] } as const;

/**
 * Reads the source and resolves one context (the given one, else `current-context`), with what
 * `@kubernetes/client-node` 1.4.0 leaves out filled in the way client-go does it:
 * - relative file paths (and an exec `command` with a slash) are relative to the kubeconfig file's directory;
 * - `tokenFile` (kubectl's spelling; client-node reads only `token-file`) is re-read as it changes;
 * - `exec` users run through skyshift's ExecCredential plugin runner (see exec-plugin.ts for why);
 * - the proxy: the cluster's `proxy-url`, else `HTTPS_PROXY`/`NO_PROXY` (see proxy.ts).
 */
export function resolveKubeconfig(
    source: KubeconfigSource,
    context: string | undefined,
    readFile: (file: string) => string,
    env: Readonly<Record<string, string | undefined>>,
): ResolvedKubeconfig {
    const raw = source.kind === "in-cluster" ? inClusterConfig(source) : mergeKubeconfigs(source, readFile);
    const contextName = context ?? raw["current-context"];
    const origin = source.kind === "files" ? ` (${source.files.join(path.delimiter)})` : "";
    if (!contextName) throw new Error(`the kubeconfig${origin} has no current-context: set kubernetes:context (or --context) to one of: ${names(raw.contexts)}`);
    const ctx = raw.contexts.find(c => c.name === contextName);
    if (!ctx) throw new Error(`the kubeconfig${origin} has no context ${JSON.stringify(contextName)}: known contexts: ${names(raw.contexts)}`);
    const { cluster: clusterName, user: userName } = (ctx.context ?? {}) as { cluster?: string; user?: string };
    const cluster = raw.clusters.find(c => c.name === clusterName);
    if (!cluster || typeof (cluster.cluster as Fields | undefined)?.server !== "string") {
        throw new Error(`context ${contextName}: cluster ${JSON.stringify(clusterName)} is not in the kubeconfig${origin} or has no server`);
    }
    const user = raw.users.find(u => u.name === userName) ?? { name: userName ?? "", user: {} };
    const clusterFields = { ...(cluster.cluster as Fields) };
    const server = clusterFields.server as string;
    clusterFields["proxy-url"] ??= proxyFromEnvironment(server, env);
    if (clusterFields["proxy-url"] === undefined) delete clusterFields["proxy-url"];
    return {
        describe: `context ${contextName} (${server})`,
        config: {
            "current-context": contextName,
            clusters: [{ name: cluster.name, cluster: clusterFields }],
            users: [{ name: user.name, user: authFields(user.name, (user.user ?? {}) as Fields, clusterFields) }],
            contexts: [ctx],
        },
    };
}

function names(list: readonly Named[]): string {
    return list.map(c => c.name).join(", ") || "none";
}

/** Files are merged as kubectl merges `$KUBECONFIG`: the first file that sets a name or current-context wins. */
function mergeKubeconfigs(source: Exclude<KubeconfigSource, { kind: "in-cluster" }>, readFile: (file: string) => string): RawKubeconfig {
    const docs = source.kind === "contents"
        ? [{ dir: undefined, doc: parse(source.text, "kubernetes:kubeconfig") }]
        : source.files.map(file => ({ dir: path.dirname(path.resolve(file)), doc: parse(readFile(file), file) }));
    const merged: RawKubeconfig = { clusters: [], users: [], contexts: [] };
    for (const { dir, doc } of docs) {
        merged["current-context"] ||= doc["current-context"] as string | undefined;
        for (const [list, kind] of [["clusters", "cluster"], ["users", "user"], ["contexts", "context"]] as const) {
            for (const entry of (doc[list] ?? []) as Named[]) {
                if (merged[list].some(e => e.name === entry.name)) continue;
                merged[list].push(kind === "context" || !dir ? entry : { ...entry, [kind]: absolutePaths(entry[kind] as Fields | undefined, PATH_KEYS[kind], dir) });
            }
        }
    }
    return merged;
}

function parse(text: string, origin: string): Fields {
    let doc: unknown;
    try {
        doc = YAML.parse(text);
    } catch (error) {
        throw new Error(`${origin} is not a kubeconfig: ${(error as Error).message.split("\n")[0]}`);
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new Error(`${origin} is not a kubeconfig: expected a mapping with clusters, users and contexts`);
    return doc as Fields;
}

function absolutePaths(fields: Fields | undefined, keys: readonly string[], dir: string): Fields {
    const out: Fields = { ...fields };
    for (const key of keys) if (typeof out[key] === "string" && out[key] !== "") out[key] = path.resolve(dir, out[key] as string);
    const exec = out.exec as Fields | undefined;
    // client-go: a relative command with a path separator is relative to the kubeconfig's directory; a bare name is looked up on PATH.
    if (exec && typeof exec.command === "string" && exec.command.includes("/")) out.exec = { ...exec, command: path.resolve(dir, exec.command) };
    return out;
}

/** Exec and token-file users become auth-providers that client-node hands to skyshift's own authenticators. */
function authFields(userName: string, fields: Fields, cluster: Fields): Fields {
    const { exec, tokenFile, "token-file": tokenFileDashed, ...rest } = fields;
    if (exec !== undefined) {
        const plugin: ExecConfig = validateExecConfig(userName, exec);
        const clusterInfo = plugin.provideClusterInfo ? execClusterInfo(cluster) : undefined;
        return { ...rest, "auth-provider": { name: EXEC_PROVIDER, config: { user: userName, plugin, clusterInfo } } };
    }
    const file = tokenFile ?? tokenFileDashed;
    if (typeof file === "string" && file !== "" && rest.token === undefined) {
        return { ...rest, "auth-provider": { name: TOKEN_FILE_PROVIDER, config: { path: file } } };
    }
    return rest;
}

/** `spec.cluster` of the ExecCredential a plugin with `provideClusterInfo: true` receives (client.authentication.k8s.io). */
function execClusterInfo(cluster: Fields): Fields {
    const info: Fields = { server: cluster.server };
    if (cluster["tls-server-name"]) info["tls-server-name"] = cluster["tls-server-name"];
    if (cluster["insecure-skip-tls-verify"]) info["insecure-skip-tls-verify"] = true;
    if (cluster["certificate-authority-data"]) info["certificate-authority-data"] = cluster["certificate-authority-data"];
    if (cluster["proxy-url"]) info["proxy-url"] = cluster["proxy-url"];
    return info;
}

/** What client-go's `rest.InClusterConfig` builds: the service host, the service-account CA and token file. */
function inClusterConfig(source: Extract<KubeconfigSource, { kind: "in-cluster" }>): RawKubeconfig {
    return {
        "current-context": "in-cluster",
        clusters: [{ name: "in-cluster", cluster: { server: source.server, "certificate-authority": source.caFile } }],
        users: [{ name: "service-account", user: { tokenFile: source.tokenFile } }],
        contexts: [{ name: "in-cluster", context: { cluster: "in-cluster", user: "service-account" } }],
    };
}
