import { failedApps, modesAt, planRestore, StateResource, UpdateRecord } from "../../../cli/lib/rollback-plan";
import { AppsConfig, appSchema } from "../../../config/apps";

const appsWith = (modes: Record<string, string>): AppsConfig => Object.fromEntries(Object.entries(modes).map(([key, mode]) => [key, appSchema.parse({ mode })]));

/** The stack file now: the failed update's flips are still otel; shop/late was flipped after it, not applied yet. */
const apps = appsWith({
    "shop/produce": "otel",
    "shop/order-service": "otel",
    "shop/search": "otel",
    "shop/cart": "otel",
    "shop/late": "otel",
    "shop/legacy": "skywalking",
});

function update(startTime: string, result: string, modes: Record<string, string>): UpdateRecord {
    const value = Object.fromEntries(Object.entries(modes).map(([key, mode]) => [key, { mode }]));
    return { version: 0, result, startTime: new Date(startTime), config: { "skyshift:apps": { value: JSON.stringify(value), objectValue: value, secret: false } } };
}

const history = [
    update("2026-11-24T11:00:00Z", "failed", { "shop/produce": "otel", "shop/order-service": "otel", "shop/search": "otel", "shop/cart": "otel", "shop/late": "skywalking", "shop/legacy": "skywalking" }),
    update("2026-11-24T10:00:00Z", "succeeded", { "shop/produce": "otel", "shop/order-service": "skywalking", "shop/search": "skywalking", "shop/cart": "skywalking", "shop/late": "skywalking", "shop/legacy": "skywalking" }),
];

function patch(key: string, initErrors?: string[]): StateResource {
    const [namespace, name] = key.split("/");
    return { urn: `urn:pulumi:prod::skyshift::skyshift:index:AppMigration$kubernetes:apps/v1:DeploymentPatch::${key}-patch`, type: "kubernetes:apps/v1:DeploymentPatch", inputs: { metadata: { namespace, name } }, initErrors };
}

function gate(key: string, modified: string): StateResource {
    return { urn: `urn:pulumi:prod::skyshift::skyshift:index:AppMigration$pulumi-nodejs:dynamic:Resource::${key}-gate`, type: "pulumi-nodejs:dynamic:Resource", inputs: { app: key }, outputs: { app: key, patchHash: "h", checkedPods: 2 }, modified };
}

describe("failedApps", () => {
    test("names the apps the failed update flipped whose gate did not pass during it, and why", () => {
        const resources = [
            patch("shop/produce"), gate("shop/produce", "2026-11-24T10:05:00.123456789Z"), // flipped earlier, good
            patch("shop/order-service"), gate("shop/order-service", "2026-11-24T11:02:00.5Z"), // passed during the failed update
            patch("shop/search"), gate("shop/search", "2026-11-24T09:00:00Z"), // gate from an older pass: stale
            patch("shop/cart", ["timed out waiting for the rollout"]), // the patch's own await failed
            patch("shop/late"), gate("shop/late", "2026-11-24T09:00:00Z"), // flipped after the failed update
        ];
        expect(failedApps(apps, resources, history)).toEqual({
            keys: ["shop/cart", "shop/search"],
            reasons: {
                "shop/cart": "kubernetes:apps/v1:DeploymentPatch failed: timed out waiting for the rollout",
                "shop/search": "flipped to otel by the failed update of 2026-11-24T11:00:00.000Z; its health gate did not pass",
            },
        });
    });

    test("a flipped app without any gate in the state failed (its first gate was never created)", () => {
        expect(failedApps(apps, [patch("shop/search")], history).keys).toEqual(["shop/cart", "shop/order-service", "shop/search"]);
    });

    test("nothing failed when the last update succeeded, or there is none", () => {
        expect(failedApps(apps, [], [update("2026-11-24T12:00:00Z", "succeeded", {}), ...history])).toEqual({ keys: [], reasons: {} });
        expect(failedApps(apps, [], [])).toEqual({ keys: [], reasons: {} });
    });
});

/** An update whose config had these `skyshift:` keys (values as the engine records them). */
function updateWith(config: Record<string, unknown>): UpdateRecord {
    return { version: 0, result: "succeeded", startTime: new Date("2026-11-24T09:00:00Z"),
        config: Object.fromEntries(Object.entries(config).map(([key, value]) => [`skyshift:${key}`, { value: JSON.stringify(value), objectValue: value, secret: false }])) };
}

describe("failedApps with bridge", () => {
    test("an app the failed update moved to bridge whose gate did not pass is named with its mode", () => {
        const bridged = appsWith({ "shop/produce": "bridge", "shop/cart": "bridge" });
        const tried = [
            update("2026-11-24T11:00:00Z", "failed", { "shop/produce": "bridge", "shop/cart": "bridge" }),
            update("2026-11-24T10:00:00Z", "succeeded", { "shop/produce": "skywalking", "shop/cart": "bridge" }),
        ];
        expect(failedApps(bridged, [gate("shop/cart", "2026-11-24T10:05:00Z")], tried)).toEqual({
            keys: ["shop/produce"],
            reasons: { "shop/produce": "flipped to bridge by the failed update of 2026-11-24T11:00:00.000Z; its health gate did not pass" },
        });
    });

    test("an update's bridge decisions are read back as bridge", () => {
        expect(modesAt(updateWith({ apps: { "shop/cart": { mode: "bridge" } } }), ["shop/cart"])).toEqual({ "shop/cart": "bridge" });
    });
});

describe("modesAt", () => {
    test("resolves an update's decisions and selectors like the program: per-app wins, then the last matching selector, then skywalking", () => {
        const update = updateWith({
            apps: { "shop/legacy": { mode: "skywalking" } },
            selectors: [{ match: "shop", mode: "otel" }, { match: "shop/cart", mode: "skywalking" }],
        });
        expect(modesAt(update, ["shop/produce", "shop/cart", "shop/legacy", "ml/ranker"])).toEqual({
            "shop/produce": "otel", "shop/cart": "skywalking", "shop/legacy": "skywalking", "ml/ranker": "skywalking",
        });
    });
});

describe("planRestore", () => {
    test("brings back the old selectors and decisions, drops decisions for apps no longer in the inventory, and names the apps that move", () => {
        const current = appsWith({ "shop/produce": "otel", "shop/cart": "skywalking", "shop/search": "skywalking" });
        const update = updateWith({
            apps: { "shop/cart": { mode: "otel" }, "shop/gone": { mode: "otel" } },
            selectors: [{ match: "shop/s*", mode: "otel" }],
        });
        const plan = planRestore(current, { apps: { "shop/produce": { mode: "otel" } }, migration: { maxAppsPerUpdate: 3 } }, update);
        expect(plan.decisions).toEqual([{ key: "shop/cart", mode: "otel" }, { key: "shop/produce", mode: undefined }]);
        expect(plan.keys).toEqual([{ key: "selectors", value: [{ match: "shop/s*", mode: "otel" }] }, { key: "migration", value: undefined }]);
        expect(plan.modes).toEqual([
            { key: "shop/produce", from: "otel", to: "skywalking" },
            { key: "shop/cart", from: "skywalking", to: "otel" },
            { key: "shop/search", from: "skywalking", to: "otel" },
        ]);
    });
});
