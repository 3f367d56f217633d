/**
 * Upgrading a stack from the per-app AppMigration component (a WorkloadApply `<key>-patch` and a RolloutGate
 * `<key>-gate`) to one AppFlip per app: the state the old code wrote, `up` with the new code, and nothing is
 * replaced, re-applied or rolled. The old code is the repository's own at LEGACY_COMMIT, extracted with
 * `git archive` into the test's program directory.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { applyManifest, createStack, KubeObject, kubectl, LabStack, migrateAppsProgram, readObject, REPO_ROOT, waitFor, writeProgram, waitForNamespaceGone, labInstrumentation } from "./harness";
import { rolledOut } from "./lab-pods";

/** The last commit whose migration was AppMigration + WorkloadApply + RolloutGate. */
const LEGACY_COMMIT = "31552c0";
const NS = "skyshift-upgrade";
const REF = `${NS}/skyshift`;
const AGENT = "-javaagent:/skywalking/agent/skywalking-agent.jar";
const CATALINA_OPTS = `-Xms1g ${AGENT} -Dfile.encoding=UTF-8`;

type Deployment = KubeObject & {
    metadata: { generation: number; annotations?: Record<string, string> };
    spec: { replicas: number; template: { metadata: { annotations?: Record<string, string> } } };
    status?: { observedGeneration?: number; updatedReplicas?: number; readyReplicas?: number; replicas?: number };
};

const deployment = (name: string, env: Array<{ name: string; value: string }>, namespace = NS): KubeObject => ({
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace },
    spec: { replicas: 1, selector: { matchLabels: { app: name } },
        template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `registry.lab/shop/${name}:1.0`, env }] } } },
});

/** What discovery learned about the two apps: in stack config for the old code, in the inventory file for the new. */
const inventory = {
    [`${NS}/order`]: { container: "order", serviceName: "order", agentIn: { env: ["CATALINA_OPTS"] }, original: { env: { CATALINA_OPTS } } },
    [`${NS}/billing`]: { container: "billing", agentIn: { env: ["JAVA_TOOL_OPTIONS"] }, original: { env: { JAVA_TOOL_OPTIONS: AGENT } } },
};
const settings = {
    collector: { exporters: [{ name: "debug", kind: "debug" }] },
    migration: { soakSeconds: 2, pollSeconds: 1, rolloutTimeoutSeconds: 60, maxAppsPerUpdate: 2 },
};
const legacyConfig = {
    ...settings,
    apps: { [`${NS}/order`]: { mode: "otel", ...inventory[`${NS}/order`] }, [`${NS}/billing`]: { mode: "skywalking", ...inventory[`${NS}/billing`] } },
};
const decisions = (orderMode: string) => ({ ...settings, apps: { [`${NS}/order`]: { mode: orderMode } } });

/** The old program: migrateApps and the config parser of the legacy copy, which read the apps from stack config. */
function legacyProgram(root: string): string {
    return [
        `import * as pulumi from "@pulumi/pulumi";`,
        `import { migrateApps } from ${JSON.stringify(path.join(root, "components/migration"))};`,
        `import { parseStackConfig, rawStackConfig } from ${JSON.stringify(path.join(root, "config"))};`,
        `const { config } = parseStackConfig(rawStackConfig(pulumi.runtime.allConfig()));`,
        `export const appModes = migrateApps(config, "${REF}", { kubeconfig: process.env.KUBECONFIG }).then(m => m.appModes);`,
    ].join("\n");
}

const read = (name: string, namespace = NS) => readObject<Deployment>("apps/v1", "Deployment", namespace, name);
const revision = (d: Deployment) => d.metadata.annotations?.["deployment.kubernetes.io/revision"];
/** What a rollout would change: generation, revision and the template itself. */
const rolloutMarks = async (name: string, namespace = NS) => {
    const d = (await read(name, namespace))!;
    return { generation: d.metadata.generation, revision: revision(d), template: JSON.stringify(d.spec.template) };
};

/** A fresh namespace with the Instrumentation and the two apps as they ran before skyshift; order's template as stored. */
async function setUpApps(namespace: string): Promise<string> {
    await waitForNamespaceGone(namespace, 120_000);
    await kubectl(["create", "namespace", namespace]);
    await applyManifest([
        labInstrumentation(namespace),
        deployment("order", [{ name: "CATALINA_OPTS", value: CATALINA_OPTS }], namespace),
        deployment("billing", [{ name: "JAVA_TOOL_OPTIONS", value: AGENT }], namespace),
    ]);
    return JSON.stringify((await waitFor(() => read("order", namespace), 60_000, "order created")).spec.template);
}

describe("upgrading a stack from AppMigration to AppFlip", () => {
    let stack: LabStack;
    let dir: string;
    /** order's pod template as the cluster stored it before skyshift touched it. */
    let originalOrderTemplate: string;

    beforeAll(async () => {
        originalOrderTemplate = await setUpApps(NS);
        dir = writeProgram({
            "Pulumi.yaml": "name: skyshift\nruntime: {name: nodejs, options: {typescript: true}}\n",
            "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", esModuleInterop: true, skipLibCheck: true } }),
        });
        const archive = execFileSync("git", ["-C", REPO_ROOT, "archive", LEGACY_COMMIT, "components", "config"]);
        fs.mkdirSync(path.join(dir, "legacy"));
        execFileSync("tar", ["-x", "-C", path.join(dir, "legacy")], { input: archive });
        fs.writeFileSync(path.join(dir, "index.ts"), legacyProgram(path.join(dir, "legacy")));
        stack = await createStack("upgrade", legacyConfig, { projectDir: dir });
    });

    afterAll(async () => {
        await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
    });

    it("the old code adopts both apps and flips one, with its component, patch and gate per app", async () => {
        await stack.up();
        const types = (await stack.stack.exportStack()).deployment.resources.map((r: { type: string; urn: string }) => r.urn.split("::").slice(2).join("::"));
        expect(types).toEqual(expect.arrayContaining([
            `skyshift:index:AppMigration::${NS}/order`,
            `skyshift:index:AppMigration$pulumi-nodejs:dynamic:Resource::${NS}/order-patch`,
            `skyshift:index:AppMigration$pulumi-nodejs:dynamic:Resource::${NS}/order-gate`,
        ]));
        expect((await read("order"))!.spec.template.metadata.annotations).toEqual({
            "instrumentation.opentelemetry.io/inject-java": REF, "instrumentation.opentelemetry.io/java-container-names": "order" });
    });

    it("the new code takes the state over: nothing replaced or re-applied, no rollout, then no changes and a clean refresh", async () => {
        const before = { order: await rolloutMarks("order"), billing: await rolloutMarks("billing") };
        // Today's program, and the stack converted to an inventory file plus mode decisions.
        fs.copyFileSync(path.join(migrateAppsProgram(REF), "index.ts"), path.join(dir, "index.ts"));
        stack.setInventory(inventory);
        await stack.setConfig(decisions("otel"));
        const { changes } = await stack.preview();
        // The wave is new; the old gates and components go (state only), and so does the StackReference the old
        // code read its appModes through (a read resource: "discard"); each patch becomes its app's AppFlip unchanged.
        expect(changes).toEqual({ create: 1, delete: 4, discard: 1, same: 3 });
        await stack.up();
        const urns = (await stack.stack.exportStack()).deployment.resources.map((r: { urn: string }) => r.urn.split("::").slice(2).join("::"));
        expect(urns).toEqual(expect.arrayContaining([`pulumi-nodejs:dynamic/skyshift:AppFlip::${NS}/order`, `pulumi-nodejs:dynamic/skyshift:AppFlip::${NS}/billing`,
            "pulumi-nodejs:dynamic/skyshift:Wave::wave"]));
        expect(urns.filter((urn: string) => urn.includes("AppMigration"))).toEqual([]);
        expect({ order: await rolloutMarks("order"), billing: await rolloutMarks("billing") }).toEqual(before);
        await stack.preview(true);
        await stack.refresh(true);
    });

    it("an adopted app flips back with the new code and its template is the original again", async () => {
        await stack.setConfig(decisions("skywalking"));
        await stack.up();
        const order = await rolledOut<Deployment>(NS, "order");
        expect(JSON.stringify(order.spec.template)).toBe(originalOrderTemplate);
    });
});

/** The last commit whose AppFlip kept its spec as a nested object instead of a JSON string. */
const OBJECT_SPEC_COMMIT = "80a341c";

describe("upgrading AppFlips whose state holds the spec as an object", () => {
    const ns = "skyshift-upgrade-spec";
    const ref = `${ns}/skyshift`;
    const apps = { [`${ns}/order`]: inventory[`${NS}/order`], [`${ns}/billing`]: inventory[`${NS}/billing`] };
    const modes = (orderMode: string) => ({ ...settings, apps: { [`${ns}/order`]: { mode: orderMode } } });
    let stack: LabStack;
    let dir: string;
    let originalOrderTemplate: string;

    beforeAll(async () => {
        originalOrderTemplate = await setUpApps(ns);
        const old = path.join(writeProgram({}), "old");
        fs.mkdirSync(old);
        const archive = execFileSync("git", ["-C", REPO_ROOT, "archive", OBJECT_SPEC_COMMIT, "components", "config", "languages", "kube", "discovery"], { maxBuffer: 64 << 20 });
        execFileSync("tar", ["-x", "-C", old], { input: archive });
        dir = migrateAppsProgram(ref, { root: old });
        stack = await createStack("upgrade-spec", modes("otel"), { projectDir: dir });
        stack.setInventory(apps);
    });

    afterAll(async () => {
        await kubectl(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"]);
    });

    /** Per app, whether its AppFlip's state holds the spec as a `string` or an `object`. */
    const specForms = async () => Object.fromEntries((await stack.stack.exportStack()).deployment.resources
        .filter((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/skyshift:AppFlip")
        .map((r: { outputs: { app: string; spec: unknown } }) => [r.outputs.app, typeof r.outputs.spec]));

    it("the old code flips one app and adopts the other, each spec an object in state", async () => {
        await stack.up();
        expect(await specForms()).toEqual({ [`${ns}/order`]: "object", [`${ns}/billing`]: "object" });
    });

    it("the new code takes them over with no change, no rollout and a clean refresh; a flip back writes the string", async () => {
        const before = { order: await rolloutMarks("order", ns), billing: await rolloutMarks("billing", ns) };
        fs.copyFileSync(path.join(migrateAppsProgram(ref), "index.ts"), path.join(dir, "index.ts"));
        await stack.preview(true);
        await stack.refresh(true);
        expect({ order: await rolloutMarks("order", ns), billing: await rolloutMarks("billing", ns) }).toEqual(before);
        await stack.setConfig(modes("skywalking"));
        await stack.up();
        const order = await rolledOut<Deployment>(ns, "order");
        expect(JSON.stringify(order.spec.template)).toBe(originalOrderTemplate);
        expect(await specForms()).toEqual({ [`${ns}/order`]: "string", [`${ns}/billing`]: "object" });
    });
});
