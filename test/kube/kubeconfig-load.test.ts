import * as YAML from "yaml";
import { resolveKubeconfig } from "../../kube/kubeconfig-load";
import { KubeconfigSource } from "../../kube/kubeconfig-source";

const CLUSTER = { name: "lab", cluster: { server: "https://api.lab:6443", "certificate-authority": "ca.crt" } };
const kubeconfig = (users: unknown[], extra: Record<string, unknown> = {}) => YAML.stringify({
    apiVersion: "v1", "current-context": "lab",
    clusters: [CLUSTER],
    contexts: [{ name: "lab", context: { cluster: "lab", user: "admin" } }, { name: "other", context: { cluster: "lab", user: "other" } }],
    users, ...extra,
});
const files = (contents: Record<string, string>): [KubeconfigSource, (file: string) => string] =>
    [{ kind: "files", files: Object.keys(contents) }, file => contents[file]];
const resolve = (text: string, context?: string, env: Record<string, string> = {}) => resolveKubeconfig({ kind: "contents", text }, context, () => "", env);
const AWS = { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token", "--cluster-name", "prod"],
    env: [{ name: "AWS_PROFILE", value: "prod" }], installHint: "Install the AWS CLI" };

describe("resolveKubeconfig", () => {
    it("keeps one context, its cluster and user; tokens, certificates and auth-providers pass through to client-node", () => {
        const user = { name: "admin", user: { token: "t", "client-certificate-data": "Y2VydA==", "client-key-data": "a2V5" } };
        const gcp = { name: "other", user: { "auth-provider": { name: "oidc", config: { "id-token": "x" } } } };
        expect(resolve(kubeconfig([user, gcp]))).toEqual({
            describe: "context lab (https://api.lab:6443)",
            config: { "current-context": "lab", clusters: [CLUSTER], users: [user], contexts: [{ name: "lab", context: { cluster: "lab", user: "admin" } }] },
        });
        expect(resolve(kubeconfig([user, gcp]), "other").config.users).toEqual([gcp]);
    });

    it("hands exec users to skyshift's plugin runner, validated, with the cluster info only when asked", () => {
        const users = (exec: unknown) => resolve(kubeconfig([{ name: "admin", user: { exec } }])).config.users;
        expect(users(AWS)).toEqual([{ name: "admin", user: { "auth-provider": { name: "skyshift-exec", config: {
            user: "admin", plugin: { ...AWS, provideClusterInfo: false }, clusterInfo: undefined } } } }]);
        const withInfo = users({ ...AWS, provideClusterInfo: true, args: undefined, env: undefined });
        expect((withInfo[0].user as { "auth-provider": { config: unknown } })["auth-provider"].config).toMatchObject({
            plugin: { command: "aws", args: [], env: [], provideClusterInfo: true }, clusterInfo: { server: "https://api.lab:6443" } });
    });

    it("refuses an exec stanza it cannot run, naming the user and the key", () => {
        const fails = (exec: unknown) => () => resolve(kubeconfig([{ name: "admin", user: { exec } }]));
        expect(fails({ ...AWS, command: "" })).toThrow('kubeconfig user "admin": exec.command is missing');
        expect(fails({ ...AWS, apiVersion: "client.authentication.k8s.io/v1alpha1" })).toThrow(
            'kubeconfig user "admin": exec.apiVersion is "client.authentication.k8s.io/v1alpha1": use one of client.authentication.k8s.io/v1, client.authentication.k8s.io/v1beta1');
        expect(fails({ ...AWS, args: "eks get-token" })).toThrow('kubeconfig user "admin": exec.args must be a list of strings');
        expect(fails({ ...AWS, env: [{ name: "A" }] })).toThrow('kubeconfig user "admin": exec.env must be a list of {name, value} strings');
        expect(fails({ ...AWS, interactiveMode: "Always" })).toThrow('kubeconfig user "admin": exec.interactiveMode is Always, but skyshift runs plugins without a terminal');
    });

    it("reads tokenFile (kubectl's key) and token-file through the token-file authenticator", () => {
        for (const key of ["tokenFile", "token-file"]) {
            expect(resolve(kubeconfig([{ name: "admin", user: { [key]: "/var/token" } }])).config.users).toEqual([
                { name: "admin", user: { "auth-provider": { name: "skyshift-token-file", config: { path: "/var/token" } } } }]);
        }
    });

    it("resolves relative paths (and an exec command with a slash) against the kubeconfig file's directory", () => {
        const [source, read] = files({ "/etc/kube/config": kubeconfig([{ name: "admin", user: { "client-key": "keys/k.pem", exec: { ...AWS, command: "./bin/aws" } } }]) });
        const { config } = resolveKubeconfig(source, undefined, read, {});
        expect(config.clusters[0].cluster).toMatchObject({ "certificate-authority": "/etc/kube/ca.crt" });
        const user = config.users[0].user as Record<string, { config: { plugin: { command: string } } } | string>;
        expect(user["client-key"]).toBe("/etc/kube/keys/k.pem");
        expect((user["auth-provider"] as { config: { plugin: { command: string } } }).config.plugin.command).toBe("/etc/kube/bin/aws");
    });

    it("merges $KUBECONFIG files as kubectl does: the first file that sets a name or current-context wins", () => {
        const second = YAML.stringify({ "current-context": "ci", clusters: [{ name: "lab", cluster: { server: "https://ignored" } }, { name: "ci", cluster: { server: "https://ci:6443" } }],
            contexts: [{ name: "ci", context: { cluster: "ci", user: "bot" } }], users: [{ name: "bot", user: { token: "b" } }] });
        const [source, read] = files({ "/a/config": kubeconfig([{ name: "admin", user: { token: "a" } }]), "/b/config": second });
        expect(resolveKubeconfig(source, undefined, read, {}).describe).toBe("context lab (https://api.lab:6443)");
        expect(resolveKubeconfig(source, "ci", read, {}).config.users).toEqual([{ name: "bot", user: { token: "b" } }]);
    });

    it("fills in proxy-url from HTTPS_PROXY/NO_PROXY unless the cluster sets one", () => {
        const text = kubeconfig([{ name: "admin", user: { token: "t" } }]);
        expect(resolve(text, undefined, { HTTPS_PROXY: "http://proxy:3128" }).config.clusters[0].cluster).toMatchObject({ "proxy-url": "http://proxy:3128" });
        expect(resolve(text, undefined, { HTTPS_PROXY: "http://proxy:3128", NO_PROXY: ".lab" }).config.clusters[0].cluster).not.toHaveProperty("proxy-url");
        const own = kubeconfig([{ name: "admin", user: { token: "t" } }], { clusters: [{ name: "lab", cluster: { server: "https://api.lab", "proxy-url": "socks5://s:1080" } }] });
        expect(resolve(own, undefined, { HTTPS_PROXY: "http://proxy:3128" }).config.clusters[0].cluster).toMatchObject({ "proxy-url": "socks5://s:1080" });
    });

    it("builds the in-cluster config from the service host, CA and token file", () => {
        const source: KubeconfigSource = { kind: "in-cluster", server: "https://10.96.0.1:443", tokenFile: "/sa/token", caFile: "/sa/ca.crt" };
        expect(resolveKubeconfig(source, undefined, () => "", {})).toEqual({ describe: "context in-cluster (https://10.96.0.1:443)", config: {
            "current-context": "in-cluster",
            clusters: [{ name: "in-cluster", cluster: { server: "https://10.96.0.1:443", "certificate-authority": "/sa/ca.crt" } }],
            users: [{ name: "service-account", user: { "auth-provider": { name: "skyshift-token-file", config: { path: "/sa/token" } } } }],
            contexts: [{ name: "in-cluster", context: { cluster: "in-cluster", user: "service-account" } }],
        } });
    });

    it("names the missing context, cluster or malformed file", () => {
        const text = kubeconfig([{ name: "admin", user: { token: "t" } }]);
        expect(() => resolve(text, "prod")).toThrow('the kubeconfig has no context "prod": known contexts: lab, other');
        expect(() => resolve(kubeconfig([], { "current-context": undefined }))).toThrow("the kubeconfig has no current-context: set kubernetes:context (or --context) to one of: lab, other");
        expect(() => resolve(kubeconfig([], { clusters: [] }))).toThrow('context lab: cluster "lab" is not in the kubeconfig or has no server');
        expect(() => resolve("{ not yaml")).toThrow("kubernetes:kubeconfig is not a kubeconfig:");
        const [source, read] = files({ "/x/config": "- a list" });
        expect(() => resolveKubeconfig(source, undefined, read, {})).toThrow("/x/config is not a kubeconfig: expected a mapping with clusters, users and contexts");
    });
});
