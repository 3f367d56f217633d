import { appSchema } from "../config/apps";
import { Inventory, parseInventory } from "../config/inventory";
import { appDecisionsSchema, resolveModes, selectorsSchema } from "../config/modes";
import { startCommand } from "./lib/args";
import { convertStack, ConvertedApp } from "./lib/convert";
import { inventoryFilePath, readInventoryFile } from "./lib/inventory-file";
import { CommandIO, processIO, runMain } from "./lib/io";
import { decisionsNode, readExistingStackFile, skyshiftConfig, stackFilePath } from "./lib/stack-file";
import { renderYamlFile, writeYamlFile } from "./lib/yaml-file";

export const CONVERT_USAGE = `usage: npm run convert -- --stack STACK [--dir .] [--dry-run]
Moves what discovery wrote into Pulumi.<STACK>.yaml's skyshift:apps (container, agentIn, original, identity,
evidence, …) into the stack's inventory file, skyshift.<STACK>.inventory.yaml, as written, comments included.
skyshift:apps keeps {mode} for apps in otel (and wherever a selector would decide otherwise); apps in
skywalking need no entry. Checks that every app resolves exactly as before, then writes both files.`;

export interface ConvertDeps {
    readonly io: CommandIO;
}

export async function runConvert(argv: readonly string[], deps: ConvertDeps): Promise<number> {
    const start = startCommand(argv, { "dry-run": { type: "boolean" } }, CONVERT_USAGE, deps.io);
    if (!start) return 0;
    const { flags, stack, projectDir } = start;
    const stackFile = readExistingStackFile(stackFilePath(projectDir, stack));
    const inventoryPath = inventoryFilePath(projectDir, stack, stackFile);
    const inventoryFile = readInventoryFile(inventoryPath.path);
    const before = legacyApps(decisionsNode(stackFile).toJSON() as Record<string, unknown>);
    const selectors = selectorsSchema.parse(skyshiftConfig(stackFile).selectors ?? []);
    const converted = convertStack(stackFile, inventoryFile, selectors);
    if (converted.length === 0) {
        deps.io.out(`nothing to convert: ${stackFile.path} holds no discovered fields under skyshift:apps`);
        return 0;
    }
    const inventoryText = renderYamlFile(inventoryFile);
    const inventory = checkSameApps(before, inventoryText, inventoryPath.name, skyshiftConfig(stackFile));
    printConversion(deps.io, converted, stackFile.path, inventoryFile.path, stackFile.original, renderYamlFile(stackFile));
    for (const key of Object.keys(decisionsNode(stackFile).toJSON() ?? {}).filter(key => !Object.hasOwn(inventory.apps, key))) {
        deps.io.err(`warning: apps["${key}"] has a mode but nothing discovered — run npm run discover -- --stack ${stack} before pulumi preview`);
    }
    if (flags["dry-run"]) {
        deps.io.out(`--dry-run: ${stackFile.path} and ${inventoryFile.path} left unchanged`);
        return 0;
    }
    writeYamlFile(inventoryFile);
    writeYamlFile(stackFile);
    deps.io.out(`wrote ${inventoryFile.path} and ${stackFile.path} — review and commit both; pulumi preview should show no changes`);
    return 0;
}

/** The legacy entries as the program read them before: the schema with `mode`, every default applied. */
function legacyApps(entries: Record<string, unknown>): Record<string, unknown> {
    const apps: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(entries ?? {})) {
        if (entry && typeof entry === "object" && Object.keys(entry).some(field => field !== "mode")) apps[key] = appSchema.parse(entry);
    }
    return apps;
}

/**
 * Every converted app must resolve to the settings it had, value for value; otherwise nothing is written.
 * Returns the converted inventory as the program will read it.
 */
function checkSameApps(before: Record<string, unknown>, inventoryText: string, inventoryName: string, config: Record<string, unknown>): Inventory {
    const { inventory, problems } = parseInventory(inventoryText, inventoryName);
    if (problems.length > 0) throw new Error(`the converted inventory would not be valid, nothing written:\n  ${problems.join("\n  ")}`);
    const resolved = resolveModes(inventory, appDecisionsSchema.parse(config.apps ?? {}), selectorsSchema.parse(config.selectors ?? []));
    for (const [key, app] of Object.entries(before)) {
        const { modeSource: _source, ...after } = resolved.apps[key] ?? {};
        if (JSON.stringify(sorted(after)) !== JSON.stringify(sorted(app))) {
            throw new Error(`${key} would not resolve as before after conversion, nothing written — convert it by hand (see docs/workflow.md)`);
        }
    }
    return inventory;
}

function sorted(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).sort().map(key => [key, sorted((value as Record<string, unknown>)[key])]));
    return value;
}

function printConversion(io: CommandIO, converted: readonly ConvertedApp[], stackPath: string, inventoryPath: string, stackBefore: string, stackAfter: string): void {
    io.out(`${stackPath}:`);
    for (const app of converted) {
        io.out(app.kept
            ? `  ~ skyshift:apps["${app.key}"]: {mode: ${app.kept}} (discovered fields moved)`
            : `  - skyshift:apps["${app.key}"]: removed (skywalking is the default; discovered fields moved)`);
    }
    io.out(`${inventoryPath}:`);
    for (const app of converted) io.out(`  + apps["${app.key}"]: ${app.moved.join(", ")}`);
    const kept = converted.filter(app => app.kept).length;
    io.out(`${converted.length} apps moved, ${kept} decisions kept; ${stackPath}: ${Buffer.byteLength(stackBefore)} → ${Buffer.byteLength(stackAfter)} bytes`);
}

if (require.main === module) {
    runMain(() => runConvert(process.argv.slice(2), { io: processIO }), CONVERT_USAGE);
}
