/**
 * The lab's one address substitution. Lab processes (the collector, Jaeger, apps started by the runner) all share
 * the host's network, where a Service DNS name such as `jaeger-collector.tracing.svc.cluster.local` does not
 * resolve and a listener on `0.0.0.0` would expose the lab to the network. So, and only in endpoint values:
 *
 * - `<service>.<namespace>[.svc[.cluster.local]]:<port>` becomes the `127.0.0.1:<port>` the lab serves that
 *   Service port on (a table, {@link LabService}); an unknown Service is an error, never passed through;
 * - a listener on `0.0.0.0:<port>` becomes `127.0.0.1:<port>`.
 *
 * Scheme and path are kept. In a pod's env it applies to OTLP endpoint vars and to the SkyWalking agents' backend
 * address list (bridge mode points that at the collector's skywalking receiver). Everything else in the
 * collector config and the pod env is used as the program, the operator and the pod's author wrote it.
 */

/** One Service port the lab serves on 127.0.0.1. */
export interface LabService {
    readonly service: string;
    readonly namespace: string;
    /** The Service port the config names. */
    readonly port: number;
    /** Where the lab serves it on 127.0.0.1. */
    readonly labPort: number;
}

const ENDPOINT = /^(?<scheme>[a-z][a-z0-9+.-]*:\/\/)?(?<host>[^/:\s]+)(?::(?<port>\d+))?(?<path>\/.*)?$/i;
const SERVICE_HOST = /^(?<service>[a-z0-9]([-a-z0-9]*[a-z0-9])?)\.(?<namespace>[a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc(\.cluster\.local)?)?\.?$/;
const SCHEME_PORTS: Readonly<Record<string, number>> = { "http://": 80, "https://": 443 };
const LOOPBACK = "127.0.0.1";

/**
 * The lab address of one endpoint value (`host:port`, `http://host[:port]/path`).
 * @throws naming the endpoint when it is a Service the table lacks, or a Service without a port or scheme.
 */
export function labEndpoint(endpoint: string, services: readonly LabService[]): string {
    const match = ENDPOINT.exec(endpoint.trim());
    if (!match?.groups) throw new Error(`"${endpoint}" is not an endpoint (host:port or scheme://host[:port][/path])`);
    const { scheme = "", host, port, path = "" } = match.groups;
    if (host === "0.0.0.0") return `${scheme}${LOOPBACK}${port ? `:${port}` : ""}${path}`;
    const name = SERVICE_HOST.exec(host)?.groups;
    if (!name) return endpoint; // an IP address or a name the host resolves
    const servicePort = port ? Number(port) : SCHEME_PORTS[scheme.toLowerCase()];
    if (servicePort === undefined) throw new Error(`"${endpoint}" names Service ${host} without a port or an http(s) scheme`);
    const entry = services.find((s) => s.service === name.service && s.namespace === name.namespace && s.port === servicePort);
    if (!entry) {
        const known = services.map((s) => `${s.service}.${s.namespace}:${s.port}`).join(", ") || "none";
        throw new Error(`"${endpoint}": the lab serves no Service ${name.service}.${name.namespace} port ${servicePort} (it serves: ${known})`);
    }
    return `${scheme}${LOOPBACK}:${entry.labPort}${path}`;
}

/** Keys whose string values are endpoints in an OpenTelemetry Collector config (receivers' and exporters'). */
const ENDPOINT_KEYS = new Set(["endpoint", "traces_endpoint", "metrics_endpoint", "logs_endpoint"]);

/** A deep copy of a collector config with every endpoint value replaced by {@link labEndpoint}; the rest untouched. */
export function labCollectorConfig<T>(config: T, services: readonly LabService[]): T {
    const visit = (value: unknown, key?: string): unknown => {
        if (typeof value === "string" && key !== undefined && ENDPOINT_KEYS.has(key)) return labEndpoint(value, services);
        if (Array.isArray(value)) return value.map((item) => visit(item));
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, k)]));
        }
        return value;
    };
    return visit(config) as T;
}

/** Env vars whose values are OTLP endpoints (the OpenTelemetry SDK environment variable specification). */
const OTLP_ENDPOINT_ENV = /^OTEL_EXPORTER_OTLP_([A-Z]+_)?ENDPOINT$/;
/**
 * The SkyWalking agents' backend address (Java agent `collector.backend_service`, Python agent
 * `agent_collector_backend_services`): `host:port`, or for the Java agent a comma-separated list of them.
 */
const SKYWALKING_BACKEND_ENV = "SW_AGENT_COLLECTOR_BACKEND_SERVICES";

/**
 * The lab value of one pod env var: {@link labEndpoint} on an OTLP endpoint var and on each address of the SkyWalking
 * backend var, else the value as written. A SkyWalking backend the lab does not serve (the OAP a `skywalking` or
 * `otel` pod still names: the otel flip leaves `SW_*` env alone) stays as written, where it does not resolve, as for a
 * pod whose OAP is gone; an OTLP endpoint the lab does not serve is an error.
 */
export function labEnvValue(name: string, value: string, services: readonly LabService[]): string {
    if (OTLP_ENDPOINT_ENV.test(name)) return labEndpoint(value, services);
    if (name !== SKYWALKING_BACKEND_ENV) return value;
    return value.split(",").map((address) => {
        try {
            return labEndpoint(address.trim(), services);
        } catch {
            return address.trim();
        }
    }).join(",");
}
