import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { stackSchema } from "../../config";
import { inventoryFileSchema } from "../../config/inventory";
import { renderConfigReference, renderInventoryReference } from "../../config/reference";
import { REPO_ROOT } from "../support/program";

const DOC = path.join(REPO_ROOT, "docs", "config.md");

interface Facts { keys: string[]; defaults: string[]; enumValues: string[]; examples: Array<[string, unknown]> }

/** Walks the stack schema's JSON Schema on its own, to check the rendered reference against it. */
function factsOf(schema: Record<string, any>, facts: Facts = { keys: [], defaults: [], enumValues: [], examples: [] }): Facts {
    for (const [key, child] of Object.entries<Record<string, any>>(schema.properties ?? {})) {
        facts.keys.push(key);
        if (child.default !== undefined) facts.defaults.push(JSON.stringify(child.default));
        for (const value of child.enum ?? []) facts.enumValues.push(String(value));
        factsOf(child, facts);
    }
    for (const nested of [schema.items, schema.additionalProperties, ...(schema.oneOf ?? []), ...(schema.items?.oneOf ?? [])]) {
        if (nested && typeof nested === "object") factsOf(nested, facts);
    }
    return facts;
}

describe("docs/config.md", () => {
    it("is what `npm run docs:config` generates from the schemas (run it after changing a schema)", () => {
        expect(fs.readFileSync(DOC, "utf8")).toBe(`${renderConfigReference()}\n${renderInventoryReference()}`);
    });

    it("names every key and enum value of the inventory file", () => {
        const doc = renderInventoryReference();
        const facts = factsOf(z.toJSONSchema(inventoryFileSchema, { io: "input", unrepresentable: "any" }) as Record<string, any>);
        expect(facts.keys).toEqual(expect.arrayContaining(["apiVersion", "kind", "apps", "container", "original", "agents"]));
        for (const key of facts.keys) expect([key, doc.includes(`${key}\``)]).toEqual([key, true]);
        for (const value of facts.enumValues) expect([value, doc.includes(`\`${value}\``)]).toEqual([value, true]);
    });

    it("names every key, default and enum value of the stack schema", () => {
        const doc = renderConfigReference();
        const facts = factsOf(z.toJSONSchema(stackSchema, { io: "input", unrepresentable: "any" }) as Record<string, any>);
        expect(facts.keys.length).toBeGreaterThan(100);
        for (const key of facts.keys) expect([key, doc.includes(`${key}\``)]).toEqual([key, true]);
        for (const value of facts.defaults) expect([value, doc.includes(`\`${value}\``)]).toEqual([value, true]);
        for (const value of facts.enumValues) expect([value, doc.includes(`\`${value}\``)]).toEqual([value, true]);
    });

    it("shows examples that the section's schema accepts", () => {
        const sections = (z.toJSONSchema(stackSchema, { io: "input", unrepresentable: "any" }) as { properties: Record<string, { examples?: unknown[] }> }).properties;
        const withExamples = Object.keys(sections).filter(name => sections[name].examples);
        expect(withExamples).toEqual(expect.arrayContaining(["collector", "instrumentation"]));
        for (const name of withExamples) {
            const schema = stackSchema.shape[name as keyof typeof stackSchema.shape];
            for (const example of sections[name].examples ?? []) {
                expect(renderConfigReference()).toContain(`skyshift:${name}:`);
                expect([name, schema.safeParse(example).error?.issues]).toEqual([name, undefined]);
            }
        }
    });
});

describe("renderConfigReference", () => {
    const schema = z.strictObject({
        demo: z.strictObject({
            port: z.int().min(1).max(65535).default(80).describe("Where it | listens."),
            mode: z.enum(["a", "b"]).optional(),
            items: z.array(z.discriminatedUnion("kind", [
                z.strictObject({ kind: z.literal("x"), path: z.string() }).describe("An x."),
                z.strictObject({ kind: z.literal("y") }),
            ])).min(1),
            labels: z.record(z.string(), z.strictObject({ value: z.string() })).default({}),
        }).describe("A demo section."),
    });

    it("renders one table row per key with its type, default and description, escaping pipes", () => {
        expect(renderConfigReference(schema).split("## `skyshift:demo`")[1]).toBe(`

A demo section.

object, **required**.

| key | type | default | description |
| --- | --- | --- | --- |
| \`port\` | integer 1–65535 | \`80\` | Where it \\| listens. |
| \`mode\` | \`a\` \\| \`b\` | — |  |
| \`items\` | list of objects by kind: x, y (at least 1) | **required** |  |
| \`items[kind=x]\` | object | — | An x. |
| \`items[kind=x].kind\` | \`"x"\` | **required** |  |
| \`items[kind=x].path\` | string | **required** |  |
| \`items[kind=y]\` | object | — |  |
| \`items[kind=y].kind\` | \`"y"\` | **required** |  |
| \`labels\` | map of objects | \`{}\` |  |
| \`labels.<key>.value\` | string | **required** |  |
`);
    });
});
