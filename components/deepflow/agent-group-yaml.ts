import { isScalar, parseDocument, Document } from "yaml";

/** A value skyshift owns in an agent-group config: DeepFlow's keys are booleans or integers. */
export type OwnedValue = boolean | number;

/** Owned keys by dotted path as DeepFlow's template spells them, e.g. `inputs.integration.listen_port`. */
export type OwnedKeys = Readonly<Record<string, OwnedValue>>;

/** What mergeOwnedKeys may write: owned values, plus v6's `vtap_group_id` string. */
export type ScalarKeys = Readonly<Record<string, OwnedValue | string>>;

/** `lineWidth: 0` keeps long strings on one line: re-folding them would rewrite keys skyshift does not own. */
const RENDER = { lineWidth: 0 } as const;

function parse(text: string): Document {
    const doc = parseDocument(text);
    if (doc.errors.length > 0) {
        throw new Error(`the agent-group config is not valid YAML: ${doc.errors[0].message}`);
    }
    return doc;
}

/**
 * Sets the owned keys in an agent-group config and leaves everything else — other keys, comments,
 * key order — as the operators wrote it. Idempotent: merging an already merged config changes nothing.
 */
export function mergeOwnedKeys(current: string, owned: ScalarKeys): string {
    const doc = parse(current);
    for (const [path, value] of Object.entries(owned)) {
        const segments = path.split(".");
        // Re-setting an equal scalar would drop the comment attached to it, so only touch what differs.
        if (doc.getIn(segments) === value) continue;
        const node = doc.getIn(segments, true);
        if (isScalar(node)) node.value = value;
        else doc.setIn(segments, value);
    }
    return doc.toString(RENDER);
}

/**
 * The owned keys' values as the config holds them now. Keys that are absent (DeepFlow then applies
 * its template default) or hold something other than a boolean or number are left out, so a diff
 * against the wanted values shows them as drift.
 */
export function readOwnedKeys(current: string, paths: readonly string[]): Record<string, OwnedValue> {
    const doc = parse(current);
    const found: Record<string, OwnedValue> = {};
    for (const path of paths) {
        const value: unknown = doc.getIn(path.split("."));
        if (typeof value === "boolean" || typeof value === "number") found[path] = value;
    }
    return found;
}
