import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { kubeAccess } from "../../components/migration/kube-api";

const kubeconfig = (user: string, cluster = "{server: 'https://10.0.0.1:6443/', certificate-authority-data: Y2E=}") => [
    "apiVersion: v1", "current-context: lab",
    "contexts: [{name: other, context: {cluster: x, user: x}}, {name: lab, context: {cluster: lab, user: admin}}]",
    `clusters: [{name: lab, cluster: ${cluster}}]`,
    `users: [{name: admin, user: ${user}}]`,
].join("\n");

describe("kubeAccess", () => {
    it("reads the current context's server, CA and client certificate from kubeconfig contents", () => {
        expect(kubeAccess(kubeconfig("{client-certificate-data: Y2VydA==, client-key-data: a2V5}"))).toEqual({
            server: "https://10.0.0.1:6443", ca: Buffer.from("ca"), cert: Buffer.from("cert"), key: Buffer.from("key"), token: undefined, insecure: false,
        });
    });

    it("reads a file path, a token file and insecure-skip-tls-verify", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-kube-"));
        try {
            fs.writeFileSync(path.join(dir, "token"), "s3cret\n");
            fs.writeFileSync(path.join(dir, "config"), kubeconfig(`{tokenFile: ${path.join(dir, "token")}}`, "{server: 'https://lab:16443', insecure-skip-tls-verify: true}"));
            expect(kubeAccess(path.join(dir, "config"))).toMatchObject({ server: "https://lab:16443", token: "s3cret", insecure: true, ca: undefined });
        } finally {
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("uses a named context when asked", () => {
        expect(() => kubeAccess(kubeconfig("{token: t}"), "missing")).toThrow('kubeconfig has no context "missing"');
        expect(kubeAccess(kubeconfig("{token: t}"), "lab")).toMatchObject({ token: "t" });
    });

    it("refuses exec plugins, which it does not run", () => {
        expect(() => kubeAccess(kubeconfig("{exec: {command: aws}}"))).toThrow(
            "kubeconfig user admin uses an exec/auth-provider plugin, which the RolloutGate does not run — give it a token or client certificate");
    });
});
