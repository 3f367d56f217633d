import { spawn } from "child_process";
import * as fs from "fs";
import { ExecConfig, EXEC_PROVIDER, TOKEN_FILE_PROVIDER } from "./exec-config";

/**
 * The client side of the ExecCredential protocol (client.authentication.k8s.io v1/v1beta1), which the EKS, GKE and
 * AKS kubeconfigs use (`aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`). `@kubernetes/client-node`
 * 1.4.0 runs exec plugins too (its `dist/exec_auth.js`), but its failures say only the plugin's stderr (not which
 * plugin), a missing binary is a bare `spawn … ENOENT` without the kubeconfig's `installHint`, it does not check
 * the credential's apiVersion, sets no `KUBERNETES_EXEC_INFO`, re-runs the plugin on every request when the
 * credential has no expiry, and caches per KubeConfig object. So skyshift plugs this runner into client-node as a
 * custom authenticator, following client-go's `plugin/pkg/client/auth/exec/exec.go`.
 */
export interface ExecCredentialStatus {
    readonly token?: string;
    readonly clientCertificateData?: string;
    readonly clientKeyData?: string;
    /** Milliseconds since the epoch; absent: valid for the whole process (client-go keeps it until a 401). */
    readonly expiresAt?: number;
}

/** What a plugin run needs; `clusterInfo` only when the kubeconfig asks for `provideClusterInfo`. */
export interface ExecRequest {
    readonly user: string;
    readonly plugin: ExecConfig;
    readonly clusterInfo?: Record<string, unknown>;
}

/** A credential this close to its expiry is fetched again, so it cannot expire during the request. */
const EXPIRY_MARGIN_MS = 10_000;
const PLUGIN_TIMEOUT_MS = 60_000;

function pluginName(request: ExecRequest): string {
    return `exec plugin ${JSON.stringify(request.plugin.command)} of kubeconfig user ${JSON.stringify(request.user)}`;
}

/** Checks a plugin's stdout; the messages never quote it, since it holds the credential. */
export function parseExecCredential(stdout: string, request: ExecRequest): ExecCredentialStatus {
    const fail = (why: string) => new Error(`${pluginName(request)} printed no valid ExecCredential: ${why}`);
    let doc: { apiVersion?: unknown; kind?: unknown; status?: Record<string, unknown> };
    try {
        doc = JSON.parse(stdout);
    } catch {
        throw fail("its output is not JSON");
    }
    if (doc?.kind !== "ExecCredential") throw fail(`kind is ${JSON.stringify(doc?.kind)}, expected "ExecCredential"`);
    if (doc.apiVersion !== request.plugin.apiVersion) {
        throw fail(`apiVersion is ${JSON.stringify(doc.apiVersion)} but the kubeconfig asks for ${request.plugin.apiVersion}`);
    }
    const status = doc.status ?? {};
    const text = (key: string) => (typeof status[key] === "string" && status[key] !== "" ? (status[key] as string) : undefined);
    const token = text("token");
    const clientCertificateData = text("clientCertificateData");
    const clientKeyData = text("clientKeyData");
    if (!token && !(clientCertificateData && clientKeyData)) throw fail("status has neither a token nor clientCertificateData and clientKeyData");
    if (Boolean(clientCertificateData) !== Boolean(clientKeyData)) throw fail("status has only one of clientCertificateData and clientKeyData");
    const expiry = text("expirationTimestamp");
    const expiresAt = expiry === undefined ? undefined : Date.parse(expiry);
    if (Number.isNaN(expiresAt)) throw fail("status.expirationTimestamp is not an RFC 3339 time");
    return { token, clientCertificateData, clientKeyData, expiresAt };
}

/** Runs the plugin once: no stdin (no terminal), `KUBERNETES_EXEC_INFO` and the kubeconfig's env added to ours. */
export function runExecPlugin(request: ExecRequest): Promise<ExecCredentialStatus> {
    const { plugin } = request;
    const execInfo = { apiVersion: plugin.apiVersion, kind: "ExecCredential", spec: { interactive: false, ...(request.clusterInfo && { cluster: request.clusterInfo }) } };
    const env = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(execInfo), ...Object.fromEntries(plugin.env.map(e => [e.name, e.value])) };
    return new Promise((resolve, reject) => {
        const child = spawn(plugin.command, [...plugin.args], { env, stdio: ["ignore", "pipe", "pipe"] });
        // spawn's own `timeout` keeps its timer when the binary is missing ('error' without 'exit'): a timer of ours.
        let timedOut = false;
        const timer = setTimeout(() => { timedOut = true; child.kill(); }, PLUGIN_TIMEOUT_MS);
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", chunk => { stdout += chunk; });
        child.stderr.setEncoding("utf8").on("data", chunk => { stderr += chunk; });
        child.on("error", (error: NodeJS.ErrnoException) => {
            clearTimeout(timer);
            if (error.code !== "ENOENT") return reject(new Error(`${pluginName(request)} could not run: ${error.message}`));
            const hint = plugin.installHint?.trim();
            reject(new Error(`${pluginName(request)} was not found (${plugin.command.includes("/") ? "no such file" : "not on PATH"})`
                + (hint ? `. ${hint}` : ": install it, or give the kubeconfig a token or client certificate")));
        });
        child.on("close", (code, signal) => {
            clearTimeout(timer);
            if (code === 0) {
                try {
                    resolve(parseExecCredential(stdout, request));
                } catch (error) {
                    reject(error);
                }
                return;
            }
            const how = timedOut ? `gave no answer in ${PLUGIN_TIMEOUT_MS / 1000}s` : signal ? `was stopped by ${signal}` : `exited with code ${code}`;
            reject(new Error(`${pluginName(request)} ${how}: ${stderr.trim() || "(nothing on stderr)"}`));
        });
    });
}

/**
 * Credentials by plugin invocation, for the whole process: the dynamic providers' process serves every gate and
 * apply of one `pulumi up`. Kept on globalThis because Pulumi's closure serializer copies module state by value.
 */
function credentialCache(): Map<string, Promise<ExecCredentialStatus>> {
    const slot = globalThis as { [key: symbol]: Map<string, Promise<ExecCredentialStatus>> | undefined };
    return (slot[Symbol.for("skyshift.kube.execCredentials")] ??= new Map());
}

/** The cached credential while it is valid, else one new plugin run (concurrent callers share it). */
export async function execCredential(request: ExecRequest, now: () => number = Date.now, run = runExecPlugin): Promise<ExecCredentialStatus> {
    const cache = credentialCache();
    const key = JSON.stringify(request);
    const cached = cache.get(key);
    if (cached) {
        const status = await cached.catch(() => undefined);
        if (status && (status.expiresAt === undefined || status.expiresAt - EXPIRY_MARGIN_MS > now())) return status;
        if (cache.get(key) !== cached) return execCredential(request, now, run);
    }
    const fresh = run(request);
    cache.set(key, fresh);
    fresh.catch(() => cache.delete(key));
    return fresh;
}

/** After a 401 the cached credentials are dropped, so the next request runs the plugins again (as client-go does). */
export function forgetExecCredentials(): void {
    credentialCache().clear();
}

type AuthUser = { readonly authProvider?: { readonly name?: string; readonly config?: Record<string, unknown> } };
type RequestOptions = { headers?: Record<string, unknown>; cert?: unknown; key?: unknown };

/** `@kubernetes/client-node`'s `Authenticator` for the users kubeconfig-load.ts marked `skyshift-exec`. */
export const execAuthenticator = {
    isAuthProvider: (user: AuthUser) => user.authProvider?.name === EXEC_PROVIDER,
    async applyAuthentication(user: AuthUser, opts: RequestOptions): Promise<void> {
        const status = await execCredential(user.authProvider!.config as unknown as ExecRequest);
        if (status.clientCertificateData) {
            opts.cert = status.clientCertificateData;
            opts.key = status.clientKeyData;
        }
        if (status.token) opts.headers = { ...opts.headers, Authorization: `Bearer ${status.token}` };
    },
};

/** How long a token file's contents are used before it is read again (client-go's `NewCachedFileTokenSource`). */
const TOKEN_FILE_PERIOD_MS = 60_000;

/**
 * `tokenFile` users and the in-cluster service-account token, re-read every minute (the kubelet rotates projected
 * tokens) and trimmed, as client-go does; client-node's own FileAuth keeps a trailing newline in the header.
 */
export const tokenFileAuthenticator = {
    isAuthProvider: (user: AuthUser) => user.authProvider?.name === TOKEN_FILE_PROVIDER,
    async applyAuthentication(user: AuthUser, opts: RequestOptions): Promise<void> {
        const file = user.authProvider!.config!.path as string;
        const slot = globalThis as { [key: symbol]: Map<string, { token: string; readAt: number }> | undefined };
        const cache = (slot[Symbol.for("skyshift.kube.tokenFiles")] ??= new Map());
        let entry = cache.get(file);
        if (!entry || Date.now() - entry.readAt > TOKEN_FILE_PERIOD_MS) {
            let token: string;
            try {
                token = fs.readFileSync(file, "utf8").trim();
            } catch (error) {
                throw new Error(`cannot read the token file ${file} of the kubeconfig user: ${(error as Error).message}`);
            }
            entry = { token, readAt: Date.now() };
            cache.set(file, entry);
        }
        opts.headers = { ...opts.headers, Authorization: `Bearer ${entry.token}` };
    },
};
