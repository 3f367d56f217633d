import { Document, isMap, isScalar, parseDocument } from "yaml";

/** A value skyshift owns in an agent-group config: DeepFlow's keys are booleans or integers. */
export type OwnedValue = boolean | number;

/** Owned keys by dotted path as DeepFlow's template spells them, e.g. `inputs.integration.listen_port`. */
export type OwnedKeys = Readonly<Record<string, OwnedValue>>;

/** What mergeOwnedKeys may write: owned values, plus v6's `vtap_group_id` string. */
export type ScalarKeys = Readonly<Record<string, OwnedValue | string>>;

/**
 * Rendering that matches how DeepFlow's template writes YAML, so keys skyshift does not own come back as
 * they were: long strings stay on one line, flow lists stay `[a, b]`, and the config's own indent is kept.
 */
function renderOptions(text: string) {
    return { lineWidth: 0, flowCollectionPadding: false, indent: indentOf(text) } as const;
}

/** The indent of the first nested key (not a comment, not a list item); 2, the template's, if none. */
function indentOf(text: string): number {
    const nested = /^( +)(?![#\s-])/m.exec(text);
    return nested ? nested[1].length : 2;
}

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
        ensureSections(doc, path, segments.slice(0, -1));
        const node = doc.getIn(segments, true);
        if (isScalar(node)) node.value = value;
        else doc.setIn(segments, value);
    }
    return doc.toString(renderOptions(current));
}

/**
 * Makes every parent of an owned key a mapping. An empty section (`inputs:` with nothing under it) is
 * YAML null and becomes a mapping; anything else in the way is a config DeepFlow would reject too.
 */
function ensureSections(doc: Document, path: string, parents: readonly string[]): void {
    if (doc.contents !== null && !isMap(doc.contents)) {
        throw new Error(`cannot set ${path}: the agent-group config is not a mapping of sections`);
    }
    for (let depth = 1; depth <= parents.length; depth++) {
        const prefix = parents.slice(0, depth);
        const node: unknown = doc.getIn(prefix, true);
        if (node === undefined || isMap(node)) continue;
        if (isScalar(node) && node.value === null) {
            doc.setIn(prefix, doc.createNode({}));
            continue;
        }
        throw new Error(`cannot set ${path}: ${prefix.join(".")} holds a value, not a section — fix the group's config with deepflow-ctl`);
    }
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
