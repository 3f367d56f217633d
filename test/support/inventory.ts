import { Inventory, inventoryFileSchema } from "../../config/inventory";

/**
 * Tests write apps as one record each (mode and discovered fields together, as people read them); the program
 * takes them apart: the discovered fields are the inventory file, the modes are `skyshift:apps` decisions.
 */
export function splitApps(apps: Readonly<Record<string, Record<string, unknown>>>, file = "skyshift.unit.inventory.yaml"): { inventory: Inventory; decisions: Record<string, { mode: unknown }> } {
    const entries: Record<string, unknown> = {};
    const decisions: Record<string, { mode: unknown }> = {};
    for (const [key, { mode, ...entry }] of Object.entries(apps)) {
        entries[key] = entry;
        if (mode !== undefined) decisions[key] = { mode };
    }
    const parsed = inventoryFileSchema.parse({ apiVersion: "skyshift/v1", kind: "Inventory", apps: entries });
    return { inventory: { file, exists: true, apps: parsed.apps }, decisions };
}

/** `parseStackConfig`'s arguments for raw config whose `apps` are written as in {@link splitApps}. */
export function withInventory(raw: Readonly<Record<string, unknown>>): [Record<string, unknown>, Inventory] {
    const { apps, ...rest } = raw as { apps?: Record<string, Record<string, unknown>> };
    const { inventory, decisions } = splitApps(apps ?? {});
    return [{ ...rest, apps: decisions }, inventory];
}
