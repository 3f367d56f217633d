import YAML, { Document, isScalar, visit, YAMLParseError } from "yaml";

/**
 * `YAML.parseDocument` with duplicate keys found in one pass over each mapping. yaml 2.x checks every new key
 * against all earlier keys of its mapping (`dist/compose/util-map-includes.js`, `mapIncludes`), so an inventory
 * of N apps costs N²/2 comparisons: 10,000 apps parse in 8.5 s with that check and 1.5 s without it
 * (docs/fleet-scale.md). The rule is yaml's own: two scalar keys of one mapping with the same value. A duplicate
 * is reported as yaml would report it, a `DUPLICATE_KEY` error in `doc.errors`, and the message names the key.
 */
export function parseYamlDocument(text: string): Document {
    const doc = YAML.parseDocument(text, { uniqueKeys: false });
    if (doc.errors.length > 0) return doc;
    visit(doc, {
        Map(_key, map) {
            const seen = new Set<unknown>();
            for (const { key } of map.items) {
                if (!isScalar(key)) continue;
                if (seen.has(key.value)) {
                    doc.errors.push(duplicateKeyError(text, key));
                    return visit.BREAK;
                }
                seen.add(key.value);
            }
            return undefined;
        },
    });
    return doc;
}

function duplicateKeyError(text: string, key: YAML.Scalar): YAMLParseError {
    const start = key.range?.[0] ?? 0;
    const lines = text.slice(0, start).split("\n");
    const where = `line ${lines.length}, column ${lines[lines.length - 1].length + 1}`;
    return new YAMLParseError([start, key.range?.[1] ?? start], "DUPLICATE_KEY",
        `Map keys must be unique: ${JSON.stringify(key.value)} appears again at ${where}`);
}
