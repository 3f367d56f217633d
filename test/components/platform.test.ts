import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { collectorClusterRules, languageFlags, manifestFiles, waitForWebhookCaBundle } from "../../components";
import { parseStackConfig } from "../../config";
import { encodeConfig, runUnderMocks } from "../support/program";

const CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup";
const COLLECTOR = "kubernetes:opentelemetry.io/v1beta1:OpenTelemetryCollector";
const INSTRUMENTATION = "kubernetes:opentelemetry.io/v1alpha1:Instrumentation";
const debugOnly = { exporters: [{ name: "debug", kind: "debug" }] };

function transform(type: string, props: Record<string, unknown>) {
    return waitForWebhookCaBundle({ type, name: "w", props, opts: {}, custom: true });
}

describe("waitForWebhookCaBundle", () => {
    it("makes both webhook kinds wait for their CA bundle and keeps their annotations", () => {
        for (const kind of ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]) {
            const result = transform(`kubernetes:admissionregistration.k8s.io/v1:${kind}`, { metadata: { name: "w", annotations: { keep: "me" } }, webhooks: [] });
            expect(result?.props).toEqual({
                metadata: { name: "w", annotations: { keep: "me", "pulumi.com/waitFor": "jsonpath={.webhooks[*].clientConfig.caBundle}" } },
                webhooks: [],
            });
        }
    });

    it("leaves every other kind alone", () => {
        expect(transform("kubernetes:apps/v1:Deployment", { metadata: { name: "d" } })).toBeUndefined();
    });
});

describe("collectorClusterRules", () => {
    const collector = (raw: Record<string, unknown>) => parseStackConfig({ collector: raw }).config.collector;
    const deepflow = { exporters: [{ name: "deepflow", kind: "deepflow" }] };

    it("reads pods, namespaces and replicasets, and nodes only when node metadata is asked for", () => {
        const readOnly = ["get", "list", "watch"];
        expect(collectorClusterRules(collector(deepflow))).toEqual([
            { apiGroups: [""], resources: ["pods", "namespaces"], verbs: readOnly },
            { apiGroups: ["apps"], resources: ["replicasets"], verbs: readOnly },
        ]);
        expect(collectorClusterRules(collector({ ...deepflow, k8sAttributes: { nodeMetadata: true } }))[2])
            .toEqual({ apiGroups: [""], resources: ["nodes"], verbs: readOnly });
    });

    it("grants nothing when k8sattributes does not run", () => {
        expect(collectorClusterRules(collector(debugOnly))).toEqual([]);
    });
});

describe("languageFlags", () => {
    it("states every language: Java, Python and Node.js on, Go and nginx opt-in", () => {
        const { operator } = parseStackConfig({ collector: debugOnly }).config.platform;
        expect(languageFlags(operator.languages)).toEqual([
            "--enable-go-instrumentation=false", "--enable-java-instrumentation=true", "--enable-nginx-instrumentation=false",
            "--enable-nodejs-instrumentation=true", "--enable-python-instrumentation=true",
        ]);
        expect(languageFlags({ ...operator.languages, go: true })[0]).toBe("--enable-go-instrumentation=true");
    });
});

describe("the operator from a release manifest (clusters without Helm access)", () => {
    let dir: string;
    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-manifest-"));
        for (const file of ["b-operator.yaml", "a-crds.yml", "README.md"]) fs.writeFileSync(path.join(dir, file), "# a stand-in\n");
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reads a directory's YAML files in order, and a single file as itself", () => {
        expect(manifestFiles(dir)).toEqual([path.join(dir, "a-crds.yml"), path.join(dir, "b-operator.yaml")]);
        expect(manifestFiles(path.join(dir, "a-crds.yml"))).toEqual([path.join(dir, "a-crds.yml")]);
    });

    it("applies the manifest after cert-manager and creates the collector and the Instrumentation only after it", async () => {
        const run = await runUnderMocks(encodeConfig({
            platform: { certManager: { install: true }, operator: { source: "manifest", manifest: dir } },
            collector: { mode: "deployment", replicas: 2, ...debugOnly },
        }));
        const manifest = run.get(CONFIG_GROUP, "otel-operator-manifest");
        expect(manifest.inputs.files).toEqual([path.join(dir, "a-crds.yml"), path.join(dir, "b-operator.yaml")]);
        expect(manifest.dependsOn).toEqual(["cert-manager-chart"]);
        expect(manifest.parent).toBe("otel-operator");
        expect(run.get(COLLECTOR, "collector-cr").dependsOn).toEqual(["otel-operator-manifest", "collector-sa"]);
        expect(run.get(INSTRUMENTATION, "instrumentation-cr").dependsOn).toEqual(["otel-operator-manifest"]);
        // A gateway: a Deployment of two, and no k8sattributes RBAC since no exporter needs pod metadata.
        expect(run.get(COLLECTOR, "collector-cr").inputs.spec).toMatchObject({ mode: "deployment", replicas: 2 });
        expect(run.ofType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole")).toEqual([]);
    });
});
