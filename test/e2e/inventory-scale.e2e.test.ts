/**
 * The config-size wall is gone. The engine hands the whole stack config to the program in one environment
 * variable, which Linux caps at 128 KiB (MAX_ARG_STRLEN; pulumi/pulumi#8680): with discovered apps in
 * `skyshift:apps` the real `pulumi preview` fails before the program starts. With the same apps in the
 * inventory file and only decisions and selectors in stack config, the real preview plans every app.
 * The apps' workloads do not exist in the lab: a first preview only plans creates, which reads nothing from the
 * cluster (the fleet benchmark, `bench:fleet`, measures the real thing with workloads).
 * SKYSHIFT_SCALE_APPS sets the fleet size (default 1,000).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { createStack, REPO_ROOT } from "./harness";

const APPS = Number(process.env.SKYSHIFT_SCALE_APPS ?? 1000);
const NAMESPACES = 10;
const devConfig = (YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;

/** An inventory entry the size discovery writes for a typical Java app (CATALINA_OPTS, identity, evidence). */
function discovered(index: number): Record<string, unknown> {
    const name = `app-${String(index).padStart(4, "0")}`;
    const options = `-Xms1g -Xmx1g -javaagent:/skywalking/agent/skywalking-agent.jar=agent.service_name=${name} -Dskywalking.collector.backend_service=oap.skywalking:11800 -Dfile.encoding=UTF-8`;
    return {
        kind: "Deployment", language: "java", container: name, serviceName: name, serviceNamespace: `scale-${index % NAMESPACES}`,
        agentIn: { env: ["CATALINA_OPTS"], args: false, command: false, swck: false },
        original: { env: { CATALINA_OPTS: options } },
        rebuildImage: false,
        evidence: [`env CATALINA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar`, "env SW_AGENT_NAME"],
    };
}

const inventory = Object.fromEntries(Array.from({ length: APPS }, (_, i) => [`scale-${i % NAMESPACES}/app-${String(i).padStart(4, "0")}`, discovered(i)]));
/** Ten apps flip in this preview: a selector over one namespace, minus per-app decisions; the wave limit allows them. */
const decisions = {
    selectors: [{ match: "scale-0/app-00*", mode: "otel" }],
    apps: { "scale-0/app-0000": { mode: "skywalking" } },
};

/** The size of `PULUMI_CONFIG` as the engine builds it: every key with its value as JSON text. */
const engineConfigBytes = (config: Record<string, unknown>) =>
    JSON.stringify(Object.fromEntries(Object.entries(config).map(([key, value]) => [key.includes(":") ? key : `skyshift:${key}`, JSON.stringify(value)]))).length;

describe(`a fleet of ${APPS} apps on the real engine`, () => {
    it("with the apps in stack config, as before the inventory file, the program cannot even start", async () => {
        const legacyApps = Object.fromEntries(Object.entries(inventory).map(([key, app]) => [key, { mode: "skywalking", ...app }]));
        const config = { ...devConfig, "skyshift:apps": legacyApps };
        expect(engineConfigBytes(config)).toBeGreaterThan(128 * 1024);
        const stack = await createStack("scale-legacy", config);
        await expect(stack.preview()).rejects.toThrow(/argument list too long/);
    }, 300_000);

    it("with the inventory file, stack config stays small and preview plans every app", async () => {
        const config = { ...devConfig, ...decisions };
        const bytes = engineConfigBytes(config);
        expect(bytes).toBeLessThan(8 * 1024);
        const stack = await createStack("scale", config);
        stack.setInventory(inventory);
        const started = Date.now();
        const { changes, diff } = await stack.preview();
        const seconds = (Date.now() - started) / 1000;
        // Per app one AppFlip (apply, then gate); plus the Wave and the platform resources.
        expect(changes.create).toBeGreaterThanOrEqual(APPS + 1);
        const last = Object.keys(inventory).at(-1) as string;
        expect(diff).toContain(`pulumi-nodejs:dynamic/skyshift:AppFlip::${last}]`);
        process.stdout.write(`inventory scale: ${APPS} apps, stack config ${bytes} bytes as the engine passes it, ` +
            `preview planned ${changes.create} creates in ${seconds.toFixed(1)} s\n`);
    }, 1_800_000);
});
