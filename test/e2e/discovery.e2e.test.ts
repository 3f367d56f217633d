/**
 * The discovery-side commands against the lab. The manifest corpus is applied into namespaces of its own, the
 * real `npm run discover` reads them with credentials that may only get and list workloads, and the stack file
 * it writes must hold exactly the corpus's SkyWalking apps, each record equal to what pure detection gives for
 * the manifest. `npm run status` then reads the same apps and flags the one whose config says otel.
 * `npm run rollback` runs against the real engine with a stand-in program that exports each app's mode
 * (the full program's flip is covered by the migration e2e tests).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { detectWorkload, Workload } from "../../discovery";
import { loadWorkloadFixture, workloadFixtureNames } from "../discovery/fixtures";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { applyManifest, KubeObject, kubectl, labEnv, LabEnv, REPO_ROOT, waitFor, writeProgram } from "./harness";

/** Corpus namespaces are prefixed so this file never meets another test's workloads. */
const PREFIX = "e2e-disc-";
const READER = { namespace: `${PREFIX}system`, name: "skyshift-discover" };

const corpus = workloadFixtureNames().map(name => {
    const { kind, workload } = loadWorkloadFixture(name);
    const namespace = PREFIX + (workload.metadata?.namespace ?? "default");
    return { name, kind, workload: { ...workload, metadata: { ...workload.metadata, namespace } } as Workload };
});
const namespaces = [...new Set([READER.namespace, ...corpus.map(c => c.workload.metadata?.namespace as string)])].sort();
const expectedApps = Object.fromEntries(corpus.flatMap(({ kind, workload }) => {
    const detection = detectWorkload(kind, workload);
    return detection.verdict === "skywalking" ? [[detection.key, detection.app]] : [];
}));

let lab: LabEnv;
let workDir: string;
let readOnlyKubeconfig: string;

function npm(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise(resolve => {
        execFile("npm", ["run", "--silent", script, "--", ...args], { cwd: REPO_ROOT, env: { ...process.env, ...lab.vars, ...env }, maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
}

/** A kubeconfig for a ServiceAccount that may only get and list Deployments and StatefulSets. */
async function readOnlyCredentials(): Promise<string> {
    const role = `${PREFIX}workload-reader`;
    await applyManifest([
        { apiVersion: "v1", kind: "ServiceAccount", metadata: READER },
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: role }, rules: [{ apiGroups: ["apps"], resources: ["deployments", "statefulsets"], verbs: ["get", "list"] }] },
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: role }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role }, subjects: [{ kind: "ServiceAccount", ...READER }] },
    ]);
    const token = (await kubectl(["create", "token", READER.name, "-n", READER.namespace])).trim();
    const admin = YAML.parse(fs.readFileSync(lab.vars.KUBECONFIG, "utf8"));
    const cluster = admin.clusters[0];
    const file = path.join(workDir, "reader.kubeconfig");
    fs.writeFileSync(file, YAML.stringify({
        apiVersion: "v1", kind: "Config", "current-context": "lab-reader",
        clusters: [cluster], users: [{ name: "reader", user: { token } }],
        contexts: [{ name: "lab-reader", context: { cluster: cluster.name, user: "reader" } }],
    }));
    return file;
}

beforeAll(async () => {
    lab = await labEnv();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-e2e-discovery-"));
    // A previous run's namespaces may still be terminating; objects cannot be created in them.
    await waitFor(async () => !(await kubectl(["get", "namespaces", "-o", "jsonpath={.items[?(@.status.phase==\"Terminating\")].metadata.name}"])).includes(PREFIX),
        180_000, `the ${PREFIX}* namespaces of an earlier run to finish terminating`);
    await applyManifest(namespaces.map(name => ({ apiVersion: "v1", kind: "Namespace", metadata: { name } })));
    await applyManifest(corpus.map(({ kind, workload }) => ({ apiVersion: "apps/v1", kind, ...workload }) as KubeObject));
    readOnlyKubeconfig = await readOnlyCredentials();
}, 300_000);

afterAll(async () => {
    if (!lab) return;
    await kubectl(["delete", "namespace", ...namespaces, "--wait=false", "--ignore-not-found"]);
    await kubectl(["delete", "clusterrole,clusterrolebinding", `${PREFIX}workload-reader`, "--ignore-not-found"]);
    fs.rmSync(workDir, { recursive: true, force: true });
});

const STACK_FILE = `# e2e stack: discovery reads the decisions here and never writes this file
config:
  skyshift:apps:
    ${PREFIX}shop/retired: {mode: skywalking}
`;

const HAND_WRITTEN = `# e2e inventory: hand-written parts must survive discovery
apiVersion: skyshift/v1
kind: Inventory
apps:
  ${PREFIX}shop/produce:
    serviceName: produce-by-hand # people's name wins
  ${PREFIX}shop/retired: {}
`;

describe("discover on the lab", () => {
    test("finds exactly the SkyWalking apps, with read-only credentials, and merges them into the inventory file", async () => {
        const stackFile = path.join(workDir, "Pulumi.e2e.yaml");
        const inventoryFile = path.join(workDir, "skyshift.e2e.inventory.yaml");
        fs.writeFileSync(stackFile, STACK_FILE);
        fs.writeFileSync(inventoryFile, HAND_WRITTEN);
        const args = ["--stack", "e2e", "--dir", workDir, "--kubeconfig", readOnlyKubeconfig, "--page-size", "4", ...namespaces.flatMap(n => ["--namespace", n])];
        const { code, stdout, stderr } = await npm("discover", args);
        expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });

        const apps = YAML.parse(fs.readFileSync(inventoryFile, "utf8")).apps;
        expect(Object.keys(apps).sort()).toEqual([...Object.keys(expectedApps), `${PREFIX}shop/retired`].sort());
        for (const [key, app] of Object.entries(expectedApps)) {
            expect({ key, app: apps[key] }).toEqual({ key, app: key === `${PREFIX}shop/produce` ? { ...app, serviceName: "produce-by-hand" } : app });
        }
        expect(stdout).toContain("28 workloads: 22 SkyWalking, 2 already OpenTelemetry, 2 without an agent, 2 skipped");
        expect(stdout).toContain(`NOT FOUND ${PREFIX}shop/retired`);
        expect(stderr).toMatch(new RegExp(`listed 8 Deployments in ${PREFIX}shop \\(page 2, more to come\\)`));
        expect(fs.readFileSync(stackFile, "utf8")).toBe(STACK_FILE);
        const text = fs.readFileSync(inventoryFile, "utf8");
        expect(text).toContain("# e2e inventory: hand-written parts must survive discovery");
        expect(text).toContain("serviceName: produce-by-hand # people's name wins");
        expect(text).toContain(`# skyshift discover: not found in the cluster`);
    });

    test("the read-only credentials really cannot write, so discovery could not have", async () => {
        const denied = await new Promise<string>(resolve => execFile("kubectl", ["--kubeconfig", readOnlyKubeconfig, "auth", "can-i", "patch", "deployments", "-n", `${PREFIX}shop`],
            { env: { ...process.env, ...lab.vars } }, (_error, stdout) => resolve(stdout.trim())));
        expect(denied).toBe("no");
    });
});

describe("status on the lab", () => {
    test("reports every app's live state and flags the app whose config says otel while SkyWalking still runs", async () => {
        await waitFor(async () => {
            const ready = JSON.parse(await kubectl(["get", "deployment", "produce", "-n", `${PREFIX}shop`, "-o", "json"])).status?.readyReplicas;
            return ready === 2;
        }, 120_000, "produce to be ready");
        // One flip, as people make it: a per-app decision in the stack file.
        const stackFile = path.join(workDir, "Pulumi.e2e.yaml");
        const doc = YAML.parseDocument(fs.readFileSync(stackFile, "utf8"));
        doc.setIn(["config", "skyshift:apps", `${PREFIX}shop/order-service`], doc.createNode({ mode: "otel" }));
        fs.writeFileSync(stackFile, doc.toString({ lineWidth: 0 }));

        const { code, stdout } = await npm("status", ["--stack", "e2e", "--dir", workDir, "--kubeconfig", readOnlyKubeconfig]);
        expect(code).toBe(3);
        expect(stdout).toMatch(new RegExp(`${PREFIX}shop/produce\\s+skywalking\\s+-\\s+yes\\s+ready\\s+ok`));
        expect(stdout).toMatch(new RegExp(`${PREFIX}shop/order-service\\s+otel\\s+-\\s+yes\\s+\\S.*DRIFT`));
        expect(stdout).toContain(`${PREFIX}shop/order-service: config says otel, but no instrumentation.opentelemetry.io/inject-java annotation and SkyWalking loads again`);
        expect(stdout).toContain("repair: pulumi refresh --stack e2e --yes && pulumi up --stack e2e");
    }, 180_000);
});

/** Exports each app's mode decision, so a rollback's effect shows in the preview and in the stack outputs. */
const STAND_IN_PROGRAM = {
    "Pulumi.yaml": "name: skyshift\nruntime: nodejs\n",
    "package.json": JSON.stringify({ name: "skyshift-stand-in", main: "index.js" }),
    "index.js": `const pulumi = require("@pulumi/pulumi");
const apps = new pulumi.Config("skyshift").requireObject("apps");
exports.appModes = Object.fromEntries(Object.entries(apps).map(([key, app]) => [key, app.mode]));
`,
};

/** Stands in for the RolloutGate: records `app` and `patchHash` when it passes; an app named crashy fails it in otel. */
const STAND_IN_GATED_PROGRAM = {
    ...STAND_IN_PROGRAM,
    "index.js": `const pulumi = require("@pulumi/pulumi");
const apps = new pulumi.Config("skyshift").requireObject("apps");
const check = async (inputs) => {
    // A real gate fails only after watching the pods; failing at once could stop the engine before it starts the
    // other app's gate, and that app would then rightly count as not passed either.
    if (inputs.mode === "otel" && inputs.app.endsWith("/crashy")) {
        await new Promise(resolve => setTimeout(resolve, 3000));
        throw new Error(inputs.app + ": pod crashy-1 restarted 3 times");
    }
    return { app: inputs.app, patchHash: inputs.mode };
};
const gate = {
    create: async (inputs) => ({ id: inputs.app, outs: await check(inputs) }),
    diff: async (_id, olds, news) => ({ changes: olds.patchHash !== news.mode }),
    update: async (_id, _olds, news) => ({ outs: await check(news) }),
};
for (const [key, app] of Object.entries(apps)) new pulumi.dynamic.Resource(gate, key + "-gate", { app: key, mode: app.mode });
exports.appModes = Object.fromEntries(Object.entries(apps).map(([key, app]) => [key, app.mode]));
`,
};

describe("rollback on the real engine", () => {
    test("restores modes from config and history, previews first, and refuses to apply without a terminal or --yes", async () => {
        const projectDir = writeProgram(STAND_IN_PROGRAM);
        const backend = { PULUMI_BACKEND_URL: `file://${fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-e2e-rollback-state-"))}` };
        const stackFile = path.join(projectDir, "Pulumi.prod.yaml");
        fs.writeFileSync(path.join(projectDir, "skyshift.prod.inventory.yaml"), "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/produce: {}\n  shop/order-service: {}\n");
        // The lab's CLI, at $SKYSHIFT_CACHE/bin/pulumi; the rollback command finds it on the PATH lab.vars sets.
        const pulumiCommand = await PulumiCommand.get({ root: lab.cache });
        const stack = await LocalWorkspace.createOrSelectStack({ stackName: "prod", workDir: projectDir }, { envVars: { ...lab.vars, ...backend }, pulumiCommand });
        const setModes = async (produce: string, order: string) => {
            fs.writeFileSync(stackFile, `config:\n  skyshift:apps:\n    # discovered\n    shop/produce: {mode: ${produce}}\n    shop/order-service: {mode: ${order}}\n`);
            await stack.up();
        };
        await setModes("skywalking", "skywalking");
        await setModes("otel", "skywalking");
        await setModes("otel", "otel");
        const modes = async () => (await stack.outputs()).appModes.value;
        const rollback = (...args: string[]) => npm("rollback", ["--stack", "prod", "--dir", projectDir, ...args], backend);

        const refused = await rollback("--app", "shop/order-service");
        expect(refused.code).toBe(1);
        expect(refused.stdout).toMatch(/~ shop\/order-service: "otel" => "skywalking"/);
        expect(refused.stderr).toContain("refusing to apply without --yes: stdin is not a terminal");
        expect(await modes()).toEqual({ "shop/produce": "otel", "shop/order-service": "otel" });

        const applied = await rollback("--app", "shop/order-service", "--yes");
        expect(applied.code).toBe(0);
        expect(await modes()).toEqual({ "shop/produce": "otel", "shop/order-service": "skywalking" });
        expect(fs.readFileSync(stackFile, "utf8")).toContain("# discovered");

        const listed = await rollback("--list");
        expect(listed.stdout.split("\n").slice(1, 5).map(line => line.split(/\s+/)[4])).toEqual(["1/2", "2/2", "1/2", "0/2"]);

        const restored = await rollback("--to", "@4", "--yes");
        expect(restored.code).toBe(0);
        expect(await modes()).toEqual({ "shop/produce": "skywalking", "shop/order-service": "skywalking" });
    }, 300_000);

    test("--failed finds, from history and state, the app whose gate failed in the last update and rolls back only it", async () => {
        const projectDir = writeProgram(STAND_IN_GATED_PROGRAM);
        const backend = { PULUMI_BACKEND_URL: `file://${fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-e2e-failed-state-"))}` };
        const stackFile = path.join(projectDir, "Pulumi.prod.yaml");
        fs.writeFileSync(path.join(projectDir, "skyshift.prod.inventory.yaml"), "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/good: {}\n  shop/crashy: {}\n");
        const pulumiCommand = await PulumiCommand.get({ root: lab.cache });
        const stack = await LocalWorkspace.createOrSelectStack({ stackName: "prod", workDir: projectDir }, { envVars: { ...lab.vars, ...backend }, pulumiCommand });
        const writeModes = (good: string, crashy: string) =>
            fs.writeFileSync(stackFile, `config:\n  skyshift:apps:\n    shop/good: {mode: ${good}}\n    shop/crashy: {mode: ${crashy}}\n`);
        writeModes("skywalking", "skywalking");
        await stack.up();
        writeModes("otel", "otel");
        await expect(stack.up()).rejects.toThrow("shop/crashy: pod crashy-1 restarted 3 times");

        const { code, stdout, stderr } = await npm("rollback", ["--stack", "prod", "--dir", projectDir, "--failed", "--yes"], backend);
        expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
        expect(stdout).toMatch(/^last update: failed at /);
        expect(stdout).toMatch(/ {2}shop\/crashy: flipped to otel by the failed update of .*; its health gate did not pass\n/);
        expect(stdout).not.toMatch(/ {2}shop\/good:/);
        expect(stdout).toContain("  shop/crashy: mode otel → skywalking");
        expect((await stack.outputs()).appModes.value).toEqual({ "shop/good": "otel", "shop/crashy": "skywalking" });
        expect((await stack.history())[0].result).toBe("succeeded");
    }, 300_000);
});
