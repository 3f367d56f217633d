import * as path from "path";
import { inventoryFileName, parseInventory, readInventoryText } from "./inventory";
import { ConfigError } from "./problems";
import { ParsedStackConfig, parseStackConfig, rawStackConfig } from "./stack";

/**
 * Loads a stack's config as the program runs it: the `skyshift:` keys from the engine's config map (decisions
 * and settings) and the inventory file they name (`skyshift:inventory`; unset or empty: `skyshift.<stack>.inventory.yaml`),
 * resolved against `projectDir` — the program's working directory, which the engine sets to the project. Throws
 * one ConfigError listing every problem, the inventory's first.
 */
export function loadStackConfig(all: Readonly<Record<string, string>>, stack: string, projectDir = process.cwd()): ParsedStackConfig {
    const raw = rawStackConfig(all);
    const file = typeof raw.inventory === "string" && raw.inventory !== "" ? raw.inventory : inventoryFileName(stack);
    const { inventory, problems } = parseInventory(readInventoryText(path.resolve(projectDir, file)), file);
    if (problems.length > 0) throw new ConfigError(problems);
    return parseStackConfig(raw, inventory);
}
