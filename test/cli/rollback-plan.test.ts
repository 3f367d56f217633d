import { failedApps, StateResource } from "../../cli/lib/rollback-plan";
import { appsSchema } from "../../config/apps";

const apps = appsSchema.parse({
    "shop/produce": { mode: "otel" },
    "shop/order-service": { mode: "otel" },
    "shop/search": { mode: "otel" },
    "shop/cart": { mode: "otel" },
    "shop/legacy": { mode: "skywalking" },
});

function patch(key: string, modified: string, initErrors?: string[]): StateResource {
    const [namespace, name] = key.split("/");
    return { urn: `urn:pulumi:prod::skyshift::skyshift:index:AppMigration$kubernetes:apps/v1:DeploymentPatch::${key}-patch`, type: "kubernetes:apps/v1:DeploymentPatch", inputs: { metadata: { namespace, name } }, modified, initErrors };
}

function gate(key: string, modified: string, passed = true): StateResource {
    return { urn: `urn:pulumi:prod::skyshift::skyshift:index:AppMigration$pulumi-nodejs:dynamic:Resource::${key}-gate`, type: "pulumi-nodejs:dynamic:Resource", inputs: { app: key }, outputs: passed ? { app: key, patchHash: "h", checkedPods: 2 } : {}, modified };
}

describe("failedApps", () => {
    test("names otel apps whose gate never passed or passed before their current patch, and why", () => {
        const resources = [
            patch("shop/produce", "2026-11-24T10:00:01.5Z"), gate("shop/produce", "2026-11-24T10:05:00.123456789Z"),
            patch("shop/order-service", "2026-11-24T11:00:00.000000001Z"), gate("shop/order-service", "2026-11-24T10:05:00Z"),
            patch("shop/search", "2026-11-24T11:00:00Z"),
            patch("shop/cart", "2026-11-24T11:00:00Z", ["timed out waiting for the rollout"]), gate("shop/cart", "2026-11-24T10:00:00Z"),
            patch("shop/legacy", "2026-11-24T11:00:00Z"),
        ];
        expect(failedApps(apps, resources)).toEqual({
            keys: ["shop/cart", "shop/order-service", "shop/search"],
            reasons: {
                "shop/cart": "kubernetes:apps/v1:DeploymentPatch failed: timed out waiting for the rollout",
                "shop/order-service": "its pod template changed at 2026-11-24T11:00:00.000000001Z, after its health gate last passed (2026-11-24T10:05:00Z)",
                "shop/search": "its health gate never passed",
            },
        });
    });

    test("a gate without outputs has not passed", () => {
        expect(failedApps(appsSchema.parse({ "shop/produce": { mode: "otel" } }), [patch("shop/produce", "2026-11-24T10:00:00Z"), gate("shop/produce", "2026-11-24T10:01:00Z", false)]))
            .toEqual({ keys: ["shop/produce"], reasons: { "shop/produce": "its health gate never passed" } });
    });
});
