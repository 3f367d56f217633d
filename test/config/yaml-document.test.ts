import fc from "fast-check";
import YAML from "yaml";
import { parseYamlDocument } from "../../config/yaml-document";
import { parseInventory } from "../../config/inventory";

describe("parseYamlDocument", () => {
    test("names a duplicate app key and its line", () => {
        const text = "apps:\n  shop/a: {container: a}\n  shop/b: {container: b}\n  shop/a: {container: c}\n";
        const doc = parseYamlDocument(text);
        expect(doc.errors.map(error => [error.code, error.message])).toEqual([
            ["DUPLICATE_KEY", 'Map keys must be unique: "shop/a" appears again at line 4, column 3'],
        ]);
    });

    test("finds duplicates in nested and flow mappings", () => {
        expect(parseYamlDocument("apps:\n  shop/a:\n    container: a\n    container: b\n").errors.map(error => error.code)).toEqual(["DUPLICATE_KEY"]);
        expect(parseYamlDocument("apps: {shop/a: {kind: Deployment, kind: StatefulSet}}\n").errors.map(error => error.code)).toEqual(["DUPLICATE_KEY"]);
    });

    test("keys equal only by value and type, as in yaml: 1 and \"1\" are two keys", () => {
        expect(parseYamlDocument("a:\n  1: x\n  \"1\": y\n").errors).toEqual([]);
    });

    test("the inventory reports it as invalid YAML, naming the file and the key", () => {
        const { problems } = parseInventory("apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/a: {}\n  shop/a: {}\n", "skyshift.prod.inventory.yaml");
        expect(problems).toEqual(['skyshift.prod.inventory.yaml: is not valid YAML: Map keys must be unique: "shop/a" appears again at line 5, column 3 — fix the file (or restore it from git)']);
    });

    test("finds a duplicate exactly when yaml's own check does, and otherwise reads the same value", () => {
        const scalar = fc.oneof(fc.constantFrom("a", "b", "shop/a", "1", "true"), fc.integer({ min: 0, max: 2 }), fc.boolean());
        const mapping = fc.array(fc.tuple(scalar, fc.oneof(scalar, fc.array(fc.tuple(scalar, scalar), { maxLength: 4 }))), { maxLength: 6 });
        const render = (pairs: [unknown, unknown][], indent: string): string => pairs.map(([key, value]) => Array.isArray(value)
            ? `${indent}${JSON.stringify(key)}:\n${value.length === 0 ? `${indent}  {}\n` : render(value as [unknown, unknown][], `${indent}  `)}`
            : `${indent}${JSON.stringify(key)}: ${JSON.stringify(value)}\n`).join("");
        fc.assert(fc.property(mapping, pairs => {
            const text = render(pairs, "") || "{}\n";
            const ours = parseYamlDocument(text);
            const yamls = YAML.parseDocument(text);
            expect(ours.errors.some(error => error.code === "DUPLICATE_KEY")).toBe(yamls.errors.some(error => error.code === "DUPLICATE_KEY"));
            if (yamls.errors.length === 0) expect(ours.toJSON()).toEqual(yamls.toJSON());
        }), { numRuns: 300 });
    });
});
