import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CollectorConfig, DeepFlowConfig, OTLP_GRPC_PORT, OTLP_HTTP_PORT, skywalkingReceiverAddress } from "../../config";
import { collectorSpec } from "./collector-config";
import { collectorClusterRules } from "./collector-rbac";
import { MANAGED_BY_LABELS, TYPE_PREFIX } from "../constants";

export interface CollectorArgs {
    /** Namespace the collector runs in. */
    readonly namespace: pulumi.Input<string>;
    /** The validated `collector` section of stack config. */
    readonly collector: CollectorConfig;
    /** The validated `deepflow` section; read only when an exporter has `kind: deepflow`. */
    readonly deepflow: DeepFlowConfig;
    /** What must be ready before the CR is created: the operator, whose webhook rejects CRs until it answers. */
    readonly operator?: pulumi.Input<pulumi.Resource>[];
}

/**
 * An `OpenTelemetryCollector` (v1beta1): an agent per node (`daemonset`, the default) or a gateway
 * (`deployment`), with its ServiceAccount and, only when `k8sattributes` runs, a read-only ClusterRole.
 */
export class Collector extends pulumi.ComponentResource {
    /** In-cluster OTLP/gRPC endpoint, `http://<name>-collector.<ns>.svc.cluster.local:4317`. */
    public readonly otlpGrpcEndpoint: pulumi.Output<string>;
    /** In-cluster OTLP/HTTP endpoint, `http://<name>-collector.<ns>.svc.cluster.local:4318`. */
    public readonly otlpHttpEndpoint: pulumi.Output<string>;
    /**
     * In-cluster address of the `skywalking` receiver's gRPC port, `<name>-collector.<ns>:11800`, as SkyWalking
     * agents of `bridge` apps are pointed at it; undefined while `collector.skywalkingReceiver` is unset.
     */
    public readonly skywalkingGrpcAddress: pulumi.Output<string> | undefined;
    public readonly resource: k8s.apiextensions.CustomResource;

    constructor(name: string, args: CollectorArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${TYPE_PREFIX}:Collector`, name, {}, opts);
        const { collector } = args;
        const labels = { ...MANAGED_BY_LABELS };
        const serviceAccountName = `${collector.name}-collector-sa`;
        const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-sa`, {
            metadata: { name: serviceAccountName, namespace: args.namespace, labels },
        }, { parent: this });

        const rules = collectorClusterRules(collector);
        const rbac: pulumi.Resource[] = [];
        if (rules.length > 0) {
            const role = new k8s.rbac.v1.ClusterRole(`${name}-k8sattributes`, { metadata: { labels }, rules }, { parent: this });
            rbac.push(role, new k8s.rbac.v1.ClusterRoleBinding(`${name}-k8sattributes`, {
                metadata: { labels },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role.metadata.name },
                subjects: [{ kind: "ServiceAccount", name: serviceAccountName, namespace: args.namespace }],
            }, { parent: this }));
        }

        this.resource = new k8s.apiextensions.CustomResource(`${name}-cr`, {
            apiVersion: "opentelemetry.io/v1beta1",
            kind: "OpenTelemetryCollector",
            metadata: { name: collector.name, namespace: args.namespace, labels },
            spec: collectorSpec(collector, args.deepflow, serviceAccountName),
        }, { parent: this, dependsOn: [...(args.operator ?? []), serviceAccount, ...rbac] });

        const service = pulumi.interpolate`${collector.name}-collector.${args.namespace}.svc.cluster.local`;
        this.otlpGrpcEndpoint = pulumi.interpolate`http://${service}:${OTLP_GRPC_PORT}`;
        this.otlpHttpEndpoint = pulumi.interpolate`http://${service}:${OTLP_HTTP_PORT}`;
        const receiver = collector.skywalkingReceiver;
        this.skywalkingGrpcAddress = receiver && pulumi.output(args.namespace).apply(ns => skywalkingReceiverAddress(collector.name, ns, receiver));
        this.registerOutputs({ otlpGrpcEndpoint: this.otlpGrpcEndpoint, otlpHttpEndpoint: this.otlpHttpEndpoint, skywalkingGrpcAddress: this.skywalkingGrpcAddress });
    }
}
