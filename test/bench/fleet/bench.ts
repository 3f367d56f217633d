/**
 * npm run bench:fleet [N …] — skyshift against the engine's floor at fleet size, on the lab.
 *
 * For each N: creates N paused Java Deployments in the common SkyWalking wirings (fleet.ts), runs `discover`, then for
 * skyshift (the real index.ts with the dev stack's settings) and for the floor (floor/index.ts: one trivial
 * dynamic resource per app, same stack config) runs: preview, the first up (adopt), a steady preview, and a
 * preview after flipping one app. Also times both programs' evaluation under mocks (evaluate.ts). Prints one
 * table. `--preview-only` runs the evaluation and the first preview only (no up: for the largest sizes, where a
 * full run would hold the shared lab too long). `--skip-checkpoints` runs every engine command of both programs
 * with `PULUMI_SKIP_CHECKPOINTS=true`: the engine then serializes the snapshot once at the end instead of after
 * every step, which a preview discards anyway (docs/fleet-scale.md). Each lab step holds the shared lab lock (/tmp/skyshift-lab.lock) only while it runs, and waiting for
 * the lock is not timed; on a busy lab, hold it once for the whole run instead:
 *   flock /tmp/skyshift-lab.lock env SKYSHIFT_LAB_LOCK_HELD=1 npm run bench:fleet -- 200
 *
 * The floor is a default TypeScript Pulumi project (`typescript: true`, no runtime options), so Pulumi's runtime
 * type-checks it on every run; skyshift's Pulumi.yaml runs it transpile-only (tsconfig.pulumi.json).
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { appName, fleetDeployments } from "./fleet";
import { measure, Measured } from "./measure";

const REPO = path.resolve(__dirname, "../../..");
const LOCK = "/tmp/skyshift-lab.lock";
const previewOnly = process.argv.includes("--preview-only");
const skipCheckpoints = process.argv.includes("--skip-checkpoints");
const sizes = process.argv.slice(2).filter(arg => !arg.startsWith("--")).map(Number).filter(n => n > 0);
if (sizes.length === 0) sizes.push(200);

const labEnv: NodeJS.ProcessEnv = { ...process.env };
for (const line of execFileSync("bash", [path.join(REPO, "test/lab/env.sh"), "--plain"], { encoding: "utf8" }).trim().split("\n")) {
    const at = line.indexOf("=");
    labEnv[line.slice(0, at)] = line.slice(at + 1);
}
const work = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-fleet-bench-"));
const env: NodeJS.ProcessEnv = { ...labEnv, PULUMI_BACKEND_URL: `file://${work}/state`, ...(skipCheckpoints && { PULUMI_SKIP_CHECKPOINTS: "true" }) };
fs.mkdirSync(path.join(work, "state"));

/** Holds the lab lock until the returned function is called: a `flock` child that waits on its stdin. */
async function lock(): Promise<() => void> {
    const holder: ChildProcess = spawn("flock", [LOCK, "-c", "echo locked; cat >/dev/null"], { stdio: ["pipe", "pipe", "inherit"] });
    await new Promise<void>((resolve, reject) => {
        holder.stdout!.once("data", () => resolve());
        holder.once("exit", code => reject(new Error(`flock exited ${code}`)));
    });
    return () => holder.stdin!.end();
}

/** Runs a lab step under the lab lock, unless the whole benchmark already holds it (SKYSHIFT_LAB_LOCK_HELD=1). */
async function locked<T>(step: () => Promise<T>): Promise<T> {
    if (process.env.SKYSHIFT_LAB_LOCK_HELD === "1") return step();
    const release = await lock();
    try {
        return await step();
    } finally {
        release();
    }
}

function kubectl(args: string[], input?: string): string {
    return execFileSync("kubectl", args, { env, input, encoding: "utf8", maxBuffer: 1 << 28 });
}

/** A project directory running `program`: Pulumi.yaml as given, node_modules linked, the program re-exported. */
function project(name: string, pulumiYaml: string, program: string): string {
    const dir = path.join(work, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pulumiYaml);
    for (const file of ["tsconfig.json", "tsconfig.pulumi.json"]) fs.copyFileSync(path.join(REPO, file), path.join(dir, file));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "index.ts"), `export * from ${JSON.stringify(program)};\n`);
    return dir;
}

/** With SKYSHIFT_BENCH_PROFILE=DIR, every engine run writes Go CPU profiles (`pulumi --profiling DIR/<n>`: pprof files). */
const profileDir = process.env.SKYSHIFT_BENCH_PROFILE;
let engineRuns = 0;

function pulumi(dir: string, args: string[]): Promise<Measured> {
    const profiling = profileDir ? ["--profiling", path.join(profileDir, `${path.basename(dir)}-${args[0]}-${++engineRuns}`)] : [];
    return measure("pulumi", [...args, ...profiling, "--non-interactive"], { cwd: dir, env });
}

function stackFile(dir: string, stack: string): string {
    return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** Writes `config` into the stack file, keeping what `stack init` wrote (the passphrase salt). */
function writeConfig(dir: string, stack: string, config: Record<string, unknown>): void {
    const file = stackFile(dir, stack);
    const settings = parse(fs.readFileSync(file, "utf8")) ?? {};
    fs.writeFileSync(file, stringify({ ...settings, config }));
}

function resources(dir: string, stack: string): number {
    const state = JSON.parse(execFileSync("pulumi", ["stack", "export", "--stack", stack], { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 30 }));
    return (state.deployment.resources ?? []).length;
}

interface Row { apps: number; step: string; skyshift: Measured & { resources?: number }; floor: Measured & { resources?: number } }

async function evaluation(apps: number, program: "skyshift" | "floor"): Promise<Measured> {
    // Loaded as Pulumi's Node.js runtime loads a program: ts-node registered in the process (`@pulumi/pulumi`
    // `cmd/run/run.js`, `tsn.register`). Under ts-node's own CLI the same program peaks ~300 MiB higher at 5,000 apps.
    const m = await measure("node", ["-r", "ts-node/register/transpile-only", path.join(__dirname, "evaluate.ts"), String(apps), program], { cwd: REPO, env });
    const result = JSON.parse(m.stdout.trim().split("\n")[0]) as { seconds: number; cpuSeconds: number; peakRssMiB: number };
    return { seconds: result.seconds, cpuSeconds: result.cpuSeconds, clusterCpuSeconds: 0, peakMiB: result.peakRssMiB, stdout: "" };
}

async function benchSize(apps: number): Promise<Row[]> {
    const namespace = `fleet-bench-${apps}`;
    const rows: Row[] = [];
    const started = Date.now();
    await locked(async () => {
        kubectl(["delete", "namespace", namespace, "fleet-bench-obs", "--ignore-not-found", "--wait=true"]);
        kubectl(["create", "namespace", namespace]);
        const objects = fleetDeployments(namespace, apps);
        for (let i = 0; i < objects.length; i += 500) {
            kubectl(["apply", "--server-side", "--field-manager", "fleet-bench", "-f", "-"], JSON.stringify({ apiVersion: "v1", kind: "List", items: objects.slice(i, i + 500) }));
        }
    });
    process.stderr.write(`${apps} Deployments created in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);

    const skyshiftStack = `skyshift-${apps}`;
    const floorStack = `floor-${apps}`;
    const skyshiftDir = project(`skyshift-${apps}`, fs.readFileSync(path.join(REPO, "Pulumi.yaml"), "utf8"), path.join(REPO, "index"));
    const floorDir = project(`floor-${apps}`, "name: skyshift\nruntime: {name: nodejs, options: {typescript: true}}\n", path.join(__dirname, "floor", "index"));
    await pulumi(skyshiftDir, ["stack", "init", skyshiftStack, "--secrets-provider", "passphrase"]);
    await pulumi(floorDir, ["stack", "init", floorStack, "--secrets-provider", "passphrase"]);
    const dev = (parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
    writeConfig(skyshiftDir, skyshiftStack, { ...dev, "skyshift:platform": { ...(dev["skyshift:platform"] as object), namespace: "fleet-bench-obs" } });
    const discovery = await locked(() => measure("npx", ["ts-node", "--transpile-only", path.join(REPO, "cli/discover.ts"),
        "--stack", skyshiftStack, "--dir", skyshiftDir, "--namespace", namespace], { cwd: REPO, env }));
    process.stderr.write(`discover: ${discovery.seconds.toFixed(1)}s, peak ${discovery.peakMiB} MiB\n`);
    const config = (parse(fs.readFileSync(stackFile(skyshiftDir, skyshiftStack), "utf8")) as { config: Record<string, unknown> }).config;
    const inventory = path.join(skyshiftDir, `skyshift.${skyshiftStack}.inventory.yaml`);
    writeConfig(floorDir, floorStack, { ...config, "skyshift:inventory": inventory });
    process.stderr.write(`stack config: ${fs.statSync(stackFile(skyshiftDir, skyshiftStack)).size} bytes, inventory file: ${fs.statSync(inventory).size} bytes\n`);

    const both = async (step: string, args: string[], count = false) => {
        const skyshift = await locked(() => pulumi(skyshiftDir, [...args, "--stack", skyshiftStack]));
        const floor = await locked(() => pulumi(floorDir, [...args, "--stack", floorStack]));
        const row: Row = { apps, step, skyshift, floor };
        if (count) {
            row.skyshift.resources = resources(skyshiftDir, skyshiftStack);
            row.floor.resources = resources(floorDir, floorStack);
        }
        rows.push(row);
        process.stderr.write(`${step}: skyshift ${skyshift.seconds.toFixed(1)}s (${skyshift.cpuSeconds.toFixed(1)} CPU-s), floor ${floor.seconds.toFixed(1)}s (${floor.cpuSeconds.toFixed(1)} CPU-s)\n`);
    };
    rows.push({ apps, step: "evaluation (mocks)", skyshift: await evaluation(apps, "skyshift"), floor: await evaluation(apps, "floor") });
    await both("preview", ["preview"]);
    if (!previewOnly) {
        await both("first up (adopt)", ["up", "--yes", "--skip-preview"], true);
        await both("steady preview", ["preview"]);
        const flip = `skyshift:apps["${namespace}/${appName(0)}"].mode`;
        await pulumi(skyshiftDir, ["config", "set", "--path", flip, "otel", "--stack", skyshiftStack]);
        await pulumi(floorDir, ["config", "set", "--path", flip, "otel", "--stack", floorStack]);
        await both("one-app flip preview", ["preview"]);
    }
    await locked(async () => { kubectl(["delete", "namespace", namespace, "fleet-bench-obs", "--ignore-not-found", "--wait=false"]); });
    return rows;
}

/** Wall and CPU seconds side by side with the floor; "cluster" is kube-apiserver + etcd CPU during the step. */
function table(rows: Row[]): string {
    const lines = [
        "| apps | step | skyshift s | floor s | ratio | skyshift CPU s | floor CPU s | CPU ratio | cluster CPU s skyshift / floor | skyshift peak MiB | floor peak MiB | skyshift resources | floor resources |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ];
    for (const { apps, step, skyshift, floor } of rows) {
        lines.push(`| ${apps} | ${step} | ${skyshift.seconds.toFixed(1)} | ${floor.seconds.toFixed(1)} | ${(skyshift.seconds / floor.seconds).toFixed(2)}× | ` +
            `${skyshift.cpuSeconds.toFixed(1)} | ${floor.cpuSeconds.toFixed(1)} | ${(skyshift.cpuSeconds / floor.cpuSeconds).toFixed(2)}× | ` +
            `${skyshift.clusterCpuSeconds.toFixed(1)} / ${floor.clusterCpuSeconds.toFixed(1)} | ` +
            `${skyshift.peakMiB} | ${floor.peakMiB} | ${skyshift.resources ?? ""} | ${floor.resources ?? ""} |`);
    }
    return lines.join("\n");
}

(async () => {
    const rows: Row[] = [];
    try {
        for (const apps of sizes) rows.push(...await benchSize(apps));
    } finally {
        if (skipCheckpoints) process.stdout.write("Every engine run with PULUMI_SKIP_CHECKPOINTS=true.\n");
        process.stdout.write(`${table(rows)}\n`);
        fs.rmSync(work, { recursive: true, force: true });
    }
})().catch(error => {
    process.stderr.write(`${error instanceof Error ? error.message : error}\n`);
    process.exitCode = 1;
});
