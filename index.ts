// Composition root: validated stack config in, components out, stack outputs exported.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CertManager, Collector, Instrumentation, MANAGED_BY_LABELS, OtelOperator, readOperatorManifest } from "./components";
import { readSw8PropagatorJar, sw8PropagatorExtension } from "./components/instrumentation";
import { deepflowAgentGroup } from "./components/deepflow";
import { imageRebuilds } from "./components/image-rebuild";
import { migrateApps } from "./components/migration";
import { ConfigError, loadStackConfig } from "./config";

/** Stack config holds settings and mode decisions; the stack's inventory file holds what discovery learned. */
function loadConfig() {
    try {
        return loadStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());
    } catch (error) {
        // RunError prints the message alone: the list of problems is the whole story, a stack trace is noise.
        if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
}

const { config, warnings } = loadConfig();
for (const warning of warnings) pulumi.log.warn(`${warning.path}: ${warning.message}`);
const { platform } = config;
// Read before any resource is declared: a manifest path without YAML stops the update with nothing touched.
const operatorManifest = readOperatorManifest(platform.operator);
const sw8Jar = readSw8PropagatorJar(config.instrumentation.java.sw8Propagator);

const namespace = platform.createNamespace
    ? new k8s.core.v1.Namespace("observability", { metadata: { name: platform.namespace, labels: { ...MANAGED_BY_LABELS } } }).metadata.name
    : pulumi.output(platform.namespace);

const certManager = new CertManager("cert-manager", platform.certManager);
const operator = new OtelOperator("otel-operator", { operator: platform.operator, manifestFiles: operatorManifest, certManager: certManager.ready });
// The agent group accepts OTel data before the collector starts sending it.
const deepflow = deepflowAgentGroup(config);

const collector = new Collector("collector", {
    namespace,
    collector: config.collector,
    deepflow: config.deepflow,
    operator: operator.ready,
}, { dependsOn: deepflow ? [deepflow] : [] });
const instrumentation = new Instrumentation("instrumentation", {
    namespace,
    instrumentation: config.instrumentation,
    sw8Extension: sw8PropagatorExtension(config, sw8Jar),
    otlpGrpcEndpoint: collector.otlpGrpcEndpoint,
    otlpHttpEndpoint: collector.otlpHttpEndpoint,
    operator: operator.ready,
});

const images = imageRebuilds(config);
// Workload patches and health gates reach the cluster the Kubernetes provider writes to: its kubeconfig (else
// $KUBECONFIG) and its context (else the kubeconfig's current one).
const kubernetes = new pulumi.Config("kubernetes");
const migration = migrateApps(config, instrumentation.ref, { images, kubeconfig: kubernetes.get("kubeconfig"), kubeContext: kubernetes.get("context") });

export const collectorOtlpGrpcEndpoint = collector.otlpGrpcEndpoint;
export const collectorOtlpHttpEndpoint = collector.otlpHttpEndpoint;
/** Where `bridge` apps' SkyWalking agents report (`host:port`), or null while `collector.skywalkingReceiver` is unset. */
export const collectorSkywalkingGrpcAddress = collector.skywalkingGrpcAddress ?? null;
export const instrumentationRef = instrumentation.ref;
/** The agent group's `g-…` id, or null when `deepflow.server` is unset and DeepFlow's config is left alone. */
export const deepflowAgentGroupId = deepflow?.groupShortUuid ?? null;
export const rebuiltImages = images;
/** Every app's mode in this update (the wave limit keeps its own record in the Wave resource). */
export const appModes = migration.appModes;
