import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { languageFlags, manifestFiles, readOperatorManifest } from "../../components/otel-operator";
import { parseStackConfig } from "../../config";
import { encodeConfig, runUnderMocks } from "../support/program";

const CONFIG_GROUP = "kubernetes:yaml/v2:ConfigGroup";
const COLLECTOR = "kubernetes:opentelemetry.io/v1beta1:OpenTelemetryCollector";
const INSTRUMENTATION = "kubernetes:opentelemetry.io/v1alpha1:Instrumentation";
const debugOnly = { exporters: [{ name: "debug", kind: "debug" }] };

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

    it("is read only for source manifest, and a path without YAML is a config error naming the key and the fix", () => {
        const operator = (raw: Record<string, unknown>) => parseStackConfig({ collector: debugOnly, platform: { operator: raw } }).config.platform.operator;
        expect(readOperatorManifest(operator({}))).toBeUndefined();
        expect(readOperatorManifest(operator({ source: "manifest", manifest: dir }))).toEqual(manifestFiles(dir));
        const problem = "platform.operator.manifest: is neither a YAML file nor a directory holding .yaml files — point it at the operator's release YAML";
        for (const missing of ["/nonexistent/operator.yaml", path.join(dir, "no-such-dir")]) {
            expect(() => readOperatorManifest(operator({ source: "manifest", manifest: missing }))).toThrow(problem);
        }
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-empty-manifest-"));
        try {
            expect(() => readOperatorManifest(operator({ source: "manifest", manifest: empty }))).toThrow(problem);
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });

    it("stops the program on a manifest path without YAML", async () => {
        await expect(runUnderMocks(encodeConfig({
            platform: { operator: { source: "manifest", manifest: "/nonexistent/operator.yaml" } }, collector: debugOnly,
        }))).rejects.toThrow("platform.operator.manifest: is neither a YAML file nor a directory holding .yaml files");
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
