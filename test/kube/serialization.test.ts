/**
 * The cluster access as the dynamic providers run it: serialized by Pulumi's closure serializer, loaded in a plain
 * node process (where `@kubernetes/client-node` loads, unlike under jest), talking to a local HTTP API stand-in
 * with credentials from a real exec plugin script. The lab e2e (cluster-access.e2e.test.ts) does the same against
 * the real kube-apiserver through the real engine.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as http from "http";
import { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { applyJson, getJson, kubeAccess } from "../../kube/client";

interface Seen { method: string; url: string; contentType?: string; authorization?: string; body: string }

let server: http.Server;
let seen: Seen[];
let dir: string;
let serialized: string;
let serializedFile: string;

beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-serial-"));
    seen = [];
    server = http.createServer((request, response) => {
        let body = "";
        request.on("data", chunk => { body += chunk; });
        request.on("end", () => {
            seen.push({ method: request.method!, url: request.url!, contentType: request.headers["content-type"], authorization: request.headers.authorization, body });
            response.setHeader("Content-Type", "application/json");
            response.end(JSON.stringify({ kind: "Deployment", metadata: { name: "order" } }));
        });
    });
    await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    // What a dynamic provider's create does with the three functions, serialized the way the engine receives it.
    const closure = await pulumi.runtime.serializeFunction(() => async (kubeconfig: string) => {
        const access = kubeAccess(kubeconfig);
        await applyJson(access, "/apis/apps/v1/namespaces/shop/deployments/order", { spec: { paused: false } }, "skyshift");
        return getJson(access, "/apis/apps/v1/namespaces/shop/deployments/order");
    }, { isFactoryFunction: true });
    // Inside the repository, so that require("@kubernetes/client-node") resolves as it does in the provider process.
    serializedFile = path.join(__dirname, "..", "..", "node_modules", ".cache", `kube-serialized-${process.pid}.js`);
    fs.mkdirSync(path.dirname(serializedFile), { recursive: true });
    fs.writeFileSync(serializedFile, closure.text);
    serialized = `require(${JSON.stringify(serializedFile)})[${JSON.stringify(closure.exportName)}]`;
});

afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(serializedFile, { force: true });
});

/** Runs the serialized closure in a child node process; resolves with its result or its error message. */
function runSerialized(kubeconfig: string): Promise<{ result?: unknown; error?: string }> {
    const script = `${serialized}(${JSON.stringify(kubeconfig)}).then(r => console.log(JSON.stringify({ result: r })), e => console.log(JSON.stringify({ error: e.message })));`;
    return new Promise((resolve, reject) => execFile("node", ["-e", script], { cwd: path.join(__dirname, "..", "..") }, (error, stdout, stderr) =>
        error ? reject(new Error(stderr)) : resolve(JSON.parse(stdout.trim().split("\n").pop()!))));
}

function kubeconfigWithPlugin(pluginBody: string): string {
    const plugin = path.join(dir, `plugin-${seen.length}-${Math.random().toString(36).slice(2)}.sh`);
    fs.writeFileSync(plugin, `#!/bin/sh\necho run >> ${plugin}.runs\n${pluginBody}\n`, { mode: 0o755 });
    const port = (server.address() as AddressInfo).port;
    return [
        "apiVersion: v1", "current-context: c",
        `clusters: [{name: c, cluster: {server: 'http://127.0.0.1:${port}', insecure-skip-tls-verify: true}}]`,
        "contexts: [{name: c, context: {cluster: c, user: u}}]",
        `users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, installHint: 'see docs/cluster-access.md'}}}]`,
    ].join("\n");
}

describe("the serialized cluster access", () => {
    it("runs the exec plugin once and sends a forced Server-Side Apply and a GET with its token", async () => {
        const kubeconfig = kubeconfigWithPlugin(`echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"plugin-token"}}'`);
        seen = [];
        expect(await runSerialized(kubeconfig)).toEqual({ result: { kind: "Deployment", metadata: { name: "order" } } });
        expect(seen).toEqual([
            { method: "PATCH", url: "/apis/apps/v1/namespaces/shop/deployments/order?fieldManager=skyshift&force=true",
                contentType: "application/apply-patch+yaml", authorization: "Bearer plugin-token", body: '{"spec":{"paused":false}}' },
            { method: "GET", url: "/apis/apps/v1/namespaces/shop/deployments/order", contentType: undefined, authorization: "Bearer plugin-token", body: "" },
        ]);
        const plugin = kubeconfig.match(/command: (\S+),/)![1];
        expect(fs.readFileSync(`${plugin}.runs`, "utf8")).toBe("run\n");
    });

    it("sends nothing when the plugin fails, and names the plugin and its stderr", async () => {
        const kubeconfig = kubeconfigWithPlugin("echo 'token expired: run aws sso login' >&2; exit 1");
        seen = [];
        const plugin = kubeconfig.match(/command: (\S+),/)![1];
        expect(await runSerialized(kubeconfig)).toEqual({ error: `exec plugin ${JSON.stringify(plugin)} of kubeconfig user "u" exited with code 1: token expired: run aws sso login` });
        expect(seen).toEqual([]);
    });
});
