/**
 * Decodes OTLP/HTTP protobuf trace exports (ExportTraceServiceRequest) with protobufjs and the .proto files
 * that steps/agents.sh takes from Maven Central's io.opentelemetry.proto:opentelemetry-proto jar (none are
 * kept in this repository).
 */
import * as path from "node:path";
import * as protobuf from "protobufjs";

/** One decoded span with its resource's attributes, IDs as lowercase hex as Jaeger shows them. */
export interface OtlpSpan {
    readonly traceId: string;
    readonly spanId: string;
    readonly name: string;
    readonly resource: Readonly<Record<string, string>>;
}

const REQUEST = "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest";

interface AnyValue { stringValue?: string; intValue?: string; boolValue?: boolean; doubleValue?: number }
interface Decoded {
    resourceSpans?: Array<{
        resource?: { attributes?: Array<{ key: string; value?: AnyValue }> };
        scopeSpans?: Array<{ spans?: Array<{ traceId: Uint8Array; spanId: Uint8Array; name: string }> }>;
    }>;
}

/** A decoder over the .proto files in `protoDir` (it holds `opentelemetry/proto/...`). */
export function otlpTraceDecoder(protoDir: string): (body: Uint8Array) => OtlpSpan[] {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => path.join(protoDir, target);
    root.loadSync("opentelemetry/proto/collector/trace/v1/trace_service.proto", { keepCase: false });
    const type = root.lookupType(REQUEST);
    const value = (v?: AnyValue) => String(v?.stringValue ?? v?.intValue ?? v?.boolValue ?? v?.doubleValue ?? "");
    const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
    return (body) => {
        const request = type.toObject(type.decode(body), { longs: String, defaults: false }) as Decoded;
        return (request.resourceSpans ?? []).flatMap((rs) => {
            const resource = Object.fromEntries((rs.resource?.attributes ?? []).map((a) => [a.key, value(a.value)]));
            return (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => ({ traceId: hex(s.traceId), spanId: hex(s.spanId), name: s.name, resource })));
        });
    };
}
