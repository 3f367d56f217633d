/**
 * The program itself (index.ts, Pulumi.dev.yaml's config) on the lab: the operator's real CRDs validate our
 * OpenTelemetryCollector and Instrumentation; preview, up, refresh and destroy run on the real engine; the
 * real OpenTelemetry Operator that `lab:up` runs injects the Java agent into pods through our Instrumentation.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { applyManifest, createStack, KubeObject, kubectl, LabStack, readObject, REPO_ROOT, waitFor, waitForNamespaceGone } from "./harness";

const devConfig = (YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
const NS = "observability";
const COLLECTOR_ENDPOINT = "http://otel-collector.observability.svc.cluster.local";
/** A workload namespace of its own for the injection case. */
const APP_NS = "injection-shop";

type EnvVar = { name: string; value?: string; valueFrom?: unknown };
type Pod = KubeObject & {
    metadata: { name: string; annotations?: Record<string, string> };
    spec: { initContainers?: Array<{ name: string; image: string; command?: string[] }>; containers: Array<{ name: string; env?: EnvVar[] }> };
};

/** Objects the cluster had before skyshift, which destroy must leave alone: one per kind skyshift creates. */
const BYSTANDERS = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "bystander" } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "otel-collector-sa", namespace: "bystander" } },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "bystander-reader" }, rules: [] },
];

/** Cluster-scoped names skyshift's dev stack creates, by kind. */
async function names(kind: string): Promise<string[]> {
    return (await kubectl(["get", kind, "-o", "name"])).split("\n").filter(Boolean).sort();
}

/** The collector's ClusterRole is auto-named (`collector-k8sattributes-<suffix>`); skyshift labels what it creates. */
async function managedClusterRoles(): Promise<Array<{ rules: unknown[] }>> {
    return JSON.parse(await kubectl(["get", "clusterroles", "-l", "app.kubernetes.io/managed-by=skyshift", "-o", "json"])).items;
}

describe("the dev stack on the lab", () => {
    let stack: LabStack;
    const before: Record<string, string[]> = {};

    beforeAll(async () => {
        // An earlier, interrupted run may have left the namespace terminating.
        await waitForNamespaceGone(NS, 120_000);
        await applyManifest(BYSTANDERS);
        // The injection case's workload namespace exists before skyshift, like any application's.
        await waitForNamespaceGone(APP_NS, 120_000);
        await applyManifest({ apiVersion: "v1", kind: "Namespace", metadata: { name: APP_NS } });
        // Other test files delete their namespaces without waiting: let those go before taking the snapshot.
        await waitFor(async () => !JSON.parse(await kubectl(["get", "namespaces", "-o", "json"])).items
            .some((ns: { status?: { phase?: string } }) => ns.status?.phase === "Terminating"), 180_000, "no namespace terminating");
        for (const kind of ["namespaces", "clusterroles", "clusterrolebindings", "customresourcedefinitions"]) before[kind] = await names(kind);
        stack = await createStack("dev", devConfig);
    });

    afterAll(async () => {
        await kubectl(["delete", "namespace", APP_NS, "--ignore-not-found", "--wait=false"]);
        await kubectl(["delete", "namespace", "bystander", "--ignore-not-found", "--wait=false"]);
        await kubectl(["delete", "clusterrole", "bystander-reader", "--ignore-not-found"]);
    });

    it("1. up creates the collector and the Instrumentation the unit tests expect, accepted by the operator's CRD schemas", async () => {
        const result = await stack.up();
        expect(result.summary.result).toBe("succeeded");
        expect(result.outputs.instrumentationRef.value).toBe(`${NS}/skyshift`);
        expect(result.outputs.collectorOtlpGrpcEndpoint.value).toBe(`${COLLECTOR_ENDPOINT}:4317`);

        const collector = await readObject<any>("opentelemetry.io/v1beta1", "OpenTelemetryCollector", NS, "otel");
        expect(collector?.spec).toMatchObject({ mode: "daemonset", serviceAccount: "otel-collector-sa" });
        const { config } = collector.spec;
        expect(config.receivers.otlp.protocols.http).toEqual({ endpoint: "0.0.0.0:4318", cors: { allowed_origins: ["http://localhost:3000"] } });
        expect(config.processors.memory_limiter).toEqual({ check_interval: "1s", limit_percentage: 75, spike_limit_percentage: 15 });
        expect(config.exporters["otlp/jaeger"]).toEqual({ endpoint: "jaeger-collector.tracing.svc.cluster.local:4317", tls: { insecure: true } });
        expect(config.exporters["otlphttp/deepflow"]).toMatchObject({ traces_endpoint: "http://deepflow-agent.deepflow/api/v1/otel/trace" });
        expect(config.service.pipelines.traces.exporters).toEqual(["otlp/jaeger", "otlphttp/deepflow", "debug"]);
        expect(config.service.pipelines.traces.processors).toEqual(["memory_limiter", "k8sattributes", "resource/app-host-ip", "batch"]);

        const instrumentation = await readObject<any>("opentelemetry.io/v1alpha1", "Instrumentation", NS, "skyshift");
        expect(instrumentation?.spec).toMatchObject({
            exporter: { endpoint: `${COLLECTOR_ENDPOINT}:4318` },
            propagators: ["tracecontext", "baggage", "b3"],
            sampler: { type: "parentbased_traceidratio", argument: "1" },
            python: { env: [{ name: "OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED", value: "true" }] },
        });

        const roles = await managedClusterRoles();
        expect(roles).toHaveLength(1);
        expect(roles[0].rules).toEqual([
            { apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] },
            { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
        ]);
    });

    it("1b. the operator injects the Java agent through the stack's Instrumentation into new pods of an annotated Deployment", async () => {
        const ref = (await stack.outputs()).instrumentationRef.value as string;
        await applyManifest({
            apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "checkout", namespace: APP_NS },
            spec: {
                replicas: 2,
                selector: { matchLabels: { app: "checkout" } },
                template: {
                    metadata: { labels: { app: "checkout" }, annotations: { "instrumentation.opentelemetry.io/inject-java": ref } },
                    spec: { containers: [{ name: "checkout", image: "registry.lab/shop/checkout:1.0", env: [{ name: "JAVA_TOOL_OPTIONS", value: "-Xmx256m" }] }] },
                },
            },
        });
        const pods = await waitFor(async () => {
            const list = JSON.parse(await kubectl(["get", "pods", "-n", APP_NS, "-l", "app=checkout", "-o", "json"])).items as Pod[];
            return list.length === 2 ? list : undefined;
        }, 120_000, "2 checkout pods");
        for (const pod of pods) {
            expect(pod.spec.initContainers).toHaveLength(1);
            expect(pod.spec.initContainers![0]).toMatchObject({
                name: "opentelemetry-auto-instrumentation-java",
                image: expect.stringMatching(/^ghcr\.io\/open-telemetry\/opentelemetry-operator\/autoinstrumentation-java:\d+\.\d+\.\d+$/),
                command: ["cp", "/javaagent.jar", "/otel-auto-instrumentation-java/javaagent.jar"],
            });
            const env = Object.fromEntries((pod.spec.containers[0].env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
            // Appended to the container's own plain JAVA_TOOL_OPTIONS, as upstream documents.
            expect(env.JAVA_TOOL_OPTIONS).toMatch(/^-Xmx256m -javaagent:\/otel-auto-instrumentation-java[a-z-]*\/javaagent\.jar$/);
            expect(env).toMatchObject({
                OTEL_SERVICE_NAME: "checkout",
                OTEL_EXPORTER_OTLP_ENDPOINT: `${COLLECTOR_ENDPOINT}:4318`,
                OTEL_PROPAGATORS: "tracecontext,baggage,b3",
                OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
                OTEL_TRACES_SAMPLER_ARG: "1",
            });
            expect((env.OTEL_RESOURCE_ATTRIBUTES as string).split(",")).toEqual(expect.arrayContaining([
                "deployment.environment=dev", "k8s.deployment.name=checkout", `k8s.namespace.name=${APP_NS}`]));
        }
        // kwok still rolls the injected pods to Ready.
        await waitFor(async () => (await readObject<any>("apps/v1", "Deployment", APP_NS, "checkout"))?.status?.readyReplicas === 2, 120_000, "checkout 2/2 Ready");
    });

    it("2. a second preview expects no changes and refresh finds no drift", async () => {
        const { changes } = await stack.preview(true);
        expect(Object.keys(changes)).toEqual(["same"]);
        // Nothing reads the stack's own outputs (the wave limit keeps its record in the Wave resource), so the
        // first refresh after the update is clean.
        await stack.refresh(true);
    });

    it("3. a config error is reported with the exact message and nothing is created", async () => {
        const broken = await createStack("broken", {
            ...devConfig,
            "skyshift:platform": { namespace: "broken-observability", certManager: { install: false }, operator: { source: "existing" } },
            "skyshift:collector": { exporters: [{ name: "jaeger", kind: "otlp", endpoint: "jaeger-collector.tracing:14250" }] },
        });
        // up, not just preview: even an update must stop before it touches the cluster.
        const failure = await broken.up().then(() => "", (error: Error) => error.message);
        // The engine indents diagnostics; the message's own lines follow one another unchanged.
        expect(failure).toMatch(new RegExp([
            "error: invalid skyshift stack config \\(1 problem\\):",
            " *- collector\\.exporters\\[0\\]\\.endpoint: port 14250 is Jaeger's legacy gRPC, not OTLP — point it at Jaeger's OTLP port 4317 \\(gRPC\\) or 4318 \\(kind: otlphttp\\)",
        ].join("\n")));
        expect(await readObject("v1", "Namespace", undefined, "broken-observability")).toBeUndefined();
        const state = await broken.stack.exportStack();
        // Only the stack itself, which the engine records before the program runs.
        expect((state.deployment.resources ?? []).map((r: { type: string }) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });

    it("4. destroy removes everything skyshift created and nothing else", async () => {
        await stack.destroy();
        await waitForNamespaceGone(NS, 120_000);
        expect(await managedClusterRoles()).toEqual([]);
        for (const kind of Object.keys(before)) expect([kind, await names(kind)]).toEqual([kind, before[kind]]);
        expect(await readObject("v1", "ServiceAccount", "bystander", "otel-collector-sa")).toBeDefined();
    });
});
