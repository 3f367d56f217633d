/**
 * Cluster access as production clusters need it, on the lab: the program (`pulumi up` with a flip and the gate)
 * and the `discover`, `status` and `rollback` commands reach kube-apiserver with credentials from an exec plugin
 * (the way EKS, GKE and AKS kubeconfigs work), through an HTTPS proxy, and in-cluster from a service account's
 * token and CA files. The credential is a least-privilege ServiceAccount's token, which kube-apiserver accepts
 * through its service-account token authenticator.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import YAML from "yaml";
import { connectProxy, deployerToken, execKubeconfig, labCluster, Plugin, writePlugin } from "./cluster-access-fixtures";
import { applyManifest, createStack, KubeObject, kubectl, labEnv, LabEnv, LabStack, readObject, REPO_ROOT, waitFor, writeProgram, waitForNamespaceGone, labInstrumentation } from "./harness";

const NS = "skyshift-access";
const REF = `${NS}/skyshift`;
const AGENT = "-javaagent:/skywalking/agent/skywalking-agent.jar";
const INSTRUMENTATION = labInstrumentation(NS);

type Deployment = KubeObject & { metadata: { generation: number }; spec: { replicas: number; template: { metadata: { annotations?: Record<string, string> } } };
    status?: { observedGeneration?: number; updatedReplicas?: number; readyReplicas?: number; replicas?: number } };
const deployment = (name: string): KubeObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: NS }, spec: {
    replicas: 1, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `registry.lab/shop/${name}:1.0`,
        env: [{ name: "JAVA_TOOL_OPTIONS", value: `-Xmx1g ${AGENT}` }] }] } } } });
const read = (name: string) => readObject<Deployment>("apps/v1", "Deployment", NS, name);
const rolledOut = (name: string) => waitFor(async () => {
    const d = await read(name);
    const s = d?.status ?? {};
    return d && s.observedGeneration === d.metadata.generation && s.updatedReplicas === 1 && s.readyReplicas === 1 && s.replicas === 1 ? d : undefined;
}, 120_000, `${name} rolled out`);

/** migrateApps alone, reaching the cluster as index.ts does: `kubernetes:kubeconfig`, else the default sources. */
const program = () => writeProgram({
    "Pulumi.yaml": "name: skyshift\nruntime: {name: nodejs, options: {typescript: true}}\n",
    "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", esModuleInterop: true, skipLibCheck: true } }),
    "index.ts": [
        `import * as pulumi from "@pulumi/pulumi";`,
        `import { migrateApps } from ${JSON.stringify(path.join(REPO_ROOT, "components/migration"))};`,
        `import { loadStackConfig } from ${JSON.stringify(path.join(REPO_ROOT, "config"))};`,
        `const { config } = loadStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());`,
        `const kubernetes = new pulumi.Config("kubernetes");`,
        `export const appModes = migrateApps(config, "${REF}", { kubeconfig: kubernetes.get("kubeconfig") }).appModes;`,
    ].join("\n"),
});
const SETTINGS = { collector: { exporters: [{ name: "debug", kind: "debug" }] }, migration: { soakSeconds: 3, pollSeconds: 1, rolloutTimeoutSeconds: 60, maxAppsPerUpdate: 2 } };

let lab: LabEnv;
let dir: string;
let token: string;
let plugin: Plugin;
let kubeconfig: string;
let stack: LabStack;
const before: Record<string, Deployment> = {};

function command(script: string, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise(resolve => execFile("npm", ["run", "--silent", script, "--", ...args],
        { cwd: REPO_ROOT, env: { ...process.env, ...lab.vars, ...env }, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr })));
}

/** Edits the stack's file as a person would (comments and discovered records kept). */
function editStackFile(edit: (doc: YAML.Document) => void): void {
    const file = path.join(stack.workDir, `Pulumi.${stack.stack.name}.yaml`);
    const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
    edit(doc);
    fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
}
const setMode = (app: string, mode: string) => editStackFile(doc => doc.setIn(["config", "skyshift:apps", `${NS}/${app}`, "mode"], mode));

beforeAll(async () => {
    lab = await labEnv();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-e2e-access-"));
    await waitForNamespaceGone(NS, 120_000);
    await kubectl(["create", "namespace", NS]);
    await applyManifest([INSTRUMENTATION, deployment("order"), deployment("billing")]);
    for (const name of ["order", "billing"]) before[name] = await rolledOut(name);
    token = await deployerToken(NS, "skyshift-deployer");
    fs.writeFileSync(path.join(dir, "token"), token);
    plugin = writePlugin(dir, "lab-credential-plugin");
    kubeconfig = execKubeconfig(dir, "exec-user", labCluster(lab), plugin.command, path.join(dir, "token"));
    stack = await createStack("access", { ...SETTINGS, "kubernetes:kubeconfig": kubeconfig, apps: {} }, { projectDir: program() });
}, 300_000);

afterAll(async () => {
    if (!lab) return;
    await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
    fs.rmSync(dir, { recursive: true, force: true });
});

describe("an exec credential plugin", () => {
    test("discover writes the inventory with it", async () => {
        const { code, stderr } = await command("discover", ["--stack", "access", "--dir", stack.workDir, "--kubeconfig", kubeconfig, "--namespace", NS]);
        expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
        const apps = YAML.parse(fs.readFileSync(path.join(stack.workDir, "skyshift.access.inventory.yaml"), "utf8")).apps;
        expect(Object.keys(apps).sort()).toEqual([`${NS}/billing`, `${NS}/order`]);
        expect(apps[`${NS}/order`]).toMatchObject({ container: "order" });
        expect(plugin.runs()).toBe(1);
    });

    test("pulumi up adopts, flips one app and passes its gate, running the plugin once per update", async () => {
        await stack.up();
        setMode("order", "otel");
        const runsBefore = plugin.runs();
        const { stdout } = await stack.up();
        const order = await rolledOut("order");
        expect(order.spec.template.metadata.annotations?.["instrumentation.opentelemetry.io/inject-java"]).toBe(REF);
        const pods = JSON.parse(await kubectl(["get", "pods", "-n", NS, "-l", "app=order", "-o", "json"])).items as Array<{ metadata: { deletionTimestamp?: string }; spec: { initContainers?: Array<{ name: string }> } }>;
        expect(pods.filter(p => !p.metadata.deletionTimestamp).map(p => p.spec.initContainers?.map(c => c.name))).toEqual([["opentelemetry-auto-instrumentation-java"]]);
        // The gate polled the API every second for the soak: one plugin run served the whole update.
        expect(plugin.runs() - runsBefore).toBe(1);
        expect(stdout).not.toContain(token);
        expect(JSON.stringify(await stack.stack.exportStack())).not.toContain(token);
    });

    test("status reads the flipped app with it", async () => {
        const { code, stdout } = await command("status", ["--stack", "access", "--dir", stack.workDir, "--kubeconfig", kubeconfig]);
        expect(code).toBe(0);
        expect(stdout).toMatch(new RegExp(`${NS}/order\\s+otel\\s+${REF}\\s+no\\s+\\S.*\\s+ok`));
        expect(stdout).toMatch(new RegExp(`${NS}/billing\\s+skywalking\\s+-\\s+yes\\s+\\S.*\\s+ok`));
    });

    test("rollback --app restores the original template through it", async () => {
        const backend = (stack.stack.workspace as LocalWorkspace).envVars.PULUMI_BACKEND_URL;
        const { code, stdout, stderr } = await command("rollback", ["--stack", "access", "--dir", stack.workDir, "--app", `${NS}/order`, "--yes"], { PULUMI_BACKEND_URL: backend });
        expect({ code, stderr: code === 0 ? "" : `${stdout}\n${stderr}` }).toEqual({ code: 0, stderr: "" });
        expect(JSON.stringify((await rolledOut("order")).spec.template)).toBe(JSON.stringify(before.order.spec.template));
    });

    test("a failing plugin fails the update naming the plugin and its stderr, and nothing is applied", async () => {
        const failing = writePlugin(dir, "revoked-plugin", "lab-credential-plugin: the session was revoked, log in again");
        const failingKubeconfig = execKubeconfig(dir, "revoked-user", labCluster(lab), failing.command, path.join(dir, "token"));
        editStackFile(doc => doc.setIn(["config", "kubernetes:kubeconfig"], failingKubeconfig));
        setMode("billing", "otel");
        await expect(stack.up()).rejects.toThrow(
            `exec plugin ${JSON.stringify(failing.command)} of kubeconfig user "revoked-user" exited with code 4: lab-credential-plugin: the session was revoked, log in again`);
        const billing = (await read("billing"))!;
        expect([billing.metadata.generation, JSON.stringify(billing.spec.template)]).toEqual([before.billing.metadata.generation, JSON.stringify(before.billing.spec.template)]);
        editStackFile(doc => doc.setIn(["config", "kubernetes:kubeconfig"], kubeconfig));
        setMode("billing", "skywalking");
    });

    test("a plugin that is not installed: the command prints its installHint", async () => {
        const missing = execKubeconfig(dir, "missing-user", labCluster(lab), "skyshift-lab-no-such-plugin", path.join(dir, "token"));
        const { code, stderr } = await command("status", ["--stack", "access", "--dir", stack.workDir, "--kubeconfig", missing]);
        expect(code).not.toBe(0);
        expect(stderr).toContain('exec plugin "skyshift-lab-no-such-plugin" of kubeconfig user "missing-user" was not found (not on PATH). skyshift-lab: the plugin is written by cluster-access.e2e.test.ts');
    });
});

describe("an HTTPS proxy", () => {
    test("discover reaches the service address 10.96.0.1 only through HTTPS_PROXY", async () => {
        const { server, caData } = labCluster(lab);
        const port = Number(new URL(server).port);
        const proxy = await connectProxy({ host: "127.0.0.1", port });
        try {
            const viaService = execKubeconfig(dir, "proxied-user", { server: `https://10.96.0.1:${port}`, caData }, plugin.command, path.join(dir, "token"));
            const { code, stderr } = await command("discover", ["--stack", "proxied", "--dir", dir, "--kubeconfig", viaService, "--namespace", NS],
                { HTTPS_PROXY: proxy.url, NO_PROXY: "", no_proxy: "" });
            expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
            expect(new Set(proxy.targets)).toEqual(new Set([`10.96.0.1:${port}`]));
        } finally {
            await proxy.close();
        }
    });
});

describe("in-cluster config", () => {
    test("with no kubeconfig, pulumi up uses the service host and the token and CA files", async () => {
        const serviceAccount = path.join(dir, "serviceaccount");
        fs.mkdirSync(serviceAccount);
        fs.writeFileSync(path.join(serviceAccount, "token"), token);
        fs.writeFileSync(path.join(serviceAccount, "ca.crt"), Buffer.from(labCluster(lab).caData, "base64"));
        const apps = YAML.parse(fs.readFileSync(path.join(stack.workDir, "skyshift.access.inventory.yaml"), "utf8")).apps;
        const inCluster = await createStack("in-cluster", { ...SETTINGS, apps: { [`${NS}/billing`]: { mode: "otel" } } }, { projectDir: stack.workDir });
        inCluster.setInventory({ [`${NS}/billing`]: apps[`${NS}/billing`] });
        const home = fs.mkdtempSync(path.join(dir, "home-"));
        Object.assign((inCluster.stack.workspace as LocalWorkspace).envVars, { KUBECONFIG: "", HOME: home, KUBERNETES_SERVICE_HOST: "127.0.0.1",
            KUBERNETES_SERVICE_PORT: new URL(labCluster(lab).server).port, SKYSHIFT_SERVICE_ACCOUNT_DIR: serviceAccount });
        await inCluster.up();
        expect((await rolledOut("billing")).spec.template.metadata.annotations?.["instrumentation.opentelemetry.io/inject-java"]).toBe(REF);
        await inCluster.setConfig({ ...SETTINGS, apps: {} });
        await inCluster.up();
        expect(JSON.stringify((await rolledOut("billing")).spec.template)).toBe(JSON.stringify(before.billing.spec.template));
    });
});
