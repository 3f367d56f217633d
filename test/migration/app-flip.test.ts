import * as fs from "fs";
import * as http from "http";
import type { AddressInfo } from "net";
import * as os from "os";
import * as path from "path";
import { appFlipProvider } from "../../components/migration/app-flip";
import { AppFlipInputs, AppFlipState, flipDiff, FlipSpec, specOf } from "../../components/migration/app-flip-ops";
import { callInProviderProcess, serialized } from "./serialized-provider";

const body = {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "order", namespace: "shop" },
    spec: { template: { spec: { containers: [{ name: "order", env: [{ name: "CATALINA_OPTS", value: "-Xms1g" }] }] } } },
};
const gate = { watch: true, soakSeconds: 300, pollSeconds: 10, rolloutTimeoutSeconds: 600, injectedInitContainer: "opentelemetry-auto-instrumentation-java" };
const spec: FlipSpec = { target: { kind: "Deployment", namespace: "shop", name: "order" }, fieldManager: "skyshift", body, patchHash: "aaaa", gate };
const inputs: AppFlipInputs = { app: "shop/order", spec: JSON.stringify(spec), cluster: { kubeconfig: "/lab/kubeconfig" } };
const state: AppFlipState = { ...inputs, patchHash: "aaaa", checkedPods: 2 };
/** A state written before the spec was a JSON string. */
const objectState: AppFlipState = { ...state, spec };
const withSpec = (change: Partial<FlipSpec>): AppFlipInputs => ({ ...inputs, spec: JSON.stringify({ ...spec, ...change }) });
/** Outputs with the spec parsed, to compare values rather than the key order of a JSON string. */
const parsed = (outs: AppFlipState) => ({ ...outs, spec: specOf(outs.spec) });
/** What a stack from before AppFlip holds for the aliased `<key>-patch` WorkloadApply. */
const legacyPatchState = { kind: "Deployment" as const, namespace: "shop", name: "order", fieldManager: "skyshift", body, kubeconfig: "/lab/kubeconfig" };

describe("flipDiff", () => {
    test.each([
        ["nothing changed", state, inputs, { changes: false, replaces: [] }],
        ["timings and credentials are no change", state, { ...withSpec({ gate: { ...gate, soakSeconds: 5, pollSeconds: 1 } }), cluster: { kubeconfig: "/other", kubeContext: "x" } }, { changes: false, replaces: [] }],
        ["a new body (a flip) updates", state, withSpec({ body: { ...body, spec: {} }, patchHash: "bbbb" }), { changes: true, replaces: [] }],
        ["drift in the live fields (after refresh) updates", { ...state, spec: JSON.stringify({ ...spec, body: { ...body, spec: {} } }) }, inputs, { changes: true, replaces: [] }],
        ["a state written before the JSON string, same values: no change", objectState, inputs, { changes: false, replaces: [] }],
        ["a state written before the JSON string, new body: update", objectState, withSpec({ body: { ...body, spec: {} }, patchHash: "bbbb" }), { changes: true, replaces: [] }],
        ["a new field manager updates", state, withSpec({ fieldManager: "platform" }), { changes: true, replaces: [] }],
        ["verifyInjection turned off re-runs the gate", state, withSpec({ gate: { ...gate, injectedInitContainer: "" } }), { changes: true, replaces: [] }],
        ["a new target replaces", state, withSpec({ target: { ...spec.target, name: "billing" } }), { changes: true, replaces: ["spec"] }],
        ["the aliased patch of an older stack, same body: no change", legacyPatchState, inputs, { changes: false, replaces: [] }],
        ["the aliased patch of an older stack, new body: update", legacyPatchState, withSpec({ body: { ...body, spec: {} } }), { changes: true, replaces: [] }],
        ["keys in another order are no change", { ...state, spec: JSON.stringify({ gate: { ...gate }, patchHash: "aaaa", body, fieldManager: "skyshift", target: { name: "order", namespace: "shop", kind: "Deployment" } }) }, inputs, { changes: false, replaces: [] }],
        ["the aliased patch of an older stack as the engine hands it over, keys sorted: no change", { body, fieldManager: "skyshift", kind: "Deployment" as const, kubeconfig: "/lab/kubeconfig", name: "order", namespace: "shop" },
            withSpec({ target: { kind: "Deployment", namespace: "shop", name: "order" } }), { changes: false, replaces: [] }],
        ["the aliased patch of an older stack, new target: replace", legacyPatchState, withSpec({ target: { ...spec.target, kind: "StatefulSet" } }), { changes: true, replaces: ["spec"] }],
    ] as const)("%s", (_name, olds, news, expected) => {
        expect(flipDiff(olds, news)).toEqual(expected);
    });
});

describe("appFlipProvider", () => {
    it("serializes to a small closure that names its module instead of carrying the apply and the gate", async () => {
        const text = await serialized(appFlipProvider);
        // Stored twice per app in state, and the engine re-serializes the whole state after every step.
        expect(text.length).toBeLessThan(2_200);
        expect(text).toContain("app-flip-ops.ts");
        expect(text).not.toMatch(/applyJson|runGate|projectOwned/);
    });

    it("loads app-flip-ops in a plain Node process and runs it there", async () => {
        const text = await serialized(appFlipProvider);
        await expect(callInProviderProcess(text, "diff", ["shop/order", state, withSpec({ target: { ...spec.target, name: "billing" } })]))
            .resolves.toEqual({ changes: true, replaces: ["spec"] });
        const kubeconfig = "apiVersion: v1\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: c, user: u}}]\n" +
            "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1'}}]\nusers: [{name: u, user: {token: t}}]";
        await expect(callInProviderProcess(text, "create", [{ ...inputs, cluster: { kubeconfig, kubeContext: "missing" } }])).rejects.toThrow('kubeconfig has no context "missing"');
        // No delete: the host skips a missing method, and removing an app leaves its workload as it is.
        expect(Object.keys(appFlipProvider).sort()).toEqual(["create", "diff", "read", "update"]);
    }, 60_000);
});

describe("the provider stored in state, run from another checkout", () => {
    it("finds app-flip-ops relative to the project directory when the recorded absolute path is gone", async () => {
        const moved = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-moved-"));
        try {
            // The state's provider was serialized in the repository; this "checkout" holds the same files elsewhere.
            const text = await serialized(appFlipProvider);
            const repo = path.resolve(__dirname, "../..");
            const recorded = text.replace(new RegExp(repo.replace(/[/.]/g, "\\$&"), "g"), "/gone/checkout");
            fs.symlinkSync(path.join(repo, "components"), path.join(moved, "components"));
            fs.symlinkSync(path.join(repo, "config"), path.join(moved, "config"));
            fs.symlinkSync(path.join(repo, "node_modules"), path.join(moved, "node_modules"));
            await expect(callInProviderProcess(recorded, "diff", ["shop/order", state, inputs], moved)).resolves.toEqual({ changes: false, replaces: [] });
        } finally {
            fs.rmSync(moved, { recursive: true, force: true });
        }
    }, 60_000);
});

describe("AppFlip against an API server that fails", () => {
    /**
     * Answers PATCHes of namespace `flaky` with two 503s, then the stored object; PATCHes of `denied` with 403. A GET
     * of `adopted`/`owned` answers a Deployment that already runs `body` (`owned`: skyshift applied to it before).
     */
    let server: http.Server;
    const calls: string[] = [];
    const running = (managedFields: unknown[]) => ({ ...body, metadata: { ...body.metadata, generation: 1, managedFields } });
    beforeAll(async () => {
        server = http.createServer((request, response) => {
            let requestBody = "";
            request.on("data", chunk => { requestBody += chunk; });
            request.on("end", () => {
                calls.push(`${request.method} ${request.url}`);
                const patch = request.method === "PATCH";
                const flakyPatches = calls.filter(c => c.startsWith("PATCH") && c.includes("/namespaces/flaky/")).length;
                const status = patch && request.url!.includes("/namespaces/denied/") ? 403 : patch && request.url!.includes("/namespaces/flaky/") && flakyPatches <= 2 ? 503 : 200;
                response.writeHead(status, { "Content-Type": "application/json" });
                if (status !== 200) response.end(JSON.stringify({ kind: "Status", code: status, message: status === 403 ? "forbidden" : "etcd leader changed" }));
                else if (patch) response.end(requestBody);
                else if (request.url!.includes("/replicasets")) response.end(JSON.stringify({ items: [] }));
                else if (request.url!.includes("/namespaces/adopted/")) response.end(JSON.stringify(running([{ manager: "kubectl", operation: "Update" }])));
                else if (request.url!.includes("/namespaces/owned/")) response.end(JSON.stringify(running([{ manager: "skyshift", operation: "Apply" }])));
                // A Deployment whose controller never picks up the new template.
                else response.end(JSON.stringify({ kind: "Deployment", metadata: { generation: 2, uid: "u" }, spec: { replicas: 1, selector: { matchLabels: { app: "order" } } }, status: { observedGeneration: 1 } }));
            });
        });
        await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
    });
    afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

    const cluster = () => ({ kubeconfig: [
        "apiVersion: v1", "current-context: c", "contexts: [{name: c, context: {cluster: c, user: u}}]",
        `clusters: [{name: c, cluster: {server: 'http://127.0.0.1:${(server.address() as AddressInfo).port}', insecure-skip-tls-verify: true}}]`, "users: [{name: u, user: {token: t}}]",
    ].join("\n") });
    const skywalkingFlip = (namespace: string): AppFlipInputs => ({ ...inputs, app: `${namespace}/order`, cluster: cluster(),
        spec: JSON.stringify({ ...spec, target: { ...spec.target, namespace }, gate: { ...gate, watch: false, injectedInitContainer: "" } }) });

    it("retries a transient 503 with backoff and records the apply", async () => {
        const text = await serialized(appFlipProvider);
        const created = await callInProviderProcess(text, "create", [skywalkingFlip("flaky")]) as { id: string; outs: AppFlipState };
        expect(calls.filter(c => c.includes("/namespaces/flaky/"))).toEqual(["GET /apis/apps/v1/namespaces/flaky/deployments/order",
            ...Array(3).fill("PATCH /apis/apps/v1/namespaces/flaky/deployments/order?fieldManager=skyshift&force=true")]);
        expect(created).toMatchObject({ id: "flaky/order", outs: { patchHash: "aaaa", checkedPods: 0 } });
        expect(specOf(created.outs.spec)).toMatchObject({ body });
    }, 60_000);

    it("adopts a workload that already runs the originals with one GET and no write", async () => {
        const text = await serialized(appFlipProvider);
        const created = await callInProviderProcess(text, "create", [skywalkingFlip("adopted")]) as { id: string; outs: AppFlipState };
        expect(calls.filter(c => c.includes("/namespaces/adopted/"))).toEqual(["GET /apis/apps/v1/namespaces/adopted/deployments/order"]);
        expect(created.id).toBe("adopted/order");
        expect(parsed(created.outs)).toEqual(parsed({ ...skywalkingFlip("adopted"), patchHash: "aaaa", checkedPods: 0 }));
    }, 60_000);

    it("applies when skyshift's field manager owns fields there: that apply may remove what a lost flip added", async () => {
        const text = await serialized(appFlipProvider);
        await callInProviderProcess(text, "create", [skywalkingFlip("owned")]);
        expect(calls.filter(c => c.includes("/namespaces/owned/"))).toEqual(["GET /apis/apps/v1/namespaces/owned/deployments/order",
            "PATCH /apis/apps/v1/namespaces/owned/deployments/order?fieldManager=skyshift&force=true"]);
    }, 60_000);

    it("records what it applied when the gate then fails: the state shows the new body and no certified patchHash", async () => {
        const text = await serialized(appFlipProvider);
        const flipSpec = { ...spec, target: { ...spec.target, namespace: "stuck" }, gate: { ...gate, rolloutTimeoutSeconds: 0 } };
        const flip = { ...inputs, app: "stuck/order", cluster: cluster(), spec: JSON.stringify(flipSpec) };
        const failure = await callInProviderProcess(text, "create", [flip]).then(() => undefined, (error: Error & { id?: string; properties?: Record<string, unknown>; reasons?: string[] }) => error);
        expect(failure?.message).toMatch(/^stuck\/order failed the health gate \(timeout\): rollout not complete after 0s: the controller to observe the new template/);
        expect(failure?.id).toBe("stuck/order");
        expect(failure?.reasons).toEqual([failure?.message]);
        expect(parsed(failure?.properties as AppFlipState)).toEqual({ ...flip, spec: { ...flipSpec, body }, checkedPods: 0 });
    }, 60_000);

    it("refresh reads the live owned fields and keeps the spec in the form the state held it", async () => {
        const text = await serialized(appFlipProvider);
        const stored = { ...skywalkingFlip("adopted"), patchHash: "aaaa", checkedPods: 0 };
        const asString = await callInProviderProcess(text, "read", ["adopted/order", stored]) as { props: AppFlipState };
        expect(typeof asString.props.spec).toBe("string");
        expect(parsed(asString.props)).toEqual(parsed(stored));
        // A state written before the spec was a JSON string stays an object: upgrading and refreshing shows no change.
        const asObject = await callInProviderProcess(text, "read", ["adopted/order", parsed(stored)]) as { props: AppFlipState };
        expect(asObject.props).toEqual(parsed(stored));
    }, 60_000);

    it("fails a persistent 403 at once, naming the app and the call", async () => {
        const text = await serialized(appFlipProvider);
        await expect(callInProviderProcess(text, "create", [skywalkingFlip("denied")])).rejects.toThrow(
            /^denied\/order: Server-Side Apply of Deployment denied\/order: PATCH \/apis\/apps\/v1\/namespaces\/denied\/deployments\/order\?fieldManager=skyshift&force=true .*: 403 /);
        expect(calls.filter(c => c.startsWith("PATCH") && c.includes("/namespaces/denied/"))).toHaveLength(1);
    }, 60_000);
});
