import { isMap, isScalar, Pair, YAMLMap } from "yaml";
import { AppMode } from "../../config/migration";
import { modeOf, Selectors } from "../../config/modes";
import { inventoryAppsNode, InventoryFile } from "./inventory-file";
import { decisionsNode, StackFile } from "./stack-file";
import { keysOf } from "./yaml-file";

/** What happened to one app's entry in the stack file. */
export interface ConvertedApp {
    readonly key: string;
    /** The discovered fields moved into the inventory file, as written. */
    readonly moved: readonly string[];
    /** The decision left in `skyshift:apps`, or undefined when none is needed (skywalking, and no selector says otherwise). */
    readonly kept: AppMode | undefined;
}

/**
 * Moves the discovered fields of every `skyshift:apps` entry into the inventory file, node for node (comments and
 * values exactly as written, so the originals flipping back re-applies do not change by a byte), and leaves
 * `{mode}` where the mode is a decision that matters: apps in otel, or in skywalking where a selector would
 * otherwise say otel. Apps in skywalking with no selector lose their entry: skywalking is the default, and
 * keeping 5,000 `{mode: skywalking}` lines would bring back the config-size wall the inventory file removes.
 * Throws, changing nothing, when the inventory already holds an app with different fields.
 */
export function convertStack(stackFile: StackFile, inventoryFile: InventoryFile, selectors: Selectors): ConvertedApp[] {
    const decisions = decisionsNode(stackFile);
    const inventory = inventoryAppsNode(inventoryFile);
    const legacy = decisions.items.filter(pair => isMap(pair.value) && keysOf(pair.value).some(field => field !== "mode"));
    const conflicts = legacy.filter(pair => {
        const existing = inventory.get(keyOf(pair), true);
        return isMap(existing) && JSON.stringify(existing.toJSON()) !== JSON.stringify(withoutMode(pair.value as YAMLMap).toJSON());
    }).map(keyOf);
    if (conflicts.length > 0) {
        throw new Error(`${inventoryFile.path} already holds ${conflicts.join(", ")} with other values than ${stackFile.path} — ` +
            "keep one of the two by hand (delete the other entry's fields) and run convert again");
    }
    const converted: ConvertedApp[] = [];
    for (const pair of legacy) {
        const key = keyOf(pair);
        const entry = pair.value as YAMLMap;
        const mode = (entry.get("mode") ?? AppMode.skywalking) as AppMode;
        const moved = withoutMode(entry);
        if (!inventory.has(key)) inventory.items.push(new Pair(isScalar(pair.key) ? pair.key.clone() : pair.key, moved));
        const kept = mode === AppMode.otel || mode !== modeOf(key, {}, selectors).mode ? mode : undefined;
        if (kept) pair.value = stackFile.doc.createNode({ mode }, { flow: true });
        else decisions.items.splice(decisions.items.indexOf(pair), 1);
        converted.push({ key, moved: keysOf(moved), kept });
    }
    return converted;
}

function keyOf(pair: Pair): string {
    return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

/** A copy of the entry without its `mode`, comments and values as written. */
function withoutMode(entry: YAMLMap): YAMLMap {
    const copy = entry.clone() as YAMLMap;
    copy.delete("mode");
    return copy;
}
