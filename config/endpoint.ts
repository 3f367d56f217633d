/**
 * The OTLP ports (opentelemetry-proto docs/specification.md: gRPC 4317, HTTP 4318). The collector listens on
 * them and the operator exposes them on its `<name>-collector` Service; validation uses them to catch
 * protocol mix-ups.
 */
export const OTLP_GRPC_PORT = 4317;
export const OTLP_HTTP_PORT = 4318;
/**
 * The collector `skywalking` receiver's ports, the SkyWalking OAP's own (contrib receiver/skywalkingreceiver
 * README.md at v0.140.1: grpc 11800, http 12800). The operator exposes them on the `<name>-collector` Service
 * from the receiver's endpoints (opentelemetry-operator internal/components/receivers/helpers.go, "skywalking").
 */
export const SKYWALKING_GRPC_PORT = 11800;
export const SKYWALKING_HTTP_PORT = 12800;
/**
 * The collector's own metrics port, which the operator always puts on the collector container when the config
 * names none (opentelemetry-operator internal/manifests/collector/container.go): a receiver port must not take it.
 */
export const COLLECTOR_METRICS_PORT = 8888;
/** Jaeger's legacy model.proto gRPC port: not OTLP, a common copy-paste from older Jaeger docs. */
export const JAEGER_LEGACY_GRPC_PORT = 14250;

export interface Endpoint {
    readonly scheme?: "http" | "https";
    readonly host: string;
    readonly port: number;
    readonly path: string;
}

/**
 * Parses `host:port` or `http(s)://host:port/path`. Returns a reason instead of throwing so callers
 * can report every problem at once.
 */
export function parseEndpoint(raw: string): Endpoint | { readonly error: string } {
    const match = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?(\[[0-9a-fA-F:]+\]|[^/:\s]+)(?::(\d+))?(\/\S*)?$/.exec(raw.trim());
    if (!match) return { error: `"${raw}" is not an endpoint — write it as host:port or http://host:port` };
    const [, scheme, host, port, path] = match;
    if (scheme !== undefined && scheme !== "http" && scheme !== "https") {
        return { error: `scheme "${scheme}" is not supported — use http:// or https://` };
    }
    if (port === undefined) {
        return { error: `"${raw}" has no port — add one, e.g. ${scheme ? `${scheme}://` : ""}${host}:${OTLP_GRPC_PORT}` };
    }
    const portNumber = Number(port);
    if (portNumber < 1 || portNumber > 65535) return { error: `port ${port} is out of range — use 1–65535` };
    return { scheme: scheme as Endpoint["scheme"], host, port: portNumber, path: path ?? "" };
}
