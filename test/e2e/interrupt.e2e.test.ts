/**
 * An engine killed in the middle of a wave, by SIGINT (Ctrl-C) and by SIGKILL (a CI runner that vanished): no
 * workload is left with half a patch, and after the documented recovery (docs/fleet-scale.md) `pulumi up`
 * finishes the wave. A wave of 50 apps with `--parallel 10`, so it spans five batches when it is killed.
 */
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import { applyManifest, createStack, KubeObject, kubectl, LabStack, labEnv, migrateAppsProgram, waitFor, waitForNamespaceGone, labInstrumentation } from "./harness";

const NS = "skyshift-interrupt";
const REF = `${NS}/skyshift`;
const AGENT = "-javaagent:/skywalking/agent/skywalking-agent.jar";
const CATALINA_OPTS = `-Xms1g ${AGENT} -Dfile.encoding=UTF-8`;
const OTEL_CATALINA_OPTS = "-Xms1g -Dfile.encoding=UTF-8";
const INJECT = "instrumentation.opentelemetry.io/inject-java";
/** Apps the engine works on at once: 50 apps in five batches, each held by its gate's soak. */
const PARALLEL = 10;
const APPS = Array.from({ length: 50 }, (_, i) => `app-${String(i).padStart(2, "0")}`);

type Deployment = KubeObject & { spec: { template: { metadata: { annotations?: Record<string, string> }; spec: { containers: Array<{ env?: Array<{ name: string; value?: string }> }> } } } };

const inventory = Object.fromEntries(APPS.map(name => [`${NS}/${name}`,
    { container: name, serviceName: name, agentIn: { env: ["CATALINA_OPTS"] }, original: { env: { CATALINA_OPTS } } }]));
const stackConfig = (mode: string) => ({
    collector: { exporters: [{ name: "debug", kind: "debug" }] },
    migration: { soakSeconds: 8, pollSeconds: 1, rolloutTimeoutSeconds: 90, maxAppsPerUpdate: 50 },
    selectors: [{ match: NS, mode }],
});

/** Every app's template is either wholly the original or wholly the otel one: `[applied, catalinaOpts]` per app. */
async function templates(): Promise<Record<string, "original" | "otel" | string>> {
    const list = JSON.parse(await kubectl(["get", "deployments", "-n", NS, "-o", "json"])).items as Deployment[];
    return Object.fromEntries(list.map(d => {
        const template = d.spec.template;
        const opts = template.spec.containers[0].env?.find(e => e.name === "CATALINA_OPTS")?.value;
        const annotated = template.metadata.annotations?.[INJECT] === REF;
        const state = !annotated && opts === CATALINA_OPTS ? "original" : annotated && opts === OTEL_CATALINA_OPTS ? "otel" : `HALF: ${annotated} ${opts}`;
        return [d.metadata.name, state];
    }));
}

/** `pulumi up` as a CLI process in its own process group, as a terminal's Ctrl-C would reach it. */
async function startUp(stack: LabStack, extraEnv: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; exited: Promise<string> }> {
    const env = await labEnv();
    const child = spawn(env.pulumi.command, ["up", "--yes", "--skip-preview", "--parallel", String(PARALLEL), "--stack", stack.stack.name, "--non-interactive"], {
        cwd: stack.workDir, env: { ...process.env, ...stack.stack.workspace.envVars, ...extraEnv }, detached: true, stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", chunk => { output += chunk; });
    child.stderr!.on("data", chunk => { output += chunk; });
    return { child, exited: new Promise(resolve => child.on("close", () => resolve(output))) };
}

/** The process and all its descendants (the engine starts its plugins in process groups of their own). */
function processTree(root: number): number[] {
    const parents = new Map<number, number>();
    for (const entry of fs.readdirSync("/proc").filter(e => /^\d+$/.test(e))) {
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
        } catch {
            // exited meanwhile
        }
    }
    const tree = [root];
    for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
    return tree;
}

/**
 * Starts the wave and, once `applied` apps carry the otel template, sends SIGINT to the CLI's process group
 * (Ctrl-C), or SIGKILL to the CLI and every process it started (a CI runner that vanished).
 */
async function interruptWave(stack: LabStack, signal: "SIGINT" | "SIGKILL", applied: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<string> {
    const { child, exited } = await startUp(stack, extraEnv);
    await waitFor(async () => Object.values(await templates()).filter(t => t === "otel").length >= applied, 120_000, `${applied} apps applied`);
    if (signal === "SIGINT") process.kill(-child.pid!, signal);
    else for (const pid of processTree(child.pid!)) process.kill(pid, signal);
    return exited;
}

describe("an engine killed mid-wave", () => {
    let stack: LabStack;

    beforeAll(async () => {
        await waitForNamespaceGone(NS, 120_000);
        await kubectl(["create", "namespace", NS]);
        await applyManifest([
            labInstrumentation(NS),
            ...APPS.map(name => ({
                apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: NS },
                spec: { replicas: 1, selector: { matchLabels: { app: name } },
                    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `registry.lab/shop/${name}:1.0`, env: [{ name: "CATALINA_OPTS", value: CATALINA_OPTS }] }] } } },
            })),
        ]);
        stack = await createStack("interrupt", stackConfig("skywalking"), { projectDir: migrateAppsProgram(REF) });
        stack.setInventory(inventory);
        await stack.up();
    });

    afterAll(async () => {
        await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
    });

    it("SIGINT: the engine stops after its in-flight apps, none is half-patched, and up finishes the wave with no other command", async () => {
        await stack.setConfig(stackConfig("otel"));
        const output = await interruptWave(stack, "SIGINT", 1);
        expect(Object.values(await templates()).filter(t => t.startsWith("HALF"))).toEqual([]);
        expect(Object.values(await templates())).toContain("original");
        expect(output).toMatch(/cancel|interrupt/i);
        await stack.up();
        expect(new Set(Object.values(await templates()))).toEqual(new Set(["otel"]));
        await stack.preview(true);
    });

    // With PULUMI_SKIP_CHECKPOINTS the killed update recorded nothing, not even its pending operations: the next
    // up re-runs the apps the cluster already has, which an idempotent apply and a re-checked gate make harmless.
    it.each([
        ["", {}, true],
        [" under PULUMI_SKIP_CHECKPOINTS=true", { PULUMI_SKIP_CHECKPOINTS: "true" }, false],
    ])("SIGKILL%s: none is half-patched; after one recovery command up finishes the wave", async (_name, extraEnv, recordsInFlight) => {
        await stack.setConfig(stackConfig("skywalking"));
        await stack.up();
        await stack.setConfig(stackConfig("otel"));
        await interruptWave(stack, "SIGKILL", 1, extraEnv);
        const pending = (await stack.stack.exportStack()).deployment.pending_operations ?? [];
        expect(pending.length > 0).toBe(recordsInFlight);
        const afterKill = await templates();
        expect(Object.values(afterKill).filter(t => t.startsWith("HALF"))).toEqual([]);
        expect(Object.values(afterKill)).toContain("original");
        await recoverAfterKill(stack);
        await stack.up();
        expect(new Set(Object.values(await templates()))).toEqual(new Set(["otel"]));
        await stack.preview(true);
    });
});

/**
 * The one command docs/fleet-scale.md gives after a killed engine: `pulumi cancel` removes the lock the dead
 * update left in the file backend. The next `up` warns about the operations it left pending and re-runs them
 * (an AppFlip's apply is idempotent).
 */
async function recoverAfterKill(stack: LabStack): Promise<void> {
    await stack.stack.cancel();
}
