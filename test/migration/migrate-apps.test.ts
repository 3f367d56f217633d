import { catalinaRaw, initCopyRaw } from "./apps";
import { runMigration, valueOf } from "./mocks";

const DYNAMIC = "pulumi-nodejs:dynamic:Resource";
const isPatch = (r: { type: string; name: string }) => r.type === DYNAMIC && r.name.endsWith("-patch");
const isGate = (r: { type: string; name: string }) => r.type === DYNAMIC && r.name.endsWith("-gate");

/** Registrations once every gate (the last child of each app) has registered. */
async function settled(run: Awaited<ReturnType<typeof runMigration>>) {
    const { apps } = await run.result;
    await Promise.all(Object.values(apps).map(app => valueOf(app.gate.urn)));
    return run.registered;
}

describe("migrateApps under mocks", () => {
    it("declares per app a component, a retained SSA patch under the skyshift field manager and a gate after it", async () => {
        const run = await runMigration({ apps: { "shop/order-service": catalinaRaw } }, { "shop/order-service": "skywalking" });
        const registered = await settled(run);
        expect(registered.map(r => [r.type, r.name])).toEqual([
            ["pulumi:pulumi:StackReference", "organization/skyshift/unit"],
            ["skyshift:index:AppMigration", "shop/order-service"],
            [DYNAMIC, "shop/order-service-patch"],
            [DYNAMIC, "shop/order-service-gate"],
        ]);
        const patch = registered.find(isPatch)!;
        expect(patch.retainOnDelete).toBe(true);
        expect(patch.inputs).toMatchObject({ kind: "Deployment", namespace: "shop", name: "order-service", fieldManager: "skyshift",
            kubeconfig: expect.objectContaining({ value: "/lab/kubeconfig" }), kubeContext: "lab" });
        expect(patch.inputs.body.metadata).toEqual({ name: "order-service", namespace: "shop" });
        expect(patch.inputs.body.spec.template.metadata.annotations["instrumentation.opentelemetry.io/inject-java"]).toBe("observability/skyshift");
        const gate = registered.find(isGate)!;
        expect(gate.dependsOn).toEqual(["shop/order-service-patch"]);
        expect(gate.inputs).toMatchObject({ app: "shop/order-service", kind: "Deployment", namespace: "shop", name: "order-service", watch: true,
            soakSeconds: 300, pollSeconds: 10, rolloutTimeoutSeconds: 600, injectedInitContainer: "opentelemetry-auto-instrumentation-java", patchHash: expect.stringMatching(/^[0-9a-f]{16}$/),
            kubeContext: "lab" });
        expect((await run.result).appModes).toEqual({ "shop/order-service": "otel" });
    });

    it("does not watch an app in skywalking mode: its originals are what ran before", async () => {
        const run = await runMigration({ apps: { "shop/order-service": { ...catalinaRaw, mode: "skywalking" } } });
        expect((await settled(run)).find(isGate)!.inputs).toMatchObject({ watch: false, injectedInitContainer: "" });
    });

    it("applies to a StatefulSet with a custom field manager", async () => {
        const run = await runMigration({ apps: { "db/ledger": { ...catalinaRaw, kind: "StatefulSet" } }, migration: { fieldManager: "platform-otel" } });
        const patch = (await settled(run)).find(isPatch)!;
        expect(patch.name).toBe("db/ledger-patch");
        expect(patch.inputs).toMatchObject({ kind: "StatefulSet", fieldManager: "platform-otel", body: { apiVersion: "apps/v1", kind: "StatefulSet" } });
    });

    it("gives the gate a new patchHash exactly when the patch body changes", async () => {
        const hash = async (raw: Record<string, unknown>) => {
            const run = await runMigration({ apps: { "web/service-backend": raw } });
            return (await settled(run)).find(isGate)!.inputs.patchHash as string;
        };
        const otel = await hash(initCopyRaw);
        expect(otel).toMatch(/^[0-9a-f]{16}$/);
        expect(await hash(initCopyRaw)).toBe(otel);
        expect(await hash({ ...initCopyRaw, mode: "skywalking" })).not.toBe(otel);
    });

    it("refuses a wave over the limit before declaring any app, naming the flips", async () => {
        const apps = Object.fromEntries(["a", "b", "c"].map(n => [`shop/${n}`, { ...catalinaRaw, container: n }]));
        const run = await runMigration({ apps, migration: { maxAppsPerUpdate: 2 } }, { "shop/a": "skywalking" });
        await expect(run.result).rejects.toThrow([
            "this update would flip 3 apps but migration.maxAppsPerUpdate is 2:",
            "  shop/a: skywalking → otel",
            "  shop/b: skywalking → otel",
            "  shop/c: skywalking → otel",
            "Split it: keep the first 2 in this update and put the other 1 back until the next one:",
            "  pulumi config set --path 'apps[\"shop/c\"].mode' skywalking",
            "(or raise migration.maxAppsPerUpdate for this one update)",
        ].join("\n"));
        expect(run.registered.map(r => r.type)).toEqual(["pulumi:pulumi:StackReference"]);
    });

    it("lets the same apps through once the last update recorded some of them", async () => {
        const apps = Object.fromEntries(["a", "b", "c"].map(n => [`shop/${n}`, { ...catalinaRaw, container: n }]));
        const run = await runMigration({ apps, migration: { maxAppsPerUpdate: 2 } }, { "shop/a": "otel" });
        expect((await settled(run)).filter(isPatch)).toHaveLength(3);
        expect((await run.result).flips).toEqual([
            { key: "shop/b", from: "skywalking", to: "otel" }, { key: "shop/c", from: "skywalking", to: "otel" }]);
    });

    it("fails on missing originals before declaring anything", async () => {
        const run = await runMigration({ apps: { "shop/x": { mode: "otel", container: "x", agentIn: { env: ["JAVA_OPTS"] } } } });
        expect(run.registered).toEqual([]);
        await expect(run.result).rejects.toThrow(
            'invalid skyshift stack config (1 problem):\n  - skyshift.unit.inventory.yaml: apps["shop/x"].original.env.JAVA_OPTS: is required — the value before the first flip, restored on flip back (run discovery or copy it from the live workload)');
    });
});
