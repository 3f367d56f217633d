import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { stackSchema } from "../config";
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

describe("the program", () => {
    test.each(stackFiles)("evaluates %s without errors", async file => {
        const run = await runUnderMocks(stackFileConfig(path.join(REPO_ROOT, file)));
        expect(run.ofType(COLLECTOR)).toHaveLength(1);
        expect(run.ofType(INSTRUMENTATION)).toHaveLength(1);
    });

    describe("GIVEN the dev stack (the lab: no Helm)", () => {
        let run: Awaited<ReturnType<typeof runUnderMocks>>;
        beforeAll(async () => { run = await runUnderMocks(stackFileConfig(path.join(REPO_ROOT, "Pulumi.dev.yaml"))); });

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
});

describe("Pulumi.yaml", () => {
    it("declares every skyshift config key, and only those, with a type and a description", () => {
        const project = parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { name: string; config: Record<string, { type?: string; description?: string }> };
        expect(project.name).toBe("skyshift");
        expect(Object.keys(project.config).sort()).toEqual(Object.keys(stackSchema.shape).sort());
        for (const [key, declaration] of Object.entries(project.config)) {
            expect([key, declaration.type]).toEqual([key, "object"]);
            expect(declaration.description?.length ?? 0).toBeGreaterThan(20);
        }
    });
});
