import { createServer } from "http";
import { AddressInfo } from "net";
import { waveProvider } from "../../components/migration/wave";
import { waveMethods } from "../../components/migration/waves";
import * as pulumi from "@pulumi/pulumi";
import { LARGE_FLEET_APPS, largeFleetPreviewHint, withoutPromiseStacks } from "../../components/migration/migrate-apps";
import { specOf } from "../../components/migration/app-flip-ops";
import { catalinaRaw, initCopyRaw } from "./apps";
import { runMigration, valueOf } from "./mocks";
import { callInProviderProcess, serialized } from "./serialized-provider";

const FLIP = "pulumi-nodejs:dynamic/skyshift:AppFlip";
const WAVE = "pulumi-nodejs:dynamic/skyshift:Wave";

/** Registrations once every AppFlip has registered, each AppFlip's spec (a JSON string) parsed. */
async function settled(run: Awaited<ReturnType<typeof runMigration>>) {
    const { apps } = await run.result;
    await Promise.all(Object.values(apps).map(app => valueOf(app.urn)));
    return run.registered.map(r => r.type === FLIP ? { ...r, inputs: { ...r.inputs, spec: specOf(r.inputs.spec) } } : r);
}

describe("migrateApps under mocks", () => {
    it("declares the wave, then per app one retained AppFlip that applies under the skyshift field manager and gates", async () => {
        const run = await runMigration({ apps: { "shop/order-service": catalinaRaw } });
        const registered = await settled(run);
        expect(registered.map(r => [r.type, r.name])).toEqual([[WAVE, "wave"], [FLIP, "shop/order-service"]]);
        // One property value for the SDK and the engine to marshal, not a few dozen (docs/fleet-scale.md).
        expect(typeof run.registered[1].inputs.spec).toBe("string");
        const [wave, flip] = registered;
        expect(wave.inputs).toEqual(expect.objectContaining({ modes: { "shop/order-service": "otel" }, limit: 10, selectors: {} }));
        expect(flip.retainOnDelete).toBe(true);
        expect(flip.dependsOn).toEqual(["wave"]);
        expect(flip.inputs).toMatchObject({ app: "shop/order-service", spec: { target: { kind: "Deployment", namespace: "shop", name: "order-service" }, fieldManager: "skyshift",
            gate: { watch: true, soakSeconds: 300, pollSeconds: 10, rolloutTimeoutSeconds: 600, injectedInitContainer: "opentelemetry-auto-instrumentation-java" },
            patchHash: expect.stringMatching(/^[0-9a-f]{16}$/) } });
        // One secret for the cluster access, shared by every app.
        expect(flip.inputs.cluster).toMatchObject({ value: { kubeconfig: "/lab/kubeconfig", kubeContext: "lab" } });
        expect(flip.inputs.spec.body.metadata).toEqual({ name: "order-service", namespace: "shop" });
        expect(flip.inputs.spec.body.spec.template.metadata.annotations["instrumentation.opentelemetry.io/inject-java"]).toBe("observability/skyshift");
        expect((await run.result).appModes).toEqual({ "shop/order-service": "otel" });
    });

    it("carries no cluster secret when the stack sets neither kubernetes:kubeconfig nor kubernetes:context", async () => {
        const [, flip] = await settled(await runMigration({ apps: { "shop/order-service": catalinaRaw } }, {}));
        expect(flip.inputs).not.toHaveProperty("cluster");
        expect(flip.inputs.app).toBe("shop/order-service");
    });

    it("aliases each AppFlip to the WorkloadApply `<key>-patch` of stacks from before it, so they upgrade in place", async () => {
        const [, flip] = await settled(await runMigration({ apps: { "shop/order-service": catalinaRaw } }));
        expect(flip.aliases).toEqual([{ name: "shop/order-service-patch", type: "pulumi-nodejs:dynamic:Resource",
            parent: "urn:pulumi:unit::skyshift::skyshift:index:AppMigration::shop/order-service" }]);
    });

    it("does not watch an app in skywalking mode: its originals are what ran before", async () => {
        const run = await runMigration({ apps: { "shop/order-service": { ...catalinaRaw, mode: "skywalking" } } });
        expect((await settled(run)).find(r => r.type === FLIP)!.inputs.spec.gate).toMatchObject({ watch: false, injectedInitContainer: "" });
    });

    it("watches a bridge app without the injection check, and points its agent at the collector's skywalking receiver", async () => {
        const bridged = { ...catalinaRaw, mode: "bridge", backendAddress: { source: "systemProperty", where: "env", envName: "CATALINA_OPTS", value: "oap:11800" } };
        const run = await runMigration({ apps: { "shop/order-service": bridged }, collector: { name: "gw", image: "otel/opentelemetry-collector-contrib:0.140.1",
            skywalkingReceiver: { grpcPort: 21800 }, exporters: [{ name: "debug", kind: "debug" }] }, platform: { namespace: "obs" } });
        const flip = (await settled(run)).find(r => r.type === FLIP)!;
        expect(flip.inputs.spec.gate).toEqual({ watch: true, soakSeconds: 300, pollSeconds: 10, rolloutTimeoutSeconds: 600, injectedInitContainer: "" });
        expect(flip.inputs.spec.body.spec.template.metadata).toBeUndefined();
        expect(flip.inputs.spec.body.spec.template.spec.containers[0].env[0].value).toContain("-Dskywalking.collector.backend_service=gw-collector.obs:21800");
        expect((await run.result).appModes).toEqual({ "shop/order-service": "bridge" });
    });

    it("gives an app listed in migration.verifyTraces the trace check, after preview found the backend answering", async () => {
        const server = createServer((_req, res) => { res.writeHead(200, { "Content-Type": "application/json" }); res.end(JSON.stringify({ data: [] })); });
        await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        try {
            const run = await runMigration({ apps: { "shop/order-service": { ...catalinaRaw, serviceName: "order" }, "shop/cart": { ...catalinaRaw, serviceName: "cart" } },
                migration: { verifyTraces: { backend: { kind: "jaeger", url }, apps: ["shop/order-*"], timeoutSeconds: 30 } } });
            const gates = Object.fromEntries((await settled(run)).filter(r => r.type === FLIP).map(r => [r.name, r.inputs.spec.gate]));
            expect(gates["shop/order-service"].traces).toEqual({ service: "order", backendUrl: url, timeoutSeconds: 30 });
            expect(gates["shop/cart"].traces).toBeUndefined();
        } finally {
            await new Promise<void>(resolve => server.close(() => resolve()));
        }
    });

    it("applies to a StatefulSet with a custom field manager", async () => {
        const run = await runMigration({ apps: { "db/ledger": { ...catalinaRaw, kind: "StatefulSet" } }, migration: { fieldManager: "platform-otel" } });
        const flip = (await settled(run)).find(r => r.type === FLIP)!;
        expect(flip.name).toBe("db/ledger");
        expect(flip.inputs.spec).toMatchObject({ target: { kind: "StatefulSet" }, fieldManager: "platform-otel", body: { apiVersion: "apps/v1", kind: "StatefulSet" } });
    });

    it("gives a new patchHash exactly when the patch body changes", async () => {
        const hash = async (raw: Record<string, unknown>) => {
            const run = await runMigration({ apps: { "web/service-backend": raw } });
            return (await settled(run)).find(r => r.type === FLIP)!.inputs.spec.patchHash as string;
        };
        const otel = await hash(initCopyRaw);
        expect(otel).toMatch(/^[0-9a-f]{16}$/);
        expect(await hash(initCopyRaw)).toBe(otel);
        expect(await hash({ ...initCopyRaw, mode: "skywalking" })).not.toBe(otel);
    });

    it("fails on missing originals before declaring anything", async () => {
        const run = await runMigration({ apps: { "shop/x": { mode: "otel", container: "x", agentIn: { env: ["JAVA_OPTS"] } } } });
        expect(run.registered).toEqual([]);
        await expect(run.result).rejects.toThrow(
            'invalid skyshift stack config (1 problem):\n  - skyshift.unit.inventory.yaml: apps["shop/x"].original.env.JAVA_OPTS: is required — the value before the first flip, restored on flip back (run discovery or copy it from the live workload)');
    });
});

describe("largeFleetPreviewHint", () => {
    it.each([
        ["a large preview", LARGE_FLEET_APPS, true, {}, true],
        ["a small preview", LARGE_FLEET_APPS - 1, true, {}, false],
        ["an up", 5_000, false, {}, false],
        ["a preview that already skips checkpoints", 5_000, true, { PULUMI_SKIP_CHECKPOINTS: "TRUE" }, false],
        ["a preview with checkpoints asked for", 5_000, true, { PULUMI_SKIP_CHECKPOINTS: "false" }, true],
    ] as const)("%s", (_name, apps, dryRun, env, hinted) => {
        const hint = largeFleetPreviewHint(apps, dryRun, env);
        if (hinted) expect(hint).toMatch(new RegExp(`^${apps} apps: this preview is faster as \`PULUMI_SKIP_CHECKPOINTS=true pulumi preview\``));
        else expect(hint).toBeUndefined();
    });
});

describe("withoutPromiseStacks", () => {
    const frames = (error: Error) => (error.stack ?? "").split("\n").filter(line => line.trimStart().startsWith("at ")).length;

    it("captures no frames inside and restores the limit after, also when declare throws", () => {
        const before = Error.stackTraceLimit;
        expect(withoutPromiseStacks(() => frames(new Error("inside")))).toBe(0);
        expect(Error.stackTraceLimit).toBe(before);
        expect(() => withoutPromiseStacks(() => { throw new Error("shop/a: refused"); })).toThrow("shop/a: refused");
        expect(Error.stackTraceLimit).toBe(before);
        expect(frames(new Error("after"))).toBeGreaterThan(0);
    });

    it("keeps the source positions the SDK sends with each registration (Resource.callsites raises the limit itself)", () => {
        const sdkResource = pulumi.Resource as unknown as { stackTrace(skip: number): Array<{ uri: string } | undefined> };
        const trace = withoutPromiseStacks(() => sdkResource.stackTrace(0));
        expect(trace.some(frame => frame?.uri.endsWith("migrate-apps.test.ts"))).toBe(true);
    });
});

describe("waveProvider in the provider process", () => {
    const modes = { "shop/a": "otel", "shop/b": "otel", "shop/c": "otel" } as const;

    it("refuses in check, before the resource's step, when more apps flip than the limit", async () => {
        const text = await serialized(waveProvider);
        expect(text.length).toBeLessThan(2_200);
        const refused = await callInProviderProcess(text, "check", [{ modes: { "shop/a": "skywalking" }, limit: 2, selectors: {} }, { modes, limit: 2, selectors: {} }]) as
            { failures: Array<{ property: string; reason: string }> };
        expect(refused.failures).toEqual([{ property: "", reason: expect.stringMatching(/^this update would flip 3 apps but migration.maxAppsPerUpdate is 2:\n {2}shop\/a: skywalking → otel\n/) }]);
        await expect(callInProviderProcess(text, "check", [{ modes: { "shop/a": "otel" }, limit: 2, selectors: {} }, { modes, limit: 2, selectors: {} }]))
            .resolves.toEqual({ inputs: { modes, limit: 2, selectors: {} }, failures: [] });
    }, 60_000);

    it("records the modes as they are, and diffs what it records", async () => {
        const { diff, create } = waveMethods;
        const wave = { modes, limit: 2, selectors: {} } as const;
        expect(await diff("wave", wave, wave)).toEqual({ changes: false });
        expect(await diff("wave", wave, { ...wave, modes: { ...modes, "shop/c": "skywalking" } })).toEqual({ changes: true });
        expect(await diff("wave", wave, { ...wave, limit: 3 })).toEqual({ changes: true });
        expect(await create(wave)).toEqual({ id: "wave", outs: wave });
    });
});
