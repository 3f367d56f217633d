import {
    CollectorConfig, CollectorMode, DeepFlowConfig, defaultDeepFlowTraceEndpoint, ExporterConfig, ExporterKind, OTLP_GRPC_PORT, OTLP_HTTP_PORT, Signal,
    SkywalkingReceiverConfig,
} from "../../config";

/** The collector's `spec.config` as the v1beta1 CRD wants it: an object, empty components written as `{}`. */
export interface CollectorPipelineConfig {
    receivers: Record<string, unknown>;
    processors: Record<string, unknown>;
    exporters: Record<string, unknown>;
    service: { pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
}

const K8S_ATTRIBUTES = "k8sattributes";
const RESOURCE_PRE = "resource/pre";
const RESOURCE_APP_HOST_IP = "resource/app-host-ip";
const MEMORY_LIMITER = "memory_limiter";
const BATCH = "batch";
const OTLP = "otlp";
const SKYWALKING = "skywalking";

/** The collector component id of an exporter: `<type>/<name>`, `debug` for the debug exporter named `debug`. */
export function exporterId(exporter: ExporterConfig): string {
    const type = exporter.kind === ExporterKind.deepflow ? "otlphttp" : exporter.kind;
    return exporter.name === type ? type : `${type}/${exporter.name}`;
}

export function exporterSignals(exporter: ExporterConfig): readonly Signal[] {
    return exporter.kind === ExporterKind.deepflow ? [Signal.traces] : exporter.signals;
}

/** True when any exporter needs pod metadata (DeepFlow ties spans to pods by `app.host.ip`). */
export function needsK8sAttributes(collector: CollectorConfig): boolean {
    return collector.exporters.some(e => e.kind === ExporterKind.deepflow);
}

/** Builds the whole pipeline config from validated stack config; pure, so tests assert it field by field. */
export function buildCollectorConfig(collector: CollectorConfig, deepflow: DeepFlowConfig): CollectorPipelineConfig {
    const deepflowExporter = collector.exporters.find(e => e.kind === ExporterKind.deepflow);
    const processors: Record<string, unknown> = {
        [MEMORY_LIMITER]: {
            check_interval: collector.memoryLimiter.checkInterval,
            limit_percentage: collector.memoryLimiter.limitPercentage,
            spike_limit_percentage: collector.memoryLimiter.spikeLimitPercentage,
        },
        [BATCH]: { send_batch_size: collector.batch.sendBatchSize, timeout: collector.batch.timeout },
    };
    const tracePrefix: string[] = [];
    if (deepflowExporter?.kind === ExporterKind.deepflow) {
        if (deepflowExporter.behindLoadBalancer) {
            // The peer address is the load balancer's, so associate pods by the SDK's host.name instead
            // (DeepFlow's guide: https://www.deepflow.io/docs/integration/input/tracing/opentelemetry/).
            processors[RESOURCE_PRE] = { attributes: [{ key: "k8s.pod.name", from_attribute: "host.name", action: "insert" }] };
            tracePrefix.push(RESOURCE_PRE);
        }
        processors[K8S_ATTRIBUTES] = k8sAttributesProcessor(collector, deepflowExporter.behindLoadBalancer);
        processors[RESOURCE_APP_HOST_IP] = { attributes: [{ key: "app.host.ip", from_attribute: "k8s.pod.ip", action: "insert" }] };
        tracePrefix.push(K8S_ATTRIBUTES, RESOURCE_APP_HOST_IP);
    }

    const exporters: Record<string, unknown> = {};
    for (const exporter of collector.exporters) exporters[exporterId(exporter)] = exporterSettings(exporter, deepflow);

    const pipelines: CollectorPipelineConfig["service"]["pipelines"] = {};
    for (const signal of [Signal.traces, Signal.metrics, Signal.logs]) {
        const ids = collector.exporters.filter(e => exporterSignals(e).includes(signal)).map(exporterId);
        if (ids.length === 0) continue; // a pipeline without exporters is rejected by the collector
        const middle = signal === Signal.traces ? tracePrefix : [];
        const receivers = signal === Signal.traces && collector.skywalkingReceiver ? [OTLP, SKYWALKING] : [OTLP];
        pipelines[signal] = { receivers, processors: [MEMORY_LIMITER, ...middle, BATCH], exporters: ids };
    }

    const receivers: Record<string, unknown> = { [OTLP]: { protocols: otlpProtocols(collector) } };
    if (collector.skywalkingReceiver) receivers[SKYWALKING] = { protocols: skywalkingProtocols(collector.skywalkingReceiver) };
    return {
        receivers,
        processors,
        exporters,
        service: { pipelines },
    };
}

function otlpProtocols(collector: CollectorConfig): Record<string, unknown> {
    const http: Record<string, unknown> = { endpoint: `0.0.0.0:${OTLP_HTTP_PORT}` };
    if (collector.cors.allowedOrigins.length > 0) http.cors = { allowed_origins: collector.cors.allowedOrigins };
    return { grpc: { endpoint: `0.0.0.0:${OTLP_GRPC_PORT}` }, http };
}

/**
 * Both protocols, on all pod addresses like the OTLP receiver: the receiver's own default is localhost
 * (contrib receiver/skywalkingreceiver factory.go), which no other pod could reach. The operator reads these
 * endpoints to put both ports on the collector Service (opentelemetry-operator
 * internal/components/receivers/helpers.go: ports `skywalking-grpc`, `skywalking-http`), so no `spec.ports`.
 */
function skywalkingProtocols(receiver: SkywalkingReceiverConfig): Record<string, unknown> {
    return { grpc: { endpoint: `0.0.0.0:${receiver.grpcPort}` }, http: { endpoint: `0.0.0.0:${receiver.httpPort}` } };
}

function k8sAttributesProcessor(collector: CollectorConfig, associateByName: boolean): Record<string, unknown> {
    const metadata = ["k8s.pod.name", "k8s.pod.uid", "k8s.pod.ip", "k8s.namespace.name", "k8s.deployment.name"];
    if (collector.k8sAttributes.nodeMetadata) metadata.push("k8s.node.name");
    const byIp = { sources: [{ from: "resource_attribute", name: "k8s.pod.ip" }] };
    const byUid = { sources: [{ from: "resource_attribute", name: "k8s.pod.uid" }] };
    const byConnection = { sources: [{ from: "connection" }] };
    const byName = { sources: [{ from: "resource_attribute", name: "k8s.pod.name" }] };
    // The operator puts k8s.pod.name and k8s.namespace.name into every injected SDK's OTEL_RESOURCE_ATTRIBUTES
    // (opentelemetry-operator internal/instrumentation/sdk.go, createResourceMap), but neither k8s.pod.ip nor
    // (unless resource.addK8sUIDAttributes) k8s.pod.uid. The pair identifies the pod whatever the network path;
    // the connection's peer address does only when nothing between pod and collector rewrites it (SNAT, proxies).
    const byNameAndNamespace = { sources: [
        { from: "resource_attribute", name: "k8s.pod.name" }, { from: "resource_attribute", name: "k8s.namespace.name" }] };
    const byResource = [byIp, byUid, byNameAndNamespace];
    return {
        auth_type: "serviceAccount",
        passthrough: false,
        extract: { metadata },
        pod_association: associateByName ? [byName, ...byResource, byConnection] : [...byResource, byConnection],
    };
}

function exporterSettings(exporter: ExporterConfig, deepflow: DeepFlowConfig): Record<string, unknown> {
    switch (exporter.kind) {
        case ExporterKind.debug:
            return { verbosity: exporter.verbosity };
        case ExporterKind.deepflow:
            return {
                traces_endpoint: exporter.endpoint ?? defaultDeepFlowTraceEndpoint(deepflow),
                encoding: "proto",
                tls: { insecure: true },
                retry_on_failure: { enabled: true },
            };
        case ExporterKind.otlp:
        case ExporterKind.otlphttp: {
            const settings: Record<string, unknown> = { endpoint: exporter.endpoint };
            if (exporter.insecure) settings.tls = { insecure: true };
            if (exporter.headers) settings.headers = exporter.headers;
            return settings;
        }
    }
}

/** The CR's `spec`, pure so tests can compare it whole. */
export function collectorSpec(collector: CollectorConfig, deepflow: DeepFlowConfig, serviceAccount: string): Record<string, unknown> {
    const spec: Record<string, unknown> = {
        mode: collector.mode,
        serviceAccount,
        config: buildCollectorConfig(collector, deepflow),
    };
    if (collector.image) spec.image = collector.image;
    if (collector.mode === CollectorMode.deployment && collector.replicas !== undefined) spec.replicas = collector.replicas;
    return spec;
}
