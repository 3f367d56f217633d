import { AppStatus, assessApp, DEFAULT_JVM_OPTION_ENV_NAMES } from "../discovery";
import { splitAppKey } from "../config/apps";
import { AppMode } from "../config/migration";
import { startCommand } from "./lib/args";
import { ClusterReader } from "./lib/cluster";
import { fleetTargets, readFleet } from "./lib/fleet";
import { CommandIO, formatTable, processIO, runMain } from "./lib/io";
import { connectCluster, KubeTarget } from "./lib/kube";

export const STATUS_USAGE = `usage: npm run status -- --stack STACK [--context C] [--kubeconfig F] [--jvm-env NAME …] [--dir .]
Compares every inventory app's mode (its decision in Pulumi.<STACK>.yaml, else its selector, else skywalking)
with its live pod template (read-only). Exit code 3 when any app drifted.`;

/** Exit code when the cluster does not match the config, so CI can alert on drift. */
export const DRIFT_EXIT_CODE = 3;

export interface StatusDeps {
    readonly io: CommandIO;
    readonly connect: (target: KubeTarget) => Promise<ClusterReader>;
}

export async function runStatus(argv: readonly string[], deps: StatusDeps): Promise<number> {
    const start = startCommand(argv, {
        context: { type: "string" },
        kubeconfig: { type: "string" },
        "jvm-env": { type: "string", multiple: true },
    }, STATUS_USAGE, deps.io);
    if (!start) return 0;
    const { flags, stack, projectDir } = start;
    const fleet = readFleet(projectDir, stack);
    const { apps, warnings } = fleet;
    const targets = fleetTargets(fleet);
    for (const warning of warnings) deps.io.err(`warning: ${warning.path}: ${warning.message}`);
    const reader = await deps.connect({ kubeconfig: flags.kubeconfig, context: flags.context });
    deps.io.err(`reading ${reader.describe}`);
    const jvmNames = [...DEFAULT_JVM_OPTION_ENV_NAMES, ...(flags["jvm-env"] ?? [])];
    const statuses: AppStatus[] = [];
    for (const [key, app] of Object.entries(apps).sort(([a], [b]) => a.localeCompare(b))) {
        const { namespace, name } = splitAppKey(key);
        statuses.push(assessApp(key, app, await reader.read(app.kind, namespace, name), jvmNames, targets));
    }
    printStatus(deps.io, statuses, stack);
    return statuses.some(s => s.drift) ? DRIFT_EXIT_CODE : 0;
}

function printStatus(io: CommandIO, statuses: readonly AppStatus[], stack: string): void {
    const rows = statuses.map(s => [s.key, s.mode, s.injectAnnotation ?? "-", s.skywalking.length > 0 ? "yes" : "no", s.rollout, s.drift ? "DRIFT" : "ok"]);
    for (const line of formatTable(["APP", "MODE", "INJECT", "SKYWALKING", "ROLLOUT", "STATE"], rows)) io.out(line);
    const drifted = statuses.filter(s => s.drift);
    const count = (mode: string) => statuses.filter(s => s.mode === mode).length;
    io.out("");
    const bridged = count(AppMode.bridge) > 0 ? `, ${count(AppMode.bridge)} bridge` : "";
    io.out(`${statuses.length} apps: ${count(AppMode.otel)} otel, ${count(AppMode.skywalking)} skywalking${bridged}; ${drifted.length} drifted`);
    for (const s of drifted) io.out(`  ${s.key}: ${s.drift}`);
    if (drifted.length > 0) {
        io.out(`repair: pulumi refresh --stack ${stack} --yes && pulumi up --stack ${stack}  (refresh reads the live spec, up re-applies the configured mode)`);
    }
}

if (require.main === module) {
    runMain(() => runStatus(process.argv.slice(2), { io: processIO, connect: connectCluster }), STATUS_USAGE);
}
