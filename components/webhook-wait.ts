import * as pulumi from "@pulumi/pulumi";
import { PULUMI_WAIT_FOR } from "./constants";

const WEBHOOK_TYPES = [
    "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration",
    "kubernetes:admissionregistration.k8s.io/v1:ValidatingWebhookConfiguration",
];

/** Waits until cert-manager's CA injector has filled every webhook's caBundle (pulumi-kubernetes-cert-manager#18). */
export const CA_BUNDLE_READY = "jsonpath={.webhooks[*].clientConfig.caBundle}";

/**
 * A resource transform for Helm charts whose webhooks get their CA bundle injected after creation: without it,
 * dependents race the injector and the first `up` fails with x509 errors.
 */
export function waitForWebhookCaBundle(args: pulumi.ResourceTransformArgs): pulumi.ResourceTransformResult | undefined {
    if (!WEBHOOK_TYPES.includes(args.type)) return undefined;
    const props = args.props as { metadata?: { annotations?: Record<string, string> } };
    const metadata = props.metadata ?? {};
    return {
        props: { ...args.props, metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), [PULUMI_WAIT_FOR]: CA_BUNDLE_READY } } },
        opts: args.opts,
    };
}
