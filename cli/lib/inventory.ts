import { isMap, isScalar, YAMLMap } from "yaml";
import type { DiscoveredApp } from "../../discovery";
import { AppMode } from "../../config/migration";
import { inventoryAppsNode, InventoryFile } from "./inventory-file";

/** Comment line discovery puts above an inventory entry whose workload it could not find; replaced on every run. */
export const MISSING_MARKER = "skyshift discover: not found in the cluster";

/** What a merge did, for the command's report. */
export interface MergeReport {
    /** New apps (in skywalking mode unless a selector says otherwise: discovery never writes modes). */
    readonly added: readonly string[];
    /** Existing apps that got keys they lacked, with those keys. */
    readonly completed: readonly { key: string; keys: readonly string[] }[];
    /** Existing apps whose written keys no longer match the cluster (kept as written). */
    readonly differs: readonly { key: string; keys: readonly string[] }[];
    /** Apps in otel or bridge mode: their live spec is the flipped one (no agent, or the collector's address), so nothing is taken from it. */
    readonly migrated: readonly string[];
    /** Apps whose workload was not found (in the scanned namespaces); kept and marked with a comment. */
    readonly missing: readonly string[];
}

export interface MergeInput {
    /** SkyWalking apps found now, by `ns/name`. */
    readonly discovered: ReadonlyMap<string, DiscoveredApp>;
    /** Every workload key that exists in the scanned scope, SkyWalking or not. */
    readonly present: ReadonlySet<string>;
    /** Namespaces scanned; undefined means all, so any app can be missing. */
    readonly namespaces?: readonly string[];
    /** Goes into the missing-marker comment, e.g. `2026-11-24, context lab`. */
    readonly stamp: string;
    /** Each app's mode as the stack's decisions resolve it. */
    readonly modeOf: (key: string) => AppMode;
}

/**
 * Merges discovered apps into the inventory file. People own what is written: an existing key is never
 * overwritten (a differing one is reported), apps already in otel or bridge mode are left alone (their live spec is the
 * flipped one, not what a flip back restores), and apps not found stay, marked.
 */
export function mergeInventory(file: InventoryFile, input: MergeInput): MergeReport {
    const apps = inventoryAppsNode(file);
    const report = { added: [] as string[], completed: [] as { key: string; keys: string[] }[], differs: [] as { key: string; keys: string[] }[], migrated: [] as string[], missing: [] as string[] };
    for (const key of [...input.discovered.keys()].sort()) {
        const app = input.discovered.get(key) as DiscoveredApp;
        const existing = apps.get(key, true);
        if (!isMap(existing)) {
            apps.set(key, file.doc.createNode(app));
            report.added.push(key);
            continue;
        }
        if (input.modeOf(key) !== AppMode.skywalking) {
            report.migrated.push(key);
            continue;
        }
        const { added, differing } = completeEntry(file, existing, app);
        if (added.length > 0) report.completed.push({ key, keys: added });
        if (differing.length > 0) report.differs.push({ key, keys: differing });
    }
    for (const pair of apps.items) {
        const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
        const inScope = !input.namespaces || input.namespaces.includes(key.split("/")[0]);
        const missing = inScope && !input.present.has(key);
        markMissing(pair.key, missing ? `${MISSING_MARKER} (${input.stamp}) — delete this entry if the app is gone for good` : undefined);
        if (missing) report.missing.push(key);
    }
    return report;
}

function completeEntry(file: InventoryFile, existing: YAMLMap, app: DiscoveredApp): { added: string[]; differing: string[] } {
    const added: string[] = [];
    const differing: string[] = [];
    const written = existing.toJSON() as Record<string, unknown>;
    for (const [field, value] of Object.entries(app)) {
        if (!(field in written)) {
            existing.set(field, file.doc.createNode(value));
            added.push(field);
        } else if (JSON.stringify(written[field]) !== JSON.stringify(value)) {
            differing.push(field);
        }
    }
    // A one-line entry grown by a dozen keys is unreadable: switch it to block style.
    if (added.length > 0) existing.flow = false;
    return { added, differing };
}

/** Replaces discovery's own marker line above a key, leaving people's comment lines as they are. */
function markMissing(key: unknown, marker: string | undefined): void {
    if (!isScalar(key)) return;
    const lines = (key.commentBefore ?? "").split("\n").filter(line => line !== "" && !line.trim().startsWith(MISSING_MARKER));
    if (marker) lines.push(` ${marker}`);
    key.commentBefore = lines.length > 0 ? lines.join("\n") : undefined;
}
