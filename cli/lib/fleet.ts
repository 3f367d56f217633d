import { z } from "zod";
import { collectorSchema } from "../../config/collector";
import { platformSchema } from "../../config/platform";
import { skywalkingReceiverAddress } from "../../config/skywalking-receiver";
import type { FleetTargets } from "../../discovery/live-state";
import { parseInventory, readInventoryText } from "../../config/inventory";
import { appDecisionsSchema, AppDecisions, ResolvedApp, resolveModes, Selectors, selectorsSchema } from "../../config/modes";
import { ConfigError, ConfigWarning, describeIssues } from "../../config/problems";
import { inventoryFilePath } from "./inventory-file";
import { legacyEntryProblems } from "../../config/stack";
import { readExistingStackFile, skyshiftConfig, stackFilePath, StackFile } from "./stack-file";

/** The part of stack config the commands read: the mode decisions. */
const decisionsConfigSchema = z.object({ apps: appDecisionsSchema, selectors: selectorsSchema });

/** One stack's fleet as the program resolves it: every inventory app with its mode and where the mode comes from. */
export interface Fleet {
    readonly stackFile: StackFile;
    /** The inventory file's path and its name as the program spells it. */
    readonly inventory: { readonly path: string; readonly name: string };
    readonly decisions: AppDecisions;
    readonly selectors: Selectors;
    readonly apps: Readonly<Record<string, ResolvedApp>>;
    readonly warnings: readonly ConfigWarning[];
}

/**
 * Reads `Pulumi.<stack>.yaml` (which must exist) and the stack's inventory file, validated with the program's
 * schemas; problems name the file and the key.
 */
export function readFleet(projectDir: string, stack: string): Fleet {
    const stackFile = readExistingStackFile(stackFilePath(projectDir, stack));
    return resolveFleet(stackFile, projectDir, stack);
}

/**
 * {@link readFleet} for a stack file already read (commands that go on to edit it). `allowUnknownDecisions` is for
 * discovery, which may be rebuilding an inventory that lost entries the decisions still name.
 */
export function resolveFleet(stackFile: StackFile, projectDir: string, stack: string, options: { allowUnknownDecisions?: boolean } = {}): Fleet {
    const inventoryFile = inventoryFilePath(projectDir, stack, stackFile);
    const { inventory, problems } = parseInventory(readInventoryText(inventoryFile.path), inventoryFile.name);
    const raw = skyshiftConfig(stackFile);
    const legacy = legacyEntryProblems(raw.apps).map(problem => `${stackFile.path}: ${problem}`);
    if (legacy.length > 0) throw new ConfigError(legacy);
    const result = decisionsConfigSchema.safeParse(raw, { reportInput: true });
    const stackProblems = result.success ? [] : describeIssues(decisionsConfigSchema, result.error.issues).map(problem => `${stackFile.path}: ${problem}`);
    if (problems.length > 0 || !result.success) throw new ConfigError([...problems, ...stackProblems]);
    const resolved = resolveModes(inventory, result.data.apps, result.data.selectors);
    if (resolved.problems.length > 0 && !options.allowUnknownDecisions) throw new ConfigError(resolved.problems.map(problem => `${stackFile.path}: ${problem}`));
    return { stackFile, inventory: inventoryFile, decisions: result.data.apps, selectors: result.data.selectors, apps: resolved.apps, warnings: resolved.warnings };
}

/**
 * Where the stack's bridge apps must report: the collector's `skywalking` receiver, from the stack file's `collector`
 * and `platform` sections. Status compares, it does not validate: a section the program would reject counts as off.
 */
export function fleetTargets(fleet: Fleet): FleetTargets {
    const raw = skyshiftConfig(fleet.stackFile);
    const collector = collectorSchema.safeParse(raw.collector);
    const platform = platformSchema.safeParse(raw.platform ?? {});
    const receiver = collector.success ? collector.data.skywalkingReceiver : undefined;
    if (!receiver || !collector.success || !platform.success) return {};
    return { skywalkingReceiverAddress: skywalkingReceiverAddress(collector.data.name, platform.data.namespace, receiver) };
}
