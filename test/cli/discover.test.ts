import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { runDiscover } from "../../cli/discover";
import { readFleet } from "../../cli/lib/fleet";
import { UsageError } from "../../cli/lib/args";
import { assertReadOnly } from "../../cli/lib/kube";
import { loadWorkloadFixture, workloadFixtureNames } from "../discovery/fixtures";
import { captureIO, fakeCluster } from "../support/fake-cluster";

const corpus = workloadFixtureNames().map(loadWorkloadFixture);

function setup(stackText?: string) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-discover-"));
    const stackFile = path.join(dir, "Pulumi.prod.yaml");
    const inventoryFile = path.join(dir, "skyshift.prod.inventory.yaml");
    if (stackText !== undefined) fs.writeFileSync(stackFile, stackText);
    const cluster = fakeCluster(corpus);
    const captured = captureIO();
    const run = (...argv: string[]) => runDiscover(["--stack", "prod", "--dir", dir, ...argv], {
        io: captured.io,
        connect: async () => cluster,
        today: () => "2026-11-24",
    });
    const inventory = () => YAML.parse(fs.readFileSync(inventoryFile, "utf8"));
    return { dir, stackFile, inventoryFile, inventory, cluster, captured, run };
}

describe("npm run discover", () => {
    test("pages through every Deployment and StatefulSet, only reading, and writes exactly the SkyWalking apps into the inventory file", async () => {
        const { stackFile, inventory, cluster, captured, run } = setup();
        expect(await run("--page-size", "5")).toBe(0);

        expect(cluster.calls.every(call => call.verb === "list")).toBe(true);
        const deploymentPages = cluster.calls.filter(call => call.kind === "Deployment");
        expect(deploymentPages.map(call => call.limit)).toEqual([5, 5, 5, 5, 5, 5]);
        expect(deploymentPages[0].continueToken).toBeUndefined();
        expect(deploymentPages.slice(1).every(call => call.continueToken)).toBe(true);
        expect(captured.err).toContain("listed 27 Deployments in all namespaces (page 6)");

        const written = inventory();
        expect([written.apiVersion, written.kind]).toEqual(["skyshift/v1", "Inventory"]);
        const apps = written.apps;
        expect(fs.existsSync(stackFile)).toBe(false);
        expect(Object.keys(apps).sort()).toEqual([
            "edge/gateway", "edge/web-bff", "finance/billing", "finance/invoice", "finance/ledger", "finance/legacy-report", "finance/payment",
            "finance/report", "finance/settlement", "ml/ranker", "ml/recommend", "shop/cart", "shop/coupon", "shop/inventory", "shop/loyalty", "shop/notify",
            "shop/order-service", "shop/points", "shop/pricing", "shop/produce", "shop/search", "shop/service-backend",
        ]);
        expect(Object.values(apps).every(app => !("mode" in (app as object)))).toBe(true);
        expect(apps["finance/billing"]).toMatchObject({ kind: "StatefulSet", serviceName: "billing", serviceNamespace: "finance" });
    });

    test("what it writes is valid inventory for the program: every app parses with the program's schemas, in skywalking by default", async () => {
        const { dir, stackFile, run } = setup();
        await run();
        fs.writeFileSync(stackFile, "config: {}\n");
        const { apps } = readFleet(dir, "prod");
        expect(Object.keys(apps)).toHaveLength(22);
        expect(apps["shop/service-backend"]).toEqual({
            mode: "skywalking",
            modeSource: "default (no decision: skywalking)",
            kind: "Deployment",
            language: "java",
            container: "service-backend",
            agentIn: { env: [], args: false, command: false, initContainer: "init-skywalking-agent", swck: false },
            serviceName: "service-backend",
            original: { env: {}, initContainerCommand: ["/bin/sh"], initContainerArgs: ["-c", "cp -R /skywalking/agent /agent"] },
            backendAddress: { source: "env", where: "env", envName: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "skywalking-oap.monitoring.svc:11800" },
            rebuildImage: false,
            evidence: [
                "env SW_AGENT_COLLECTOR_BACKEND_SERVICES, SW_AGENT_NAME, SW_AGENT_INSTANCENAME, SW_GRPC_LOG_SERVER_HOST, SW_GRPC_LOG_SERVER_PORT",
                "initContainer init-skywalking-agent (image skywalking-java-agent:8.7.0) copies the SkyWalking agent into volume skywalking-agent (mounted in service-backend at /opt/skywalking/)",
                "no -javaagent in the spec: the image's start script loads the agent the initContainer copied",
                "SW_AGENT_INSTANCENAME set with valueFrom (not copied)",
            ],
        });
    });

    test("prints a table with namespace, app, language and evidence, then the counts and the manual steps", async () => {
        const { captured, run } = setup();
        await run();
        const out = captured.out.join("\n");
        expect(captured.out[0]).toMatch(/^NAMESPACE\s+APP\s+KIND\s+LANGUAGE\s+EVIDENCE$/);
        expect(out).toMatch(/\nshop\s+produce\s+Deployment\s+java\s+env JVM_OPTS: -javaagent:\/usr\/skywalking\/agent\/skywalking-agent.jar; env SW_AGENT_NAME; initContainer skywalking-agent/);
        expect(out).toContain("28 workloads: 22 SkyWalking, 2 already OpenTelemetry, 2 without an agent, 2 skipped");
        expect(out).toContain("image rebuild needed (the image itself loads the agent): finance/legacy-report, finance/report");
        expect(out).toContain("manual step for finance/ledger: ledger env JAVA_TOOL_OPTIONS comes from configMapKeyRef ledger-jvm/java-tool-options");
        expect(out).toContain("manual step for shop/loyalty: loyalty env JAVA_OPTS loads -javaagent:/opt/agent/agent.jar, whose path does not say whether it is SkyWalking: " +
            "rerun discover with --skywalking-agent /opt/agent/agent.jar if it is (the flip removes it) or --not-skywalking-agent /opt/agent/agent.jar if not (it stays)");
        expect(captured.err).toContain("skipped shop/produce-canary: replicas: 0 — nothing runs, nothing to migrate");
        expect(out).toContain("22 added, 0 completed, 0 already otel or bridge (left as written), 0 not found");
    });

    test("--namespace limits the listing and the missing check to those namespaces", async () => {
        const { inventoryFile, inventory, cluster, captured, run } = setup("config:\n  skyshift:apps:\n    shop/other: {mode: otel}\n");
        fs.writeFileSync(inventoryFile, "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  ml/retired: {}\n  shop/other: {container: other}\n");
        await run("--namespace", "ml", "--namespace", "edge");
        expect(new Set(cluster.calls.map(call => call.namespace))).toEqual(new Set(["ml", "edge"]));
        const apps = inventory().apps;
        expect(Object.keys(apps).sort()).toEqual(["edge/gateway", "edge/web-bff", "ml/ranker", "ml/recommend", "ml/retired", "shop/other"]);
        expect(captured.out).toContain("  NOT FOUND ml/retired: kept and marked with a comment — delete the entry if the app is gone for good");
        expect(fs.readFileSync(inventoryFile, "utf8")).toContain("# skyshift discover: not found in the cluster (2026-11-24, context fake (https://fake.invalid))");
    });

    test("--jvm-env and --sidecar extend the built-in lists", async () => {
        const { inventory, run } = setup();
        await run("--jvm-env", "APP_JAVA_OPTS", "--sidecar", "pricing-worker");
        const apps = inventory().apps;
        expect(apps["shop/notify"].agentIn.env).toEqual(["APP_JAVA_OPTS"]);
        expect(apps["shop/pricing"].evidence).toEqual(["env JAVA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar"]);
    });

    test("warns when the directory is not a Pulumi project, and not when it is", async () => {
        const { dir, captured, run } = setup();
        await run("--dry-run");
        expect(captured.err).toContain(`warning: ${dir} has no Pulumi.yaml — pulumi will not read files written here (pass --dir PROJECT)`);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: skyshift\nruntime: nodejs\n");
        captured.err.length = 0;
        await run("--dry-run");
        expect(captured.err.filter(line => line.startsWith("warning:"))).toEqual([]);
    });

    test("--dry-run prints everything and writes nothing", async () => {
        const text = "# keep me\nconfig: {}\n";
        const { stackFile, inventoryFile, captured, run } = setup(text);
        await run("--dry-run");
        expect(fs.readFileSync(stackFile, "utf8")).toBe(text);
        expect(fs.existsSync(inventoryFile)).toBe(false);
        expect(captured.out).toContain(`--dry-run: ${inventoryFile} left unchanged`);
    });

    test("never writes the stack file, and leaves apps the stack's decisions put in otel as written", async () => {
        const text = "config:\n  skyshift:selectors:\n    - {match: edge, mode: otel}\n";
        const { stackFile, inventoryFile, inventory, captured, run } = setup(text);
        fs.writeFileSync(inventoryFile, "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  edge/gateway: {container: gateway}\n");
        await run();
        expect(fs.readFileSync(stackFile, "utf8")).toBe(text);
        expect(inventory().apps["edge/gateway"]).toEqual({ container: "gateway" });
        expect(captured.out.join("\n")).toContain("1 already otel or bridge (left as written)");
    });

    test("writes the inventory file the stack's skyshift:inventory names", async () => {
        const { dir, run } = setup("config:\n  skyshift:inventory: inventories/prod.yaml\n");
        fs.mkdirSync(path.join(dir, "inventories"));
        await run();
        expect(Object.keys(YAML.parse(fs.readFileSync(path.join(dir, "inventories/prod.yaml"), "utf8")).apps)).toHaveLength(22);
    });

    test.each([
        [[], "--stack is required — name the stack whose config to use, e.g. --stack prod"],
        [["--stack", "prod", "--stak", "x"], "unknown option --stak — known options: --stack, --dir, --help, --context, --kubeconfig, --namespace, --jvm-env, --sidecar, --skywalking-agent, --not-skywalking-agent, --page-size, --dry-run"],
        [["--stack"], "--stack needs a value — e.g. --stack <value>"],
        [["--stack", "prod", "extra"], `unexpected argument "extra" — every value follows its flag`],
        [["--stack", "Pulumi.prod.yaml/x"], `--stack "Pulumi.prod.yaml/x" is not a stack name — use letters, digits, '-', '_' or '.'`],
        [["--stack", "prod", "--page-size", "0"], `--page-size "0" is not a positive whole number — e.g. --page-size 500`],
    ])("rejects %j with a usage error", async (argv, message) => {
        const { captured } = setup();
        const run = runDiscover(argv, { io: captured.io, connect: async () => { throw new Error("must not connect"); }, today: () => "" });
        await expect(run).rejects.toBeInstanceOf(UsageError);
        await expect(run).rejects.toThrow(message);
    });
});

describe("assertReadOnly (the request middleware of the real client)", () => {
    test.each(["POST", "PUT", "PATCH", "DELETE"])("refuses %s", method => {
        expect(() => assertReadOnly(method, "https://k8s/apis/apps/v1/namespaces/shop/deployments/produce"))
            .toThrow(`refusing ${method} https://k8s/apis/apps/v1/namespaces/shop/deployments/produce: skyshift only reads the cluster here — changes go through pulumi up`);
    });

    test("lets GET through", () => {
        expect(() => assertReadOnly("GET", "https://k8s/apis/apps/v1/deployments?limit=500")).not.toThrow();
    });
});

describe("npm run discover: agents a person decides", () => {
    test("--skywalking-agent records the decision, so the app is flippable and the flip removes that agent", async () => {
        const { dir, captured, run } = setup("config: {}\n");
        expect(await run("--skywalking-agent", "/opt/*/agent.jar", "--not-skywalking-agent", "/opt/apm/**")).toBe(0);
        const { apps } = readFleet(dir, "prod");
        expect([apps["shop/loyalty"].agents, apps["finance/invoice"].agents]).toEqual([{ "/opt/agent/agent.jar": "skywalking" }, { "/opt/apm/sw/agent.jar": "other" }]);
        expect(captured.out.join("\n")).not.toContain("manual step for shop/loyalty");
    });

    test("the same path for both flags is a usage error, before the cluster is read", async () => {
        const { cluster, run } = setup();
        await expect(run("--skywalking-agent", "/a.jar", "--not-skywalking-agent", "/a.jar")).rejects.toThrow(
            new UsageError("/a.jar: given to both --skywalking-agent and --not-skywalking-agent — keep the one that is true"));
        expect(cluster.calls).toEqual([]);
    });
});
