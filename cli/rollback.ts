import { requireAppKey, startCommand, UsageError } from "./lib/args";
import { Fleet, readFleet } from "./lib/fleet";
import { CommandIO, formatTable, processIO, runMain } from "./lib/io";
import { Confirmer, terminalConfirmer } from "./lib/prompt";
import { RollbackStack, selectStack } from "./lib/pulumi-stack";
import { checkAppKeys, DecisionChange, failedApps, KeyChange, ModeChange, otelCountAt, pickUpdate, planRestore, toSkywalking } from "./lib/rollback-plan";
import { removeAppDecision, setAppMode, setSkyshiftKey, skyshiftConfig, StackFile } from "./lib/stack-file";
import { restoreYamlFile, writeYamlFile } from "./lib/yaml-file";

export const ROLLBACK_USAGE = `usage: npm run rollback -- --stack STACK (--app NS/NAME … | --failed | --to VERSION|@N|last-good) [--yes] [--dir .]
       npm run rollback -- --stack STACK --list
Pulumi has no "stack rollback": this writes the earlier mode decisions into Pulumi.<STACK>.yaml, shows the
preview, and runs pulumi up through the Automation API after you confirm (--yes confirms up front).
  --app      those apps back to mode skywalking, as per-app decisions (their original values are re-applied)
  --failed   apps the last, failed update moved to otel or bridge whose health gate did not pass
  --to       every skyshift: key as it was at that update (@1 = the last update, last-good = the newest that succeeded)
  --list     the stack's updates, newest first, with their positions for --to`;

export interface RollbackDeps {
    readonly io: CommandIO;
    readonly confirm: Confirmer;
    readonly openStack: (stack: string, workDir: string) => Promise<RollbackStack>;
}

interface Plan {
    readonly what: string;
    readonly modes: readonly ModeChange[];
    readonly decisions: readonly DecisionChange[];
    readonly keys: readonly KeyChange[];
}

/** Per-app decisions that set the given mode changes. */
const decide = (modes: readonly ModeChange[]): DecisionChange[] => modes.map(change => ({ key: change.key, mode: change.to as DecisionChange["mode"] }));

export async function runRollback(argv: readonly string[], deps: RollbackDeps): Promise<number> {
    const start = startCommand(argv, {
        app: { type: "string", multiple: true },
        failed: { type: "boolean" },
        to: { type: "string" },
        list: { type: "boolean" },
        yes: { type: "boolean" },
    }, ROLLBACK_USAGE, deps.io);
    if (!start) return 0;
    const { flags, stack: stackName, projectDir } = start;
    const chosen = [flags.app && "--app", flags.failed && "--failed", flags.to !== undefined && "--to", flags.list && "--list"].filter(Boolean);
    if (chosen.length === 0) throw new UsageError("say what to roll back: --app ns/name …, --failed, or --to VERSION|@N|last-good (or --list to see updates)");
    if (chosen.length > 1) throw new UsageError(`${chosen.join(", ")} cannot be combined — use one per run`);
    const appKeys = (flags.app ?? []).map(key => requireAppKey(key, "--app"));

    const fleet = readFleet(projectDir, stackName);
    // Named apps are checked before the Pulumi CLI is needed: a typo fails fast, on any machine.
    checkAppKeys(fleet.apps, appKeys, fleet.inventory.name);
    const file = fleet.stackFile;
    const stack = await deps.openStack(stackName, projectDir);
    if (flags.list) return listUpdates(deps.io, await stack.history(), Object.keys(fleet.apps));

    const plan: Plan = flags.to !== undefined
        ? await restorePlan(deps.io, stack, fleet, flags.to)
        : flags.failed
            ? await failedPlan(deps.io, stack, fleet)
            : appPlan(fleet, appKeys);
    if (plan.modes.length === 0 && plan.decisions.length === 0 && plan.keys.length === 0) {
        deps.io.out(`nothing to roll back for ${plan.what}: the config already says so — run pulumi up if the cluster does not match (npm run status shows it)`);
        return 0;
    }
    printPlan(deps.io, plan, file.path);
    for (const change of plan.decisions) {
        if (change.mode) setAppMode(file, change.key, change.mode);
        else removeAppDecision(file, change.key);
    }
    for (const change of plan.keys) setSkyshiftKey(file, change.key, change.value);
    writeYamlFile(file);
    return previewConfirmApply(deps, stack, file, flags.yes === true);
}

function appPlan(fleet: Fleet, keys: readonly string[]): Plan {
    const modes = toSkywalking(fleet.apps, keys);
    return { what: `apps ${keys.join(", ")}`, modes, decisions: decide(modes), keys: [] };
}

async function failedPlan(io: CommandIO, stack: RollbackStack, fleet: Fleet): Promise<Plan> {
    const history = await stack.history();
    const [last] = history;
    io.out(last ? `last update: ${last.result} at ${last.startTime.toISOString()}` : "the stack has no updates yet");
    const { keys, reasons } = failedApps(fleet.apps, await stack.resources(), history);
    for (const key of keys) io.out(`  ${key}: ${reasons[key]}`);
    const modes = toSkywalking(fleet.apps, keys);
    return { what: "failed apps", modes, decisions: decide(modes), keys: [] };
}

async function restorePlan(io: CommandIO, stack: RollbackStack, fleet: Fleet, selector: string): Promise<Plan> {
    const { update, label } = pickUpdate(await stack.history(), selector);
    const { modes, decisions, keys, secrets } = planRestore(fleet.apps, skyshiftConfig(fleet.stackFile), update);
    for (const key of secrets) io.err(`${key} is a secret: not restored — set it with pulumi config set --secret if it changed`);
    return { what: label, modes, decisions, keys };
}

function printPlan(io: CommandIO, plan: Plan, file: string): void {
    io.out(`rolling back ${plan.what} in ${file}:`);
    for (const change of plan.modes) io.out(`  ${change.key}: mode ${change.from} → ${change.to}`);
    for (const change of plan.keys) io.out(`  skyshift:${change.key}: ${change.value === undefined ? "removed (it was not set then)" : "restored"}`);
}

/** Preview first; apply only when confirmed. A declined or refused update puts the stack file back byte for byte. */
async function previewConfirmApply(deps: RollbackDeps, stack: RollbackStack, file: StackFile, yes: boolean): Promise<number> {
    const { io, confirm } = deps;
    io.out("preview:");
    let summary: Record<string, number>;
    try {
        summary = await stack.preview(text => io.out(text.replace(/\n$/, "")));
    } catch (error) {
        restoreYamlFile(file);
        throw new Error(`the preview failed, so ${file.path} was put back as it was: ${(error as Error).message}`);
    }
    io.out(`preview: ${describeSummary(summary)}`);
    if (!yes) {
        if (!confirm.interactive) {
            restoreYamlFile(file);
            io.err(`refusing to apply without --yes: stdin is not a terminal, so nobody can confirm. ${file.path} is unchanged; ` +
                "rerun with --yes to apply the preview above");
            return 1;
        }
        if (!(await confirm.ask("Apply this update?"))) {
            restoreYamlFile(file);
            io.err(`not applied; ${file.path} is back as it was`);
            return 1;
        }
    }
    try {
        const changes = await stack.up(text => io.out(text.replace(/\n$/, "")));
        io.out(`rolled back: ${describeSummary(changes)}. ${file.path} now holds the rolled-back config — commit it`);
        return 0;
    } catch (error) {
        io.err(`the update failed: ${(error as Error).message.split("\n")[0]}`);
        io.err(`${file.path} keeps the rolled-back config; fix the cause (npm run status shows each app) and run pulumi up`);
        return 1;
    }
}

function describeSummary(summary: Record<string, number>): string {
    const parts = Object.entries(summary).filter(([, n]) => n > 0).map(([op, n]) => `${n} to ${op}`);
    return parts.length > 0 ? parts.join(", ") : "no changes";
}

/** Updates newest first; the MODES column resolves each update's decisions over the current inventory. */
function listUpdates(io: CommandIO, history: Awaited<ReturnType<RollbackStack["history"]>>, keys: readonly string[]): number {
    const rows = history.map((update, index) =>
        [`@${index + 1}`, String(update.version), update.startTime.toISOString(), update.result, `${otelCountAt(update, keys)}/${keys.length} apps otel`]);
    for (const line of formatTable(["POSITION", "VERSION", "STARTED", "RESULT", "MODES"], rows)) io.out(line);
    return 0;
}

if (require.main === module) {
    runMain(() => runRollback(process.argv.slice(2), { io: processIO, confirm: terminalConfirmer, openStack: selectStack }), ROLLBACK_USAGE);
}
