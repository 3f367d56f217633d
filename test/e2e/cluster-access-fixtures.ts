/**
 * Credentials and plumbing for cluster-access.e2e.test.ts: a least-privilege ServiceAccount whose token the lab's
 * kube-apiserver accepts (its service-account token authenticator), exec plugin scripts that hand that token out as
 * an ExecCredential, kubeconfigs for them, and an HTTP CONNECT proxy that records where it tunnelled.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import YAML from "yaml";
import { applyManifest, kubectl, LabEnv } from "./harness";

/** What the program and the commands need in one namespace, and nothing cluster-wide. */
export async function deployerToken(namespace: string, name: string): Promise<string> {
    const rules = [
        { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "patch"] },
        { apiGroups: ["apps"], resources: ["statefulsets", "replicasets"], verbs: ["get", "list"] },
        { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
    ];
    await applyManifest([
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace } },
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name, namespace }, rules },
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name, namespace },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name }, subjects: [{ kind: "ServiceAccount", name, namespace }] },
    ]);
    return (await kubectl(["create", "token", name, "-n", namespace, "--duration", "2h"])).trim();
}

/** The lab cluster as the admin kubeconfig names it: server URL and CA (base64). */
export function labCluster(lab: LabEnv): { server: string; caData: string } {
    const cluster = YAML.parse(fs.readFileSync(lab.vars.KUBECONFIG, "utf8")).clusters[0].cluster;
    return { server: cluster.server, caData: cluster["certificate-authority-data"] };
}

export interface Plugin {
    /** The script's path: what the kubeconfig's exec.command names. */
    readonly command: string;
    /** How many times it ran (one line per run). */
    runs(): number;
}

/**
 * An exec credential plugin as EKS/GKE/AKS kubeconfigs use them: it prints an ExecCredential (v1) holding the token
 * file its first argument names, valid for an hour; `failure` makes it print that to stderr and exit 4 instead.
 */
export function writePlugin(dir: string, name: string, failure?: string): Plugin {
    const command = path.join(dir, name);
    const log = `${command}.runs`;
    const body = failure
        ? `echo ${JSON.stringify(failure)} >&2\nexit 4`
        : `expiry=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)\n`
          + `printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s","expirationTimestamp":"%s"}}\\n' "$(cat "$1")" "$expiry"`;
    fs.writeFileSync(command, `#!/bin/sh\necho run >> ${JSON.stringify(log)}\n${body}\n`, { mode: 0o755 });
    return { command, runs: () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0) };
}

/** A kubeconfig whose only user runs `command` (args: the token file) as client.authentication.k8s.io/v1 exec plugin. */
export function execKubeconfig(dir: string, name: string, cluster: { server: string; caData: string }, command: string, tokenFile: string): string {
    const file = path.join(dir, `${name}.kubeconfig`);
    fs.writeFileSync(file, YAML.stringify({
        apiVersion: "v1", kind: "Config", "current-context": name,
        clusters: [{ name: "lab", cluster: { server: cluster.server, "certificate-authority-data": cluster.caData } }],
        users: [{ name, user: { exec: { apiVersion: "client.authentication.k8s.io/v1", command, args: [tokenFile], interactiveMode: "Never",
            installHint: "skyshift-lab: the plugin is written by cluster-access.e2e.test.ts" } } }],
        contexts: [{ name, context: { cluster: "lab", user: name } }],
    }));
    return file;
}

/** An HTTP CONNECT proxy that tunnels every target to `upstream` (host:port) and records the targets asked for. */
export async function connectProxy(upstream: { host: string; port: number }): Promise<{ url: string; targets: string[]; close(): Promise<void> }> {
    const targets: string[] = [];
    // Tunnelled sockets leave the server's bookkeeping: they are closed here, or server.close() would wait for them.
    const sockets = new Set<net.Socket>();
    const server = http.createServer((_request, response) => response.writeHead(405).end());
    server.on("connect", (request: http.IncomingMessage, client: net.Socket, head: Buffer) => {
        targets.push(request.url ?? "");
        const tunnel = net.connect(upstream.port, upstream.host, () => {
            client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
            tunnel.write(head);
            tunnel.pipe(client).pipe(tunnel);
        });
        for (const socket of [client, tunnel]) {
            sockets.add(socket);
            socket.on("close", () => { sockets.delete(socket); client.destroy(); tunnel.destroy(); });
            socket.on("error", () => socket.destroy());
        }
    });
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    const close = () => new Promise<void>(resolve => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
    });
    return { url: `http://127.0.0.1:${port}`, targets, close };
}
