import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { InstrumentationConfig } from "../../config";
import { MANAGED_BY_LABELS, TYPE_PREFIX } from "../constants";
import type { ExtensionImage } from "../image-rebuild/dockerfile";
import { instrumentationSpec } from "./instrumentation-spec";

export interface InstrumentationArgs {
    /** Namespace of the Instrumentation; pods in any namespace reference it as `namespace/name`. */
    readonly namespace: pulumi.Input<string>;
    /** The validated `instrumentation` section of stack config. */
    readonly instrumentation: InstrumentationConfig;
    /** The collector's endpoints, used unless `instrumentation.endpoint` is set. */
    readonly otlpGrpcEndpoint: pulumi.Input<string>;
    readonly otlpHttpEndpoint: pulumi.Input<string>;
    /** The sw8 propagator's extension image (Sw8ExtensionImage), when instrumentation.java.sw8Propagator is on. */
    readonly sw8Extension?: pulumi.Input<ExtensionImage>;
    /** What must be ready before the CR is created: the operator, whose webhook rejects CRs until it answers. */
    readonly operator?: pulumi.Input<pulumi.Resource>[];
}

/** The operator's `Instrumentation` (v1alpha1): what it injects into pods annotated for auto-instrumentation. */
export class Instrumentation extends pulumi.ComponentResource {
    /** `namespace/name`, the value of a pod's `instrumentation.opentelemetry.io/inject-<language>` annotation. */
    public readonly ref: pulumi.Output<string>;
    public readonly resource: k8s.apiextensions.CustomResource;

    constructor(name: string, args: InstrumentationArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${TYPE_PREFIX}:Instrumentation`, name, {}, opts);
        const spec = pulumi.all([args.otlpGrpcEndpoint, args.otlpHttpEndpoint, args.sw8Extension]).apply(([otlpGrpcEndpoint, otlpHttpEndpoint, sw8Extension]) =>
            instrumentationSpec(args.instrumentation, { otlpGrpcEndpoint, otlpHttpEndpoint }, sw8Extension));
        this.resource = new k8s.apiextensions.CustomResource(`${name}-cr`, {
            apiVersion: "opentelemetry.io/v1alpha1",
            kind: "Instrumentation",
            metadata: { name: args.instrumentation.name, namespace: args.namespace, labels: { ...MANAGED_BY_LABELS } },
            spec,
        }, { parent: this, dependsOn: args.operator ?? [] });
        this.ref = pulumi.interpolate`${this.resource.metadata.namespace}/${this.resource.metadata.name}`;
        this.registerOutputs({ ref: this.ref });
    }
}
