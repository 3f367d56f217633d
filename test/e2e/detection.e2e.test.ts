/**
 * One definition of SkyWalking per language, on the lab: agents outside the jar name `skywalking-agent.jar` are
 * discovered by the real `npm run discover`, an undecided one blocks the flip at preview until a person decides
 * with `--skywalking-agent`, the real engine flips the apps, and every pod the real operator's webhook admitted
 * runs exactly one `-javaagent` (OpenTelemetry's) and no `-Dskywalking`. A SkyWalking agent put back by a
 * pipeline after discovery fails the health gate with `skywalking still loaded`.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { applyManifest, createStack, KubeObject, kubectl, labEnv, LabEnv, LabStack, migrateAppsProgram, readObject, REPO_ROOT, waitFor, waitForNamespaceGone, labInstrumentation } from "./harness";

const NS = "skyshift-det";
const REF = `${NS}/skyshift`;
const UNDECIDED = "/opt/apm/sw/agent.jar";
const INJECTED = "opentelemetry-auto-instrumentation-java";
const INSTRUMENTATION = labInstrumentation(NS, { propagators: ["tracecontext", "baggage"] });

type Container = { name: string; image: string; env?: Array<{ name: string; value?: string }>; command?: string[]; args?: string[] };
type Pod = KubeObject & { metadata: { name: string; deletionTimestamp?: string }; spec: { initContainers?: Container[]; containers: Container[] } };

function deployment(name: string, container: Omit<Container, "name" | "image">): KubeObject {
    return {
        apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: NS },
        spec: { replicas: 1, selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `registry.lab/det/${name}:1.0`, ...container }] } } },
    };
}

const workloads = [
    // Not named for SkyWalking, next to SkyWalking's own properties: discovery must not guess.
    deployment("invoice", { env: [{ name: "JAVA_TOOL_OPTIONS", value: `-javaagent:${UNDECIDED}=agent.service_name=invoice -Dskywalking.agent.service_name=invoice -Xmx256m` }] }),
    // The agent under a versioned name in a skywalking agent directory, in argv.
    deployment("points", { command: ["java"], args: ["-javaagent:/skywalking/agent/apm-agent-9.jar=agent.service_name=points", "-Dskywalking_config=/skywalking/agent/config/agent.config", "-Xss512k", "-jar", "/app/points.jar"] }),
    deployment("ledger", { env: [{ name: "CATALINA_OPTS", value: "-javaagent:/skywalking/agent/skywalking-agent.jar -Dfile.encoding=UTF-8" }] }),
];

let lab: LabEnv;
/** What discover wrote once the undecided agent was decided, kept for the later flips. */
let decidedInventory: Record<string, Record<string, unknown>> = {};
let stack: LabStack;

function npm(script: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise(resolve => {
        execFile("npm", ["run", "--silent", script, "--", ...args], { cwd: REPO_ROOT, env: { ...process.env, ...lab.vars }, maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
}

/** Runs the real discover command into a fresh directory and returns what it printed and the inventory apps it wrote. */
async function discover(...flags: string[]): Promise<{ stdout: string; apps: Record<string, Record<string, unknown>> }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-e2e-detection-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: skyshift\nruntime: nodejs\n");
    const { code, stdout, stderr } = await npm("discover", ["--stack", "det", "--dir", dir, "--namespace", NS, ...flags]);
    expect({ code, stderr: code === 0 ? "" : stderr }).toEqual({ code: 0, stderr: "" });
    const apps = YAML.parse(fs.readFileSync(path.join(dir, "skyshift.det.inventory.yaml"), "utf8")).apps;
    fs.rmSync(dir, { recursive: true, force: true });
    return { stdout, apps };
}

/** Stack config with the named apps in otel (per-app decisions); every other app stays in skywalking. */
const stackConfig = (otel: readonly string[]) => ({
    collector: { exporters: [{ name: "debug", kind: "debug" }] },
    migration: { soakSeconds: 3, pollSeconds: 1, rolloutTimeoutSeconds: 90 },
    apps: Object.fromEntries(otel.map(name => [`${NS}/${name}`, { mode: "otel" }])),
});

/**
 * The stack runs on what discovery wrote and the given decisions. Entries accumulate as discover's merge keeps
 * them: an app flipped to otel no longer shows SkyWalking to a fresh discovery, but stays in the inventory.
 */
let inventory: Record<string, unknown> = {};
async function useStack(apps: Record<string, unknown>, otel: readonly string[]): Promise<void> {
    inventory = { ...inventory, ...apps };
    stack.setInventory(inventory);
    await stack.setConfig(stackConfig(otel));
}

type Deployment = KubeObject & { metadata: { generation: number }; spec: { replicas: number }; status?: { observedGeneration?: number; updatedReplicas?: number; readyReplicas?: number; replicas?: number } };

async function rolledOut(name: string): Promise<void> {
    await waitFor(async () => {
        const d = await readObject<Deployment>("apps/v1", "Deployment", NS, name);
        const s = d?.status ?? {};
        return d && s.observedGeneration === d.metadata.generation && s.updatedReplicas === d.spec.replicas && s.readyReplicas === d.spec.replicas && s.replicas === d.spec.replicas;
    }, 120_000, `${name} rolled out`);
}

async function pods(name: string): Promise<Pod[]> {
    const list = JSON.parse(await kubectl(["get", "pods", "-n", NS, "-l", `app=${name}`, "-o", "json"])).items as Pod[];
    return list.filter(pod => !pod.metadata.deletionTimestamp);
}

/** Every word the app container's JVM can see: env values, command and args. */
function jvmText(pod: Pod): string {
    const app = pod.spec.containers[0];
    return [...(app.env ?? []).map(v => v.value ?? ""), ...(app.command ?? []), ...(app.args ?? [])].join(" ");
}

beforeAll(async () => {
    lab = await labEnv();
    await waitForNamespaceGone(NS, 120_000);
    await kubectl(["create", "namespace", NS]);
    await applyManifest([INSTRUMENTATION, ...workloads]);
    for (const name of ["invoice", "points", "ledger"]) await rolledOut(name);
    stack = await createStack("detection", stackConfig([]), { projectDir: migrateAppsProgram(REF) });
}, 300_000);

afterAll(async () => {
    if (lab) await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
});

describe("SkyWalking outside the narrow jar name, on the lab", () => {
    it("discover reports the undecided agent as a manual step with the flag, and preview refuses to flip it", async () => {
        const { stdout, apps } = await discover();
        expect(stdout).toContain(`manual step for ${NS}/invoice: invoice env JAVA_TOOL_OPTIONS loads -javaagent:${UNDECIDED}, whose path does not say whether it is SkyWalking: ` +
            `rerun discover with --skywalking-agent ${UNDECIDED} if it is (the flip removes it) or --not-skywalking-agent ${UNDECIDED} if not (it stays)`);
        expect(apps[`${NS}/invoice`].agents).toEqual({ [UNDECIDED]: "unresolved" });
        expect(apps[`${NS}/points`]).toMatchObject({ agentIn: { args: true }, serviceName: "points" });

        const before = (await readObject<Deployment>("apps/v1", "Deployment", NS, "invoice"))!.metadata.generation;
        await useStack(apps, ["invoice"]);
        await expect(stack.preview()).rejects.toThrow(new RegExp(
            `apps\\["${NS}/invoice"\\]\\.agents\\["${UNDECIDED.replace(/\//g, "\\/")}"\\]: is unresolved .*--skywalking-agent ${UNDECIDED} or --not-skywalking-agent ${UNDECIDED}`));
        expect((await readObject<Deployment>("apps/v1", "Deployment", NS, "invoice"))!.metadata.generation).toBe(before);
    });

    it("decided with --skywalking-agent, the engine flips both apps and each admitted pod runs exactly one -javaagent, OpenTelemetry's", async () => {
        const { stdout, apps } = await discover("--skywalking-agent", "/opt/apm/**");
        decidedInventory = apps;
        expect(stdout).not.toContain("manual step");
        expect(apps[`${NS}/invoice`].agents).toEqual({ [UNDECIDED]: "skywalking" });
        await useStack(apps, []);
        await stack.up();
        await useStack(apps, ["invoice", "points"]);
        await stack.up();
        for (const name of ["invoice", "points"]) {
            await rolledOut(name);
            const admitted = await pods(name);
            expect(admitted).toHaveLength(1);
            for (const pod of admitted) {
                const text = jvmText(pod);
                // The operator mounts its agent per container: /otel-auto-instrumentation-java-<container>/javaagent.jar.
                expect({ name, initContainers: pod.spec.initContainers?.map(c => c.name), agents: text.match(/-javaagent:\S+/g), skywalking: text.match(/-Dskywalking\S*/g) })
                    .toEqual({ name, initContainers: [INJECTED], agents: [`-javaagent:/otel-auto-instrumentation-java-${name}/javaagent.jar`], skywalking: null });
            }
        }
        const invoice = (await pods("invoice"))[0].spec.containers[0];
        expect(invoice.env?.find(v => v.name === "JAVA_TOOL_OPTIONS")?.value).toBe("-Xmx256m -javaagent:/otel-auto-instrumentation-java-invoice/javaagent.jar");
        const points = (await pods("points"))[0].spec.containers[0];
        expect([points.command, points.args]).toEqual([["java"], ["-Xss512k", "-jar", "/app/points.jar"]]);
    });

    it("the gate fails an app whose new pods load SkyWalking again, put back by a pipeline after discovery", async () => {
        // The inventory from before the flip: discovery no longer sees SkyWalking in apps already in otel, so a
        // fresh run would not list them, and the stack would refuse decisions without entries.
        const apps = decidedInventory;
        // A pipeline adds the agent in a variable discovery never saw: the template the flip sends keeps it.
        await kubectl(["patch", "deployment", "ledger", "-n", NS, "--type", "json", "-p",
            JSON.stringify([{ op: "add", path: "/spec/template/spec/containers/0/env/-", value: { name: "JAVA_OPTS", value: "-javaagent:/skywalking/agent/skywalking-agent.jar" } }])]);
        await rolledOut("ledger");
        await useStack(apps, ["invoice", "points", "ledger"]);
        await expect(stack.up()).rejects.toThrow(new RegExp(
            `${NS}/ledger failed the health gate \\(skywalking still loaded\\): pod ledger-[a-z0-9]+-[a-z0-9]+ still loads SkyWalking \\(env JAVA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar\\)`));
    });
});
