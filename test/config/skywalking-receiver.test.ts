import { ConfigError, parseStackConfig, skywalkingReceiverAddress } from "../../config";

const contrib = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.140.1";
const jaeger = { name: "jaeger", kind: "otlp", endpoint: "jaeger-collector.tracing:4317" };

function problemsOf(skywalkingReceiver: unknown, exporters: unknown[] = [jaeger]): readonly string[] {
    try {
        parseStackConfig({ collector: { image: contrib, skywalkingReceiver, exporters } });
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    return [];
}

describe("collector.skywalkingReceiver", () => {
    it("is off when unset and takes the SkyWalking OAP's ports when present", () => {
        expect(parseStackConfig({ collector: { exporters: [jaeger] } }).config.collector.skywalkingReceiver).toBeUndefined();
        expect(parseStackConfig({ collector: { image: contrib, skywalkingReceiver: {}, exporters: [jaeger] } }).config.collector.skywalkingReceiver)
            .toEqual({ grpcPort: 11800, httpPort: 12800 });
    });

    test.each<[string, unknown, unknown[], string[]]>([
        ["the OTLP/gRPC port", { grpcPort: 4317 }, [jaeger],
            ["collector.skywalkingReceiver.grpcPort: 4317 is the OTLP/gRPC receiver's — pick another port, e.g. the default 11800"]],
        ["the OTLP/HTTP port", { httpPort: 4318 }, [jaeger],
            ["collector.skywalkingReceiver.httpPort: 4318 is the OTLP/HTTP receiver's — pick another port, e.g. the default 12800"]],
        ["the collector's metrics port", { grpcPort: 8888 }, [jaeger],
            ["collector.skywalkingReceiver.grpcPort: 8888 is the collector's own metrics port — pick another port, e.g. the default 11800"]],
        ["one port for both protocols", { grpcPort: 11800, httpPort: 11800 }, [jaeger],
            ["collector.skywalkingReceiver.httpPort: 11800 is also grpcPort — gRPC and HTTP need two ports, e.g. 11800 and 12800"]],
        ["a port out of range", { grpcPort: 70000 }, [jaeger],
            ["collector.skywalkingReceiver.grpcPort: 70000 is too big — use a value of at most 65535"]],
        ["an unknown key", { tls: true }, [jaeger],
            ['collector.skywalkingReceiver.tls: unknown key — known keys here: grpcPort, httpPort']],
        ["no exporter taking traces", {}, [{ name: "debug", kind: "debug", signals: ["logs"] }],
            ["collector.skywalkingReceiver: feeds the traces pipeline, but no exporter takes traces — add traces to an exporter's signals or remove skywalkingReceiver"]],
    ])("rejects %s, naming the key and the fix", (_name, receiver, exporters, expected) => {
        expect(problemsOf(receiver, exporters)).toEqual(expected);
    });

    it("is reached at <collector>-collector.<namespace>:<grpcPort>, the host:port form SkyWalking agents read", () => {
        expect(skywalkingReceiverAddress("otel", "observability", { grpcPort: 11800, httpPort: 12800 })).toBe("otel-collector.observability:11800");
        expect(skywalkingReceiverAddress("gw", "obs", { grpcPort: 21800, httpPort: 12800 })).toBe("gw-collector.obs:21800");
    });
});
