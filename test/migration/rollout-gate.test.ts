import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { gateError } from "../../components/migration/gate-runner";
import { GATE_TRIGGERS, RolloutGateInputs, rolloutGateProvider } from "../../components/migration/rollout-gate";

const inputs: RolloutGateInputs = {
    app: "shop/order", kind: "Deployment", namespace: "shop", name: "order", watch: true, patchHash: "aaaa",
    soakSeconds: 1, pollSeconds: 1, rolloutTimeoutSeconds: 1, injectedInitContainer: "opentelemetry-auto-instrumentation-java",
    traceService: "", traceBackendUrl: "", traceTimeoutSeconds: 0,
    kubeconfig: [
        "apiVersion: v1", "current-context: lab",
        "clusters: [{name: lab, cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}]",
        "contexts: [{name: lab, context: {cluster: lab, user: lab}}]",
        "users: [{name: lab, user: {token: t}}]",
    ].join("\n"),
};

describe("rolloutGateProvider", () => {
    it("re-runs only when the watched template changes, not for timing or credentials", async () => {
        expect(GATE_TRIGGERS).toEqual(["app", "kind", "namespace", "name", "watch", "patchHash", "injectedInitContainer"]);
        const diff = rolloutGateProvider.diff!.bind(rolloutGateProvider);
        expect(await diff("shop/order", inputs, { ...inputs, soakSeconds: 600, kubeconfig: "/other" })).toEqual({ changes: false });
        expect(await diff("shop/order", inputs, { ...inputs, patchHash: "bbbb" })).toEqual({ changes: true });
    });

    it("keeps the gate's error message through serialization (a serialized Error subclass loses it)", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => gateError("shop/order", "restarts", ["pod p container c restarted 1 time"]));
        const evaluated = new Function("exports", "require", serialized.text);
        const exports: Record<string, () => Error> = {};
        evaluated(exports, require);
        const error = exports[serialized.exportName]();
        expect(error).toBeInstanceOf(Error);
        expect(error.message).toMatch(/^shop\/order failed the health gate \(restarts\): pod p container c restarted 1 time\. /);
    });

    // That the serialized cluster access reaches an API server is proven in test/kube/serialization.test.ts (in a
    // plain node process: jest cannot load @kubernetes/client-node).
    it("survives Pulumi's serialization as a self-contained module", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => rolloutGateProvider, { isFactoryFunction: true });
        // Written inside the repository so the module's require("yaml") resolves as in the provider process.
        const file = path.join(__dirname, "..", "..", "node_modules", ".cache", `rollout-gate-${process.pid}.js`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, serialized.text);
        try {
            const provider = require(file)[serialized.exportName] as pulumi.dynamic.ResourceProvider;
            // skywalking mode: recorded without a cluster round trip; the outputs are what the next diff sees as olds.
            const { kubeconfig: _secret, ...recorded } = inputs;
            const created = await provider.create({ ...inputs, watch: false });
            expect(created).toEqual({ id: "shop/order", outs: { ...recorded, watch: false, checkedPods: 0 } });
            expect(await provider.diff!("shop/order", created.outs, { ...inputs, watch: false })).toEqual({ changes: false });
        } finally {
            fs.rmSync(file);
        }
    });
});
