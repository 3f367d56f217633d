import { kubeconfigSource, SourceEnvironment } from "../../kube/kubeconfig-source";

const environment = (env: Record<string, string>, files: string[] = []): SourceEnvironment =>
    ({ env, home: "/home/ci", exists: file => files.includes(file) });
const POD = { KUBERNETES_SERVICE_HOST: "10.96.0.1", KUBERNETES_SERVICE_PORT: "443" };
const SA = "/var/run/secrets/kubernetes.io/serviceaccount";

describe("kubeconfigSource", () => {
    it("takes the given kubeconfig first: contents, or an existing file", () => {
        const text = "apiVersion: v1\nclusters: []";
        expect(kubeconfigSource(text, environment({ KUBECONFIG: "/a" }, ["/a"]))).toEqual({ kind: "contents", text });
        expect(kubeconfigSource("/k/config", environment(POD, ["/k/config", `${SA}/token`]))).toEqual({ kind: "files", files: ["/k/config"] });
        expect(() => kubeconfigSource("/k/nope", environment({}))).toThrow(
            "kubeconfig file /k/nope does not exist: set kubernetes:kubeconfig (or --kubeconfig) to an existing file or to the kubeconfig's contents");
    });

    it("then every existing file of $KUBECONFIG, then ~/.kube/config", () => {
        expect(kubeconfigSource(undefined, environment({ KUBECONFIG: "/a::/missing:/b" }, ["/a", "/b", "/home/ci/.kube/config"])))
            .toEqual({ kind: "files", files: ["/a", "/b"] });
        expect(() => kubeconfigSource(undefined, environment({ KUBECONFIG: "/x:/y" }, ["/home/ci/.kube/config"]))).toThrow(
            "none of the files in $KUBECONFIG exists (/x:/y): fix $KUBECONFIG or unset it");
        expect(kubeconfigSource(undefined, environment(POD, ["/home/ci/.kube/config", `${SA}/token`, `${SA}/ca.crt`])))
            .toEqual({ kind: "files", files: ["/home/ci/.kube/config"] });
    });

    it("then, in a pod, the service account: the service host and the token and CA files", () => {
        expect(kubeconfigSource(undefined, environment(POD, [`${SA}/token`, `${SA}/ca.crt`])))
            .toEqual({ kind: "in-cluster", server: "https://10.96.0.1:443", tokenFile: `${SA}/token`, caFile: `${SA}/ca.crt` });
        expect(kubeconfigSource(undefined, environment({ KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "6443", SKYSHIFT_SERVICE_ACCOUNT_DIR: "/sa" }, ["/sa/token", "/sa/ca.crt"])))
            .toEqual({ kind: "in-cluster", server: "https://[fd00::1]:6443", tokenFile: "/sa/token", caFile: "/sa/ca.crt" });
        expect(() => kubeconfigSource(undefined, environment(POD, [`${SA}/token`]))).toThrow(
            `in-cluster config: ${SA}/ca.crt does not exist beside the service-account token ${SA}/token`);
    });

    it("says every place it looked when there is none", () => {
        for (const env of [{}, POD, { KUBERNETES_SERVICE_HOST: "10.96.0.1" }] as Record<string, string>[]) {
            expect(() => kubeconfigSource(undefined, environment(env))).toThrow(
                "no kubeconfig found: set kubernetes:kubeconfig (or --kubeconfig), or $KUBECONFIG, or create ~/.kube/config, "
                + `or run in a pod with KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT and a service-account token at ${SA}/token`);
        }
    });
});
