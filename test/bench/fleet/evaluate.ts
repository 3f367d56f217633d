/**
 * The program's own evaluation at fleet size, without the engine: index.ts under Pulumi mocks with the dev
 * stack's config and an inventory file of N generated apps (all in skywalking mode, as after discovery), timed from the first line of the program to the last AppFlip
 * registration. Prints one JSON line: {apps, registrations, seconds, cpuSeconds, peakRssMiB}.
 *
 *   node -r ts-node/register/transpile-only test/bench/fleet/evaluate.ts 5000 [floor]
 *
 * With `floor`, the floor program (floor/index.ts: one trivial dynamic resource per app) instead.
 */
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as os from "os";
import { parse, stringify } from "yaml";
import { generatedInventory } from "./fleet";

const REPO = path.resolve(__dirname, "../../..");
const apps = Number(process.argv[2] ?? 5000);
const floor = process.argv[3] === "floor";
const program = floor ? path.join(__dirname, "floor", "index.ts") : path.join(REPO, "index.ts");
const appType = floor ? "pulumi-nodejs:dynamic:Resource" : "pulumi-nodejs:dynamic/skyshift:AppFlip";
const dev = (parse(fs.readFileSync(path.join(REPO, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
const inventoryFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-evaluate-")), "skyshift.bench.inventory.yaml");
fs.writeFileSync(inventoryFile, stringify(generatedInventory(`fleet-${apps}`, apps)));
const config: Record<string, string> = {};
for (const [key, value] of Object.entries({ ...dev, "skyshift:inventory": inventoryFile })) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
}

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);
let flips = 0;
let registrations = 0;
const started = process.hrtime.bigint();
const done = new Promise<number>(resolve => {
    void pulumi.runtime.setMocks({
        newResource: args => {
            registrations++; if (process.env.DEBUG_EVAL) process.stderr.write(`${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)} ${args.type} ${args.name}\n`);
            if (args.type === appType && ++flips === apps) resolve(Number(process.hrtime.bigint() - started) / 1e9);
            return { id: `${args.name}-id`, state: args.inputs };
        },
        call: args => args.inputs,
    }, "skyshift", "bench", false, "organization");
});
pulumi.runtime.setAllConfig(config);
void pulumi.runtime.runInPulumiStack(async () => require(program));
void done.then(seconds => {
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const cpu = process.cpuUsage();
    process.stdout.write(`${JSON.stringify({ program: floor ? "floor" : "skyshift", apps, registrations, seconds: Number(seconds.toFixed(2)),
        cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)), peakRssMiB: Math.round(peakRss / 2 ** 20) })}\n`);
    // The mocks never settle the program's stack outputs, so the SDK's promise-leak report at exit (which also sets
    // exit code 1, runtime/debuggable.js) would only describe the harness.
    process.removeAllListeners("exit");
    fs.rmSync(path.dirname(inventoryFile), { recursive: true, force: true });
    process.exit(0);
});
