/**
 * What SkyWalking looks like in a workload spec (brief §4.6, seeds 002/003). Detection reads these; nothing
 * here is written anywhere. Names that people extend per fleet (JVM option variables, sidecars) are defaults
 * the discover command lets them add to.
 */

/** Env vars the JVM (or a start script) reads options from; a `-javaagent:` in any of them loads the agent. */
export const DEFAULT_JVM_OPTION_ENV_NAMES: readonly string[] = [
    "JAVA_TOOL_OPTIONS",
    "JDK_JAVA_OPTIONS",
    "JAVA_OPTS",
    "CATALINA_OPTS",
    "JVM_OPTS",
];

/** Containers that are never the app: service-mesh proxies, log shippers, collectors (seed 000 skips istio and log collection). */
export const DEFAULT_SIDECAR_NAMES: readonly string[] = [
    "istio-proxy",
    "linkerd-proxy",
    "envoy",
    "fluent-bit",
    "fluentbit",
    "fluentd",
    "filebeat",
    "promtail",
    "vector",
    "jaeger-agent",
    "otc-container",
];

/** `-javaagent:<path>[=options]` whose path mentions skywalking (`/skywalking/agent/skywalking-agent.jar`, `/sky/agent/…`). */
export const SKYWALKING_JAVAAGENT = /-javaagent:["']?([^\s"'=]*(?:skywalking|\/sky\/agent\/)[^\s"'=]*\.jar)(?:=([^\s"']*))?/gi;

/** `-Dskywalking.<key>=<value>`, value optionally quoted. */
export const SKYWALKING_PROPERTY = /-Dskywalking\.([A-Za-z0-9_.]+)=(?:"([^"]*)"|'([^']*)'|([^\s"']*))/g;

/** Any `-javaagent:<path>`, to notice agents whose path does not say what they are. */
export const ANY_JAVAAGENT = /-javaagent:["']?([^\s"'=]+)/g;

/** Agents that are known not to trace (metrics exporters, JMX bridges): never mistaken for a renamed SkyWalking. */
export const NON_TRACING_JAVAAGENT = /jmx_prometheus|jmx-exporter|jolokia/i;

/** The OpenTelemetry Java agent, in case a container already loads it (or the operator injected it). */
export const OTEL_JAVAAGENT = /-javaagent:["']?[^\s"']*(?:opentelemetry-javaagent[^\s"']*\.jar|otel-auto-instrumentation[^\s"']*)/i;

/** Python's launcher: `sw-python run [-p] <cmd>`, also inside `sh -c "…"`. */
export const SW_PYTHON_RUN = /(?:^|[\s/;&|])sw-python\s+run\b/;

/** The Node.js agent package, loaded with `--require skywalking-backend-js` or from code. */
export const SKYWALKING_NODE_PACKAGE = /skywalking-backend-js/;

/** SkyWalking reads its own `SW_*` variables (agent, collector, logging, plugins, gRPC log reporter). */
export const SKYWALKING_ENV_PREFIX = "SW_";

/** SWCK (SkyWalking Cloud on Kubernetes) injects the agent at pod creation when the pod template carries this label; shared with the flip. */
export { SWCK_INJECT_LABEL } from "../constants";
/** SWCK's injector initContainer, seen when a pod spec was copied back into a workload. */
export const SWCK_INIT_CONTAINER = "inject-skywalking-agent";
/** SWCK configures the injection through annotations in these domains (`sidecar.skywalking.apache.org/…`, `agent.skywalking.apache.org/…`). */
export const SWCK_ANNOTATION_DOMAIN = /(^|\.)skywalking\.apache\.org\//;
/** SWCK's annotation naming the container to inject (default: the first). */
export const SWCK_CONTAINER_ANNOTATION = "strategy.skywalking.apache.org/inject.Container";
/** SWCK's annotation overriding the agent's service name. */
export const SWCK_SERVICE_NAME_ANNOTATION = "agent.skywalking.apache.org/agent.service_name";

/** The SkyWalking settings skyshift keeps as OTel resource identity, by where they are spelled. */
export const IDENTITY_KEYS = {
    serviceName: { option: "agent.service_name", env: ["SW_AGENT_NAME"] },
    instanceName: { option: "agent.instance_name", env: ["SW_AGENT_INSTANCE_NAME", "SW_AGENT_INSTANCENAME"] },
    serviceNamespace: { option: "agent.namespace", env: ["SW_AGENT_NAMESPACE"] },
} as const;
export type IdentityField = keyof typeof IDENTITY_KEYS;
