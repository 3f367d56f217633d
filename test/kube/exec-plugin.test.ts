import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ExecConfig } from "../../kube/exec-config";
import { execCredential, ExecCredentialStatus, ExecRequest, forgetExecCredentials, parseExecCredential, runExecPlugin } from "../../kube/exec-plugin";

const V1 = "client.authentication.k8s.io/v1";
const plugin = (command: string, extra: Partial<ExecConfig> = {}): ExecConfig => ({ command, args: [], env: [], apiVersion: V1, provideClusterInfo: false, ...extra });
const request = (command: string, extra: Partial<ExecConfig> = {}): ExecRequest => ({ user: "eks-admin", plugin: plugin(command, extra) });

let dir: string;
beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-exec-")); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => forgetExecCredentials());

/** A real plugin: a shell script, run by the real runner. */
function script(name: string, body: string): string {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
}

describe("parseExecCredential", () => {
    const parse = (doc: unknown, apiVersion = V1) => parseExecCredential(JSON.stringify(doc), request("aws", { apiVersion }));

    it("reads a token, client certificate pair and expiry", () => {
        expect(parse({ apiVersion: V1, kind: "ExecCredential", status: { token: "t", expirationTimestamp: "2030-01-02T03:04:05Z" } }))
            .toEqual({ token: "t", clientCertificateData: undefined, clientKeyData: undefined, expiresAt: Date.UTC(2030, 0, 2, 3, 4, 5) });
        expect(parse({ apiVersion: V1, kind: "ExecCredential", status: { clientCertificateData: "CERT", clientKeyData: "KEY" } }))
            .toMatchObject({ clientCertificateData: "CERT", clientKeyData: "KEY", expiresAt: undefined });
    });

    it("refuses output that is no ExecCredential of the kubeconfig's apiVersion, naming the plugin but never quoting the output", () => {
        const name = 'exec plugin "aws" of kubeconfig user "eks-admin" printed no valid ExecCredential';
        expect(() => parseExecCredential("token-abc", request("aws"))).toThrow(`${name}: its output is not JSON`);
        expect(() => parse({ apiVersion: "client.authentication.k8s.io/v1beta1", kind: "ExecCredential", status: { token: "secret-token" } }))
            .toThrow(`${name}: apiVersion is "client.authentication.k8s.io/v1beta1" but the kubeconfig asks for ${V1}`);
        expect(() => parse({ apiVersion: V1, kind: "Other", status: { token: "t" } })).toThrow(`${name}: kind is "Other", expected "ExecCredential"`);
        expect(() => parse({ apiVersion: V1, kind: "ExecCredential", status: {} })).toThrow("neither a token nor clientCertificateData and clientKeyData");
        expect(() => parse({ apiVersion: V1, kind: "ExecCredential", status: { token: "t", clientKeyData: "K" } })).toThrow("only one of clientCertificateData and clientKeyData");
        expect(() => parse({ apiVersion: V1, kind: "ExecCredential", status: { token: "t", expirationTimestamp: "soon" } })).toThrow("not an RFC 3339 time");
        const message = (() => {
            try {
                return parse({ apiVersion: "x", kind: "ExecCredential", status: { token: "secret-token" } }) && "accepted";
            } catch (error) {
                return (error as Error).message;
            }
        })();
        expect(message).toContain("apiVersion is \"x\"");
        expect(message).not.toContain("secret-token");
    });
});

describe("runExecPlugin", () => {
    it("runs the command with its args and env, no stdin, and KUBERNETES_EXEC_INFO naming the apiVersion and cluster", async () => {
        const command = script("ok.sh", `
            [ -t 0 ] && exit 9
            info=$(printf %s "$KUBERNETES_EXEC_INFO" | base64 -w0)
            printf '{"apiVersion":"${V1}","kind":"ExecCredential","status":{"token":"%s|%s|%s"}}' "$1" "$REGION" "$info"`);
        const status = await runExecPlugin({ ...request(command, { args: ["arg-1"], env: [{ name: "REGION", value: "eu-west-1" }] }), clusterInfo: { server: "https://eks" } });
        const [arg, region, info] = status.token!.split("|");
        expect([arg, region, JSON.parse(Buffer.from(info, "base64").toString())]).toEqual(["arg-1", "eu-west-1",
            { apiVersion: V1, kind: "ExecCredential", spec: { interactive: false, cluster: { server: "https://eks" } } }]);
    });

    it("names the plugin and its stderr when it fails", async () => {
        const command = script("fail.sh", "echo 'error: SSO session expired, run aws sso login' >&2; exit 3");
        await expect(runExecPlugin(request(command))).rejects.toThrow(
            `exec plugin ${JSON.stringify(command)} of kubeconfig user "eks-admin" exited with code 3: error: SSO session expired, run aws sso login`);
    });

    it("prints the installHint when the plugin is not installed", async () => {
        await expect(runExecPlugin(request("skyshift-no-such-plugin", { installHint: "Install it with: brew install skyshift-no-such-plugin" }))).rejects.toThrow(
            'exec plugin "skyshift-no-such-plugin" of kubeconfig user "eks-admin" was not found (not on PATH). Install it with: brew install skyshift-no-such-plugin');
        await expect(runExecPlugin(request(path.join(dir, "missing.sh")))).rejects.toThrow("was not found (no such file): install it, or give the kubeconfig a token or client certificate");
    });
});

describe("execCredential (the process-wide cache)", () => {
    const credential = (token: string, expiresAt?: number): ExecCredentialStatus => ({ token, expiresAt });

    it("reuses a credential until 10 s before it expires, then runs the plugin again", async () => {
        let now = 1_000_000;
        const runs: string[] = [];
        const run = async () => { runs.push("run"); return credential(`t${runs.length}`, 1_060_000); };
        expect((await execCredential(request("aws"), () => now, run)).token).toBe("t1");
        now = 1_049_999;
        expect((await execCredential(request("aws"), () => now, run)).token).toBe("t1");
        now = 1_050_000;
        expect((await execCredential(request("aws"), () => now, run)).token).toBe("t2");
        expect(runs).toHaveLength(2);
    });

    it("keeps a credential without expiry for the process, until forgotten (after a 401), per plugin invocation", async () => {
        let runs = 0;
        const run = async (r: ExecRequest) => credential(`${r.plugin.command}-${++runs}`);
        await Promise.all([execCredential(request("aws"), Date.now, run), execCredential(request("aws"), Date.now, run)]);
        expect((await execCredential(request("aws"), Date.now, run)).token).toBe("aws-1");
        expect((await execCredential(request("kubelogin"), Date.now, run)).token).toBe("kubelogin-2");
        forgetExecCredentials();
        expect((await execCredential(request("aws"), Date.now, run)).token).toBe("aws-3");
    });

    it("does not keep a failure: the next request runs the plugin again", async () => {
        let runs = 0;
        const run = async () => { if (++runs === 1) throw new Error("first run fails"); return credential("ok"); };
        await expect(execCredential(request("aws"), Date.now, run)).rejects.toThrow("first run fails");
        expect((await execCredential(request("aws"), Date.now, run)).token).toBe("ok");
    });
});
