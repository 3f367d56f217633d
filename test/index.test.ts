import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { stackSchema, StackConfig } from "../config";
import { encodeConfig, REPO_ROOT, runUnderMocks, stackFileConfig } from "./support/program";

/**
 * Pulumi serializes a dynamic provider through the V8 inspector, which jest's module runtime does not offer;
 * here DeepFlow's dynamic resource is a plain custom resource of the same type (test/components/deepflow covers the provider).
 */
jest.mock("../components/deepflow/provider", () => {
    const { CustomResource } = jest.requireActual("@pulumi/pulumi");
    class AgentGroupConfigResource extends CustomResource {
        constructor(name: string, args: Record<string, unknown>, opts?: object) {
            super("pulumi-nodejs:dynamic/skyshift:DeepFlowAgentGroupConfig", name, { ...args, groupLcuuid: undefined, groupShortUuid: undefined }, opts);
        }
    }
    return { AgentGroupConfigResource };
});

const CHART = "kubernetes:helm.sh/v4:Chart";
const COLLECTOR = "kubernetes:opentelemetry.io/v1beta1:OpenTelemetryCollector";
const INSTRUMENTATION = "kubernetes:opentelemetry.io/v1alpha1:Instrumentation";

/** The prod example in the README, so the manual cannot drift from what the program accepts. */
function readmeProdConfig(): Record<string, string> {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const block = /<!-- prod-stack -->\s*```yaml\n([\s\S]*?)```/.exec(readme);
    if (!block) throw new Error("README.md lost its <!-- prod-stack --> yaml block");
    return encodeConfig((parse(block[1]) as { config: Record<string, unknown> }).config);
}

const stackFiles = fs.readdirSync(REPO_ROOT).filter(f => /^Pulumi\.[^.]+\.yaml$/.test(f));

/** A stack file's config with the program pointed at that stack's inventory file (the mocks' stack is "unit"). */
function stackWithInventory(file: string): Record<string, string> {
    const stack = /^Pulumi\.([^.]+)\.yaml$/.exec(file)?.[1] as string;
    return { ...stackFileConfig(path.join(REPO_ROOT, file)), "skyshift:inventory": path.join(REPO_ROOT, `skyshift.${stack}.inventory.yaml`) };
}

describe("the program", () => {
    test.each(stackFiles)("evaluates %s with its committed inventory file without errors", async file => {
        expect(fs.existsSync(path.join(REPO_ROOT, file.replace(/^Pulumi\.([^.]+)\.yaml$/, "skyshift.$1.inventory.yaml")))).toBe(true);
        const run = await runUnderMocks(stackWithInventory(file));
        expect(run.ofType(COLLECTOR)).toHaveLength(1);
        expect(run.ofType(INSTRUMENTATION)).toHaveLength(1);
    });

    describe("GIVEN the dev stack (the lab: no Helm)", () => {
        let run: Awaited<ReturnType<typeof runUnderMocks>>;
        beforeAll(async () => { run = await runUnderMocks(stackWithInventory("Pulumi.dev.yaml")); });

        it("installs neither cert-manager nor the operator", () => {
            expect(run.ofType(CHART)).toEqual([]);
            expect(run.registrations.filter(r => r.parent === "cert-manager" || r.parent === "otel-operator")).toEqual([]);
        });

        it("declares the collector in the observability namespace with its service account and k8sattributes RBAC", () => {
            const collector = run.get(COLLECTOR, "collector-cr");
            expect(collector.inputs.metadata).toEqual({ name: "otel", namespace: "observability", labels: { "app.kubernetes.io/managed-by": "skyshift" } });
            expect(collector.inputs.spec.mode).toBe("daemonset");
            expect(collector.inputs.spec.serviceAccount).toBe("otel-collector-sa");
            expect(collector.inputs.spec.config.service.pipelines.traces.exporters).toEqual(["otlp/jaeger", "otlphttp/deepflow", "debug"]);
            expect(collector.dependsOn).toEqual(["collector-sa", "collector-k8sattributes", "collector-k8sattributes"]);
            expect(collector.parent).toBe("collector");
            const binding = run.get("kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "collector-k8sattributes");
            expect(binding.inputs.subjects).toEqual([{ kind: "ServiceAccount", name: "otel-collector-sa", namespace: "observability" }]);
        });

        it("points the Instrumentation at the collector and exports its ref", () => {
            const instrumentation = run.get(INSTRUMENTATION, "instrumentation-cr");
            expect(instrumentation.inputs.spec.exporter).toEqual({ endpoint: "http://otel-collector.observability.svc.cluster.local:4318" });
            expect(instrumentation.inputs.spec.python.env).toEqual([{ name: "OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED", value: "true" }]);
            expect(run.outputs).toMatchObject({
                instrumentationRef: "observability/skyshift",
                collectorOtlpGrpcEndpoint: "http://otel-collector.observability.svc.cluster.local:4317",
                collectorOtlpHttpEndpoint: "http://otel-collector.observability.svc.cluster.local:4318",
                collectorSkywalkingGrpcAddress: "otel-collector.observability:11800",
                appModes: {},
                rebuiltImages: {},
            });
            expect(run.outputs.deepflowAgentGroupId).toBeNull();
        });
    });

    describe("GIVEN the README's prod stack (Helm, private mirror, two Jaegers, DeepFlow)", () => {
        let run: Awaited<ReturnType<typeof runUnderMocks>>;
        beforeAll(async () => { run = await runUnderMocks(readmeProdConfig()); });

        it("installs cert-manager from its pinned chart with CRDs", () => {
            const chart = run.get(CHART, "cert-manager-chart");
            expect(chart.inputs).toMatchObject({
                chart: "cert-manager",
                version: "v1.19.1",
                repositoryOpts: { repo: "https://charts.jetstack.io" },
                namespace: "cert-manager",
                values: { crds: { enabled: true } },
            });
            expect(chart.parent).toBe("cert-manager");
        });

        it("installs the operator after cert-manager with cert-manager webhooks, the mirrored k8s collector image and language flags", () => {
            const chart = run.get(CHART, "otel-operator-chart");
            expect(chart.inputs).toMatchObject({
                chart: "opentelemetry-operator",
                version: "0.122.0",
                namespace: "opentelemetry-operator-system",
                values: {
                    crds: { create: true },
                    admissionWebhooks: { certManager: { enabled: true } },
                    manager: {
                        collectorImage: { repository: "registry.corp/otel/opentelemetry-collector-k8s", tag: "0.138.0" },
                        extraArgs: [
                            "--enable-go-instrumentation=false", "--enable-java-instrumentation=true", "--enable-nginx-instrumentation=false",
                            "--enable-nodejs-instrumentation=true", "--enable-python-instrumentation=true",
                        ],
                    },
                },
            });
            expect(chart.dependsOn).toEqual(["cert-manager-chart", "otel-operator-namespace"]);
        });

        it("creates the collector and the Instrumentation only after the operator", () => {
            expect(run.get(COLLECTOR, "collector-cr").dependsOn[0]).toBe("otel-operator-chart");
            expect(run.get(INSTRUMENTATION, "instrumentation-cr").dependsOn).toEqual(["otel-operator-chart"]);
        });

        it("owns DeepFlow's agent-group OTel ingest and starts the collector only after it", () => {
            const agentGroup = run.get("pulumi-nodejs:dynamic/skyshift:DeepFlowAgentGroupConfig", "deepflow-config");
            expect(agentGroup.inputs).toMatchObject({
                server: "http://deepflow-server.deepflow:20417", agentGroup: "default", apiVersion: "v7",
                owned: { "inputs.integration.enabled": true, "inputs.integration.listen_port": 38086 },
            });
            expect(run.get("skyshift:index:Collector", "collector").dependsOn).toEqual(["deepflow"]);
        });

        it("sends traces to both Jaegers over TLS and to DeepFlow", () => {
            const { config } = run.get(COLLECTOR, "collector-cr").inputs.spec;
            expect(config.exporters["otlp/jaeger-a"]).toEqual({ endpoint: "jaeger-a-collector.tracing:4317" });
            expect(config.exporters["otlp/jaeger-b"]).toEqual({ endpoint: "jaeger-b-collector.tracing:4317" });
            expect(config.service.pipelines.traces.exporters).toEqual(["otlp/jaeger-a", "otlp/jaeger-b", "otlphttp/deepflow"]);
        });

        it("uses the private mirror for every language and the extension", () => {
            const { spec } = run.get(INSTRUMENTATION, "instrumentation-cr").inputs;
            expect(spec.java.image).toBe("registry.corp/otel/autoinstrumentation-java:2.10.0");
            expect(spec.java.extensions).toEqual([{ image: "registry.corp/otel/ext:1.0", dir: "/extensions" }]);
            expect(spec.python.image).toBe("registry.corp/otel/autoinstrumentation-python:0.50b0");
            expect(spec.nodejs.image).toBe("registry.corp/otel/autoinstrumentation-nodejs:0.56.0");
            expect(spec.sampler).toEqual({ type: "parentbased_traceidratio", argument: "0.25" });
        });
    });

    it("GIVEN invalid config THEN it fails with the problem list and registers nothing", async () => {
        const config = { ...stackFileConfig(path.join(REPO_ROOT, "Pulumi.dev.yaml")), "skyshift:collector": JSON.stringify({ exporters: [{ name: "j", kind: "otlp", endpoint: "jaeger:14250" }] }) };
        await expect(runUnderMocks(config)).rejects.toThrow(
            "invalid skyshift stack config (1 problem):\n  - collector.exporters[0].endpoint: port 14250 is Jaeger's legacy gRPC, not OTLP");
    });
    it("GIVEN the sw8 propagator on without its jar THEN the program fails naming the key and how to build it", async () => {
        const dev = stackFileConfig(path.join(REPO_ROOT, "Pulumi.dev.yaml"));
        const instrumentation = { ...JSON.parse(dev["skyshift:instrumentation"]), java: { image: "registry.corp/otel/java:2", sw8Propagator: { jar: "/nonexistent/sw8.jar" } } };
        const config = { ...dev, ...encodeConfig({ instrumentation, imageRebuild: { registry: { server: "registry.corp" } } }) };
        await expect(runUnderMocks(config)).rejects.toThrow(
            "instrumentation.java.sw8Propagator.jar: no jar at /nonexistent/sw8.jar — build it with `npm run lab:tools && npm run test:sw8`");
    });
});

describe("GIVEN an inventory file and mode decisions", () => {
    /**
     * The migration is replaced by a recorder of the config it receives (test/migration covers the AppFlips under
     * mocks; the e2e tests run the whole program).
     */
    beforeAll(() => {
        jest.doMock("../components/migration", () => ({
            migrateApps: (config: StackConfig) => ({
                apps: {},
                appModes: Object.fromEntries(Object.entries(config.apps).map(([key, app]) => [key, `${app.mode} by ${app.modeSource}`])),
            }),
        }));
    });
    afterAll(() => jest.dontMock("../components/migration"));

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-program-"));
    const inventoryFile = path.join(dir, "skyshift.unit.inventory.yaml");
    fs.writeFileSync(inventoryFile, `apiVersion: skyshift/v1
kind: Inventory
apps:
  shop/cart: {container: cart, agentIn: {env: [JAVA_OPTS]}, original: {env: {JAVA_OPTS: "-javaagent:/sw/skywalking-agent.jar"}}}
  shop/order: {container: order, agentIn: {env: [JAVA_OPTS]}, original: {env: {JAVA_OPTS: "-javaagent:/sw/skywalking-agent.jar"}}}
  shop/legacy: {container: legacy, rebuildImage: true, original: {image: "registry.corp/shop/legacy:1"}}
`);
    const config = (decisions: Record<string, unknown>) => ({
        ...stackFileConfig(path.join(REPO_ROOT, "Pulumi.dev.yaml")),
        "skyshift:inventory": inventoryFile,
        ...encodeConfig(decisions),
    });
    /** index.ts exports the migration's modes. */
    const appModes = (run: Awaited<ReturnType<typeof runUnderMocks>>) => run.outputs.appModes as Record<string, string>;

    it("reads the inventory from the file skyshift:inventory names, modes from selectors and per-app decisions, and leaves out the app that cannot be managed", async () => {
        const run = await runUnderMocks(config({ selectors: [{ match: "shop", mode: "otel" }], apps: { "shop/order": { mode: "skywalking" }, "shop/legacy": { mode: "skywalking" } } }));
        expect(await appModes(run)).toEqual({ "shop/cart": 'otel by selectors[0].mode (match "shop")', "shop/order": 'skywalking by apps["shop/order"].mode' });
    });

    it("fails naming the app when an app with problems is put in otel, and declares nothing", async () => {
        await expect(runUnderMocks(config({ apps: { "shop/legacy": { mode: "otel" } } }))).rejects.toThrow(
            'imageRebuild.registry: is required while 1 app(s) in otel mode have rebuildImage: true (shop/legacy)');
    });

    it("fails naming the file, the app and the field when the inventory is invalid", async () => {
        const broken = path.join(dir, "broken.yaml");
        fs.writeFileSync(broken, "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/cart: {container: Cart}\n");
        await expect(runUnderMocks({ ...config({}), "skyshift:inventory": broken })).rejects.toThrow(
            `invalid skyshift stack config (1 problem):\n  - ${broken}: apps["shop/cart"].container: must be a container name — lowercase letters, digits and '-'`);
    });
});

describe("Pulumi.yaml", () => {
    /** Config keys whose value is not an object. */
    const DECLARED_TYPES: Record<string, string> = { selectors: "array", inventory: "string" };

    it("declares every skyshift config key, and only those, with a type and a description", () => {
        const project = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { name: string; config: Record<string, { type?: string; description?: string }> };
        expect(project.name).toBe("skyshift");
        expect(Object.keys(project.config).sort()).toEqual(Object.keys(stackSchema.shape).sort());
        for (const [key, declaration] of Object.entries(project.config)) {
            expect([key, declaration.type]).toEqual([key, DECLARED_TYPES[key] ?? "object"]);
            expect(declaration.description?.length ?? 0).toBeGreaterThan(20);
        }
    });
});
