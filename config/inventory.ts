import * as fs from "fs";
import { z } from "zod";
import { appKeySchema, InventoryEntry, inventoryEntrySchema } from "./apps";
import { describeIssues } from "./problems";
import { parseYamlDocument } from "./yaml-document";

/** The inventory file's header: a versioned kind, so a later layout can be told apart and converted. */
export const INVENTORY_API_VERSION = "skyshift/v1";
export const INVENTORY_KIND = "Inventory";

/**
 * What discovery learned about each app of one stack, in a reviewed, committed file beside the stack file.
 * It lives outside stack config because the engine hands the whole stack config to the program in one
 * environment variable, which Linux caps at 128 KiB (pulumi/pulumi#8680): a fleet's inventory does not fit.
 */
export const inventoryFileSchema = z.strictObject({
    apiVersion: z.literal(INVENTORY_API_VERSION).describe("The file's version."),
    kind: z.literal(INVENTORY_KIND),
    apps: z.record(appKeySchema, inventoryEntrySchema).default({}).describe("Keyed `namespace/workload`, like the mode decisions in `skyshift:apps`."),
});

/**
 * `skyshift.<stack>.inventory.yaml`. Not `Pulumi.<stack>.<x>.yaml`: Pulumi would read that as the stack file
 * of a stack named `<stack>.<x>`.
 */
export function inventoryFileName(stack: string): string {
    return `skyshift.${stack}.inventory.yaml`;
}

export interface Inventory {
    /** The file as people name it in messages (the path as configured, relative to the project). */
    readonly file: string;
    /** False when the file does not exist: the stack has no discovered apps yet. */
    readonly exists: boolean;
    readonly apps: Readonly<Record<string, InventoryEntry>>;
}

/** A stack with no inventory file: nothing discovered, nothing to migrate. */
export function emptyInventory(file: string): Inventory {
    return { file, exists: false, apps: {} };
}

/**
 * Validates an inventory file's text (undefined: the file does not exist) with the schemas the program uses.
 * Problems are in the config format, prefixed by the file: `skyshift.prod.inventory.yaml: apps["shop/a"].container: …`.
 */
export function parseInventory(text: string | undefined, file: string): { inventory: Inventory; problems: string[] } {
    if (text === undefined) return { inventory: emptyInventory(file), problems: [] };
    const doc = parseYamlDocument(text);
    if (doc.errors.length > 0) {
        return { inventory: emptyInventory(file), problems: [`${file}: is not valid YAML: ${doc.errors[0].message.split("\n")[0]} — fix the file (or restore it from git)`] };
    }
    const value: unknown = doc.toJSON() ?? {};
    const result = inventoryFileSchema.safeParse(value, { reportInput: true });
    if (!result.success) {
        return { inventory: emptyInventory(file), problems: describeIssues(inventoryFileSchema, result.error.issues).map(problem => `${file}: ${problem}`) };
    }
    return { inventory: { file, exists: true, apps: result.data.apps }, problems: [] };
}

/** The file's text, or undefined when it does not exist; any other read error is thrown. */
export function readInventoryText(filePath: string): string | undefined {
    try {
        return fs.readFileSync(filePath, "utf8");
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
    }
}
