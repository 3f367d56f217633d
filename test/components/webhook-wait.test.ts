import { waitForWebhookCaBundle } from "../../components/webhook-wait";

function transform(type: string, props: Record<string, unknown>) {
    return waitForWebhookCaBundle({ type, name: "w", props, opts: {}, custom: true });
}

describe("waitForWebhookCaBundle", () => {
    it("makes both webhook kinds wait for their CA bundle and keeps their annotations", () => {
        for (const kind of ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]) {
            const result = transform(`kubernetes:admissionregistration.k8s.io/v1:${kind}`, { metadata: { name: "w", annotations: { keep: "me" } }, webhooks: [] });
            expect(result?.props).toEqual({
                metadata: { name: "w", annotations: { keep: "me", "pulumi.com/waitFor": "jsonpath={.webhooks[*].clientConfig.caBundle}" } },
                webhooks: [],
            });
        }
    });

    it("leaves every other kind alone", () => {
        expect(transform("kubernetes:apps/v1:Deployment", { metadata: { name: "d" } })).toBeUndefined();
    });
});
