import { isAlias, isMap, isPair, isScalar, isSeq, Node, parseDocument, Scalar } from "yaml";
import { V7_TEMPLATE } from "./template";

/** yaml.v3's node kinds, which upstream's error messages print as numbers. */
const KIND = { document: 1, sequence: 2, mapping: 4, scalar: 8, alias: 16 } as const;

const template = parseDocument(V7_TEMPLATE);

/**
 * The v7 controller's check of an incoming config against its template (ValidateYAML in
 * server/agent_config/template_json.go upstream), returning its error text or undefined. Keys are
 * checked in document order; upstream walks a Go map, so with several bad keys it may name another.
 */
export function validateAgainstTemplate(body: string): string | undefined {
    const doc = parseDocument(body);
    if (doc.errors.length > 0) return `new data formatter error: ${doc.errors[0].message}`;
    if (doc.contents === null) return `node kind mismatch: expected ${KIND.mapping}, got 0`;
    return check(doc.contents as Node, template.contents as Node);
}

function kind(node: Node): number {
    if (isMap(node)) return KIND.mapping;
    if (isSeq(node)) return KIND.sequence;
    if (isAlias(node)) return KIND.alias;
    return KIND.scalar;
}

function check(node: Node, tmpl: Node): string | undefined {
    if (kind(node) !== kind(tmpl)) return `node kind mismatch: expected ${kind(tmpl)}, got ${kind(node)}`;
    if (isMap(node) && isMap(tmpl)) {
        for (const pair of node.items) {
            if (!isPair(pair)) continue;
            const key = String(isScalar(pair.key) ? pair.key.value : pair.key);
            const expected = tmpl.get(key, true) as Node | undefined;
            if (expected === undefined) return `unexpected key in configuration: ${key}`;
            const problem = check(pair.value as Node, expected);
            if (problem) return `invalid value for key '${key}': ${problem}`;
        }
        return undefined;
    }
    if (isSeq(node) && isSeq(tmpl)) {
        if (node.items.length === 0 || tmpl.items.length === 0) return undefined;
        for (const item of node.items) {
            const problem = check(item as Node, tmpl.items[0] as Node);
            if (problem) return `invalid sequence item: ${problem}`;
        }
        return undefined;
    }
    if (isScalar(node) && isScalar(tmpl)) {
        const want = tag(tmpl);
        const got = tag(node);
        if (want === "!!null") return undefined;
        if ((want === "!!float" && got === "!!int") || (want === "!!int" && got === "!!float")) return undefined;
        if (want !== got) return `scalar type mismatch: expected ${want}, got ${got}`;
    }
    return undefined;
}

/** The core-schema tag yaml.v3 resolves a scalar to; quoted scalars are always strings. */
function tag(node: Scalar): string {
    if (node.tag) return node.tag.replace(/^tag:yaml\.org,2002:/, "!!");
    if (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE) return "!!str";
    if (node.value === null) return "!!null";
    if (typeof node.value === "boolean") return "!!bool";
    if (typeof node.value === "number") return Number.isInteger(node.value) && !/[.eE]/.test(String(node.source ?? "")) ? "!!int" : "!!float";
    return "!!str";
}
