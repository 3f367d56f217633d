import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DRIFT_EXIT_CODE, runStatus } from "../../cli/status";
import { loadWorkloadFixture } from "../discovery/fixtures";
import { captureIO, fakeCluster } from "../support/fake-cluster";

const STACK = `config:
  skyshift:selectors:
    - {match: shop, mode: otel}
  skyshift:apps:
    shop/produce: {mode: skywalking}
    shop/vanished: {mode: skywalking}
`;

const INVENTORY = `apiVersion: skyshift/v1
kind: Inventory
apps:
  shop/produce:
    container: produce
    agentIn: {env: [JVM_OPTS], initContainer: skywalking-agent}
  shop/order-service:
    container: order-service
    agentIn: {env: [CATALINA_OPTS]}
  shop/vanished: {}
`;

function setup() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-status-"));
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), STACK);
    fs.writeFileSync(path.join(dir, "skyshift.prod.inventory.yaml"), INVENTORY);
    const cluster = fakeCluster(["init-copier-jvm-opts", "catalina-opts-istio"].map(loadWorkloadFixture));
    const captured = captureIO();
    return { dir, cluster, captured, run: (...argv: string[]) => runStatus(["--stack", "prod", "--dir", dir, ...argv], { io: captured.io, connect: async () => cluster }) };
}

describe("npm run status", () => {
    test("lists every inventory app with its resolved mode and live state, flags drift and says how to repair it", async () => {
        const { cluster, captured, run } = setup();
        expect(await run()).toBe(DRIFT_EXIT_CODE);
        expect(cluster.calls.every(call => call.verb === "read")).toBe(true);
        const out = captured.out.join("\n");
        expect(captured.out[0]).toMatch(/^APP\s+MODE\s+INJECT\s+SKYWALKING\s+ROLLOUT\s+STATE$/);
        expect(out).toMatch(/shop\/order-service\s+otel\s+-\s+yes\s+rolling out \(0\/3 updated, 0\/3 ready\)\s+DRIFT/);
        expect(out).toMatch(/shop\/produce\s+skywalking\s+-\s+yes\s+rolling out \(0\/2 updated, 0\/2 ready\)\s+ok/);
        expect(out).toMatch(/shop\/vanished\s+skywalking\s+-\s+no\s+not found\s+DRIFT/);
        expect(out).toContain("3 apps: 1 otel, 2 skywalking; 2 drifted");
        expect(out).toContain("  shop/order-service: config says otel, but no instrumentation.opentelemetry.io/inject-java annotation and SkyWalking loads again " +
            "(env CATALINA_OPTS: -javaagent:/home/admin/skywalking-agent/skywalking-agent.jar, -Dskywalking.agent.service_name, -Dskywalking.collector.backend_service)");
        expect(out).toContain("repair: pulumi refresh --stack prod --yes && pulumi up --stack prod");
    });

    test("a bridge app is checked against the collector's skywalking receiver the stack file configures", async () => {
        const { dir, captured, run } = setup();
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), `config:
  skyshift:platform: {namespace: obs}
  skyshift:collector: {name: gw, skywalkingReceiver: {grpcPort: 21800}, exporters: [{name: debug, kind: debug}]}
  skyshift:apps:
    shop/order-service: {mode: bridge}
    shop/vanished: {mode: skywalking}
`);
        expect(await run()).toBe(DRIFT_EXIT_CODE);
        const out = captured.out.join("\n");
        expect(out).toMatch(/shop\/order-service\s+bridge\s+-\s+yes\s+rolling out \(0\/3 updated, 0\/3 ready\)\s+DRIFT/);
        expect(out).toContain("3 apps: 0 otel, 2 skywalking, 1 bridge; 2 drifted");
        expect(out).toContain("  shop/order-service: config says bridge, but its agent reports to oap.skywalking:11800, not the collector's skywalking receiver gw-collector.obs:21800");
    });

    test("names the stack file and the key when a decision is invalid", async () => {
        const { dir, captured } = setup();
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  skyshift:apps:\n    shop/produce: {mode: otle}\n");
        const run = runStatus(["--stack", "prod", "--dir", dir], { io: captured.io, connect: async () => { throw new Error("must not connect"); } });
        await expect(run).rejects.toThrow(`${path.join(dir, "Pulumi.prod.yaml")}: apps["shop/produce"].mode: "otle" is not allowed — use one of: skywalking, bridge, otel`);
    });

    test("names the missing stack file and how to point at it", async () => {
        const { dir, captured } = setup();
        await expect(runStatus(["--stack", "staging", "--dir", dir], { io: captured.io, connect: async () => { throw new Error("must not connect"); } }))
            .rejects.toThrow(`${path.join(dir, "Pulumi.staging.yaml")} does not exist — run from the Pulumi project directory or pass --dir, and check --stack (pulumi stack init creates the stack)`);
    });

    test("names the inventory file, the app and the field when the inventory is invalid", async () => {
        const { dir, captured } = setup();
        fs.writeFileSync(path.join(dir, "skyshift.prod.inventory.yaml"), INVENTORY.replace("container: produce", "container: Produce_1"));
        await expect(runStatus(["--stack", "prod", "--dir", dir], { io: captured.io, connect: async () => { throw new Error("must not connect"); } }))
            .rejects.toThrow(`skyshift.prod.inventory.yaml: apps["shop/produce"].container: must be a container name — lowercase letters, digits and '-'`);
    });

    test("a decision for an app the inventory lost is an error naming it, never a silent flip back", async () => {
        const { dir, captured } = setup();
        fs.writeFileSync(path.join(dir, "skyshift.prod.inventory.yaml"), INVENTORY.replace("  shop/vanished: {}\n", ""));
        await expect(runStatus(["--stack", "prod", "--dir", dir], { io: captured.io, connect: async () => { throw new Error("must not connect"); } }))
            .rejects.toThrow(`${path.join(dir, "Pulumi.prod.yaml")}: apps["shop/vanished"]: has no entry in skyshift.prod.inventory.yaml — run npm run discover to add it`);
    });

    test("a stack file that still holds discovered fields says to convert it", async () => {
        const { dir, captured } = setup();
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  skyshift:apps:\n    shop/produce: {mode: otel, container: produce}\n");
        await expect(runStatus(["--stack", "prod", "--dir", dir], { io: captured.io, connect: async () => { throw new Error("must not connect"); } }))
            .rejects.toThrow('apps["shop/produce"]: container belong in the inventory file now, not in stack config — run npm run convert -- --stack <stack> to move them (the mode stays)');
    });

    test("rejects a missing --stack before reading anything", async () => {
        const { captured } = setup();
        await expect(runStatus([], { io: captured.io, connect: async () => { throw new Error("must not connect"); } }))
            .rejects.toThrow("--stack is required — name the stack whose config to use, e.g. --stack prod");
    });
});
