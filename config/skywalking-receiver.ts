import { z } from "zod";
import { COLLECTOR_METRICS_PORT, OTLP_GRPC_PORT, OTLP_HTTP_PORT, SKYWALKING_GRPC_PORT, SKYWALKING_HTTP_PORT } from "./endpoint";

/** Ports the collector pod already listens on: a receiver port equal to one of them cannot bind. */
const TAKEN_PORTS: ReadonlyMap<number, string> = new Map([
    [OTLP_GRPC_PORT, "the OTLP/gRPC receiver's"],
    [OTLP_HTTP_PORT, "the OTLP/HTTP receiver's"],
    [COLLECTOR_METRICS_PORT, "the collector's own metrics port"],
]);

const port = (fallback: number, protocol: string) => z.int().min(1).max(65535).default(fallback)
    .describe(`The ${protocol} port the receiver listens on (on all pod addresses) and the collector Service exposes.`);

/**
 * `collector.skywalkingReceiver`: the contrib `skywalking` receiver, so SkyWalking agents of apps in `bridge`
 * mode report into the same pipeline as the OpenTelemetry apps. Present means on.
 */
export const skywalkingReceiverSchema = z.strictObject({
    grpcPort: port(SKYWALKING_GRPC_PORT, "gRPC"),
    httpPort: port(SKYWALKING_HTTP_PORT, "HTTP"),
}).superRefine((receiver, ctx) => {
    for (const key of ["grpcPort", "httpPort"] as const) {
        const owner = TAKEN_PORTS.get(receiver[key]);
        if (owner) {
            ctx.addIssue({ code: "custom", path: [key], message: `${receiver[key]} is ${owner} — pick another port, e.g. the default ${key === "grpcPort" ? SKYWALKING_GRPC_PORT : SKYWALKING_HTTP_PORT}` });
        }
    }
    if (receiver.grpcPort === receiver.httpPort) {
        ctx.addIssue({ code: "custom", path: ["httpPort"], message: `${receiver.httpPort} is also grpcPort — gRPC and HTTP need two ports, e.g. ${SKYWALKING_GRPC_PORT} and ${SKYWALKING_HTTP_PORT}` });
    }
}).describe(
    "The collector's `skywalking` receiver (traces pipeline) for apps in `bridge` mode; present means on, `{}` takes the " +
    "default ports. It exists only in contrib-style collector images (`otelcol-contrib`), not in `otelcol-k8s` nor core " +
    "`otelcol`: set `collector.image` to one that has it.")
    .meta({ examples: [{}, { grpcPort: 11800, httpPort: 12800 }] });

export type SkywalkingReceiverConfig = z.output<typeof skywalkingReceiverSchema>;

/**
 * The receiver's in-cluster gRPC address as SkyWalking agents write a backend: `host:port`, no scheme
 * (`collector.backend_service` in the Java agent's agent.config). `<service>.<namespace>` resolves in any pod with
 * the default ClusterFirst DNS policy, whatever the cluster's domain.
 */
export function skywalkingReceiverAddress(collectorName: string, namespace: string, receiver: SkywalkingReceiverConfig): string {
    return `${collectorName}-collector.${namespace}:${receiver.grpcPort}`;
}
