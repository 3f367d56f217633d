import { z } from "zod";
import { MATCH_PATTERN, selectorMatches } from "./app-match";
import { AppConfig, appKeySchema, appModeSchema, InventoryEntry } from "./apps";
import type { Inventory } from "./inventory";
import { AppMode } from "./migration";
import { ConfigWarning, formatPath, nearest } from "./problems";

/**
 * `skyshift:apps`: people's per-app decisions, `{mode}` only, so `pulumi config set --path 'apps["ns/name"].mode' otel`
 * still flips one app. What discovery learns lives in the inventory file, so stack config grows with decisions, not apps.
 */
export const appDecisionsSchema = z.record(appKeySchema, z.strictObject({
    mode: appModeSchema.describe("`skywalking` (as discovered), `bridge` (the SkyWalking agent reports to the collector's `skywalking` receiver) or `otel` (the operator's agent)."),
})).default({}).describe("Per-app mode decisions, keyed `namespace/workload`; they win over selectors. " +
    "A decision for an app not in the inventory file is an error. What discovery learns is in the inventory file.")
    .meta({ examples: [{ "shop/order-service": { mode: "otel" } }] });
export type AppDecisions = z.output<typeof appDecisionsSchema>;
export { selectorMatches };

/**
 * `skyshift:selectors`: modes for many apps at once. Later selectors win over earlier ones, and a per-app
 * decision in `skyshift:apps` wins over every selector; apps nobody mentions stay in skywalking.
 */
export const selectorsSchema = z.array(z.strictObject({
    match: z.string().regex(MATCH_PATTERN, "must be a namespace or a namespace/name glob — e.g. shop, shop/* or */order-*")
        .describe("A namespace (`shop`), or a glob over `namespace/name` (`shop/*`, `*/order-*`): `*` any run of characters but `/`, `?` one."),
    mode: appModeSchema.describe("The mode of every app it matches, unless a later selector or a per-app decision says otherwise."),
})).default([]).describe("Modes for many apps at once; the last matching selector wins, a per-app decision in `apps` wins over all; " +
    "apps nobody mentions stay in skywalking. A selector that matches no app is a warning.")
    .meta({ examples: [[{ match: "shop", mode: "otel" }, { match: "shop/legacy-*", mode: "skywalking" }]] });
export type Selectors = z.output<typeof selectorsSchema>;

/** Where an app's mode comes from, as `pulumi config set --path` spells it, for messages. */
export const DEFAULT_MODE_SOURCE = "default (no decision: skywalking)";

/** One app as the program sees it: inventory entry, resolved mode, and the config that chose that mode. */
export interface ResolvedApp extends AppConfig {
    /** `apps["shop/a"].mode`, `selectors[0].mode (match "shop/*")` or {@link DEFAULT_MODE_SOURCE}. */
    readonly modeSource: string;
}

/** The mode and its source for one app key; pure, shared by the program and the commands. */
export function modeOf(key: string, decisions: AppDecisions, selectors: Selectors): { mode: AppMode; modeSource: string } {
    const decision = decisions[key];
    if (decision) return { mode: decision.mode, modeSource: `${formatPath(["apps", key, "mode"])}` };
    for (let index = selectors.length - 1; index >= 0; index--) {
        const selector = selectors[index];
        if (selectorMatches(selector.match, key)) return { mode: selector.mode, modeSource: `selectors[${index}].mode (match ${JSON.stringify(selector.match)})` };
    }
    return { mode: AppMode.skywalking, modeSource: DEFAULT_MODE_SOURCE };
}

export interface ResolvedModes {
    readonly apps: Record<string, ResolvedApp>;
    /** Decisions for apps the inventory does not hold: never a silent flip back, always an error. */
    readonly problems: string[];
    /** Selectors that match no app. */
    readonly warnings: ConfigWarning[];
}

/** Every inventory app with its mode: per-app decision, else the last matching selector, else skywalking. */
export function resolveModes(inventory: Inventory, decisions: AppDecisions, selectors: Selectors): ResolvedModes {
    const known = Object.keys(inventory.apps);
    const problems = Object.keys(decisions).filter(key => !(key in inventory.apps)).map(key => {
        const hint = nearest(key, known);
        const where = inventory.exists ? inventory.file : `${inventory.file} (the file does not exist)`;
        return `${formatPath(["apps", key])}: has no entry in ${where}${hint ? ` — did you mean "${hint}"?` : ""} — ` +
            "run npm run discover to add it, or remove the decision (a deleted inventory entry is never a silent flip back)";
    });
    const warnings = selectors.flatMap((selector, index) => known.some(key => selectorMatches(selector.match, key)) ? [] : [{
        path: `selectors[${index}]`,
        message: `match ${JSON.stringify(selector.match)} matches no app in ${inventory.file} — fix the pattern or remove the selector`,
    }]);
    const apps: Record<string, ResolvedApp> = {};
    for (const key of known.sort()) apps[key] = { ...(inventory.apps[key] as InventoryEntry), ...modeOf(key, decisions, selectors) };
    return { apps, problems, warnings };
}
