import { stringify } from "yaml";
import { z } from "zod";
import { inventoryFileName, inventoryFileSchema } from "./inventory";
import { CONFIG_NAMESPACE, stackSchema } from "./stack";

/** The part of JSON Schema (draft 2020-12) that `z.toJSONSchema` writes for the stack schema. */
interface JsonSchema {
    readonly type?: string;
    readonly description?: string;
    readonly default?: unknown;
    readonly examples?: readonly unknown[];
    readonly enum?: readonly unknown[];
    readonly const?: unknown;
    readonly format?: string;
    readonly minimum?: number;
    readonly maximum?: number;
    readonly minItems?: number;
    readonly properties?: Readonly<Record<string, JsonSchema>>;
    readonly required?: readonly string[];
    readonly additionalProperties?: JsonSchema | boolean;
    readonly items?: JsonSchema;
    readonly oneOf?: readonly JsonSchema[];
    readonly anyOf?: readonly JsonSchema[];
}

interface Row {
    readonly key: string;
    readonly type: string;
    readonly default: string;
    readonly description: string;
}

/** Bounds zod writes for every `z.int()`; they say nothing to a reader. */
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
const INTRO = `# Configuration reference

Every key lives in the \`${CONFIG_NAMESPACE}:\` namespace and is validated by the schemas in \`config/*.ts\`
(unknown keys are errors). Set values by editing \`Pulumi.<stack>.yaml\`, or with \`pulumi config set --path\`,
e.g. \`pulumi config set --path 'apps["shop/order-service"].mode' otel\`.

This file is generated from those schemas by \`npm run docs:config\`: change a schema's \`.describe()\` text,
default or enum, then regenerate. \`test/config/reference.test.ts\` fails while the two differ.
`;

/**
 * The config reference as Markdown: one section per `skyshift:` key, one table row per key with its type,
 * default and description, all read from the zod schemas (`z.toJSONSchema`), so the doc cannot drift from them.
 */
export function renderConfigReference(schema: z.ZodObject = stackSchema): string {
    const root = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const sections = Object.entries(root.properties ?? {}).map(([name, schema]) =>
        renderSection(name, schema, root.required?.includes(name) ?? false));
    return [INTRO, ...sections].join("\n");
}

/**
 * The inventory file's reference, from its schema like the config keys: the versioned header and every field of
 * an app entry. `npm run docs:config` writes it after the config reference.
 */
export function renderInventoryReference(): string {
    const root = z.toJSONSchema(inventoryFileSchema, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const rows: Row[] = [];
    collectRows(root, "", rows);
    return [
        `## The inventory file, \`${inventoryFileName("<stack>")}\``, "",
        "What `npm run discover` learned about each app, beside the stack file, reviewed and committed. Modes are not here: " +
        `they are decisions in \`${CONFIG_NAMESPACE}:apps\` and \`${CONFIG_NAMESPACE}:selectors\` (docs/workflow.md).`, "",
        "| key | type | default | description |", "| --- | --- | --- | --- |",
        ...rows.map(row => `| \`${row.key}\` | ${cell(row.type)} | ${cell(row.default)} | ${cell(row.description)} |`),
        "",
    ].join("\n");
}

function renderSection(name: string, schema: JsonSchema, required: boolean): string {
    const rows: Row[] = [];
    collectRows(schema, "", rows);
    const lines = [`## \`${CONFIG_NAMESPACE}:${name}\``, ""];
    if (schema.description) lines.push(schema.description, "");
    lines.push(`${typeOf(schema)}, ${required ? "**required**" : `default \`${JSON.stringify(schema.default ?? null)}\``}.`, "");
    if (rows.length > 0) {
        lines.push("| key | type | default | description |", "| --- | --- | --- | --- |");
        for (const row of rows) lines.push(`| \`${row.key}\` | ${cell(row.type)} | ${cell(row.default)} | ${cell(row.description)} |`);
        lines.push("");
    }
    for (const example of schema.examples ?? []) lines.push("```yaml", stringify({ [`${CONFIG_NAMESPACE}:${name}`]: example }).trimEnd(), "```", "");
    return lines.join("\n");
}

/** One row per key below `schema`, depth first; list items are `key[]`, map values `key.<key>`, union variants `key[kind=…]`. */
function collectRows(schema: JsonSchema, path: string, rows: Row[], required = false): void {
    if (path !== "") rows.push({ key: path, type: typeOf(schema), default: defaultOf(schema, required), description: schema.description ?? "" });
    const prefix = path === "" ? "" : `${path}.`;
    for (const [name, child] of Object.entries(schema.properties ?? {})) {
        collectRows(child, `${prefix}${name}`, rows, schema.required?.includes(name) ?? false);
    }
    if (isObject(schema.additionalProperties)) collectMembers(schema.additionalProperties, `${prefix}<key>`, rows);
    if (schema.items) collectMembers(schema.items, `${path}[]`, rows);
    // A scalar-or-object setting (`true` or `{…}`): the object form's keys are listed under the setting.
    const objectForm = schema.anyOf?.filter(variant => variant.properties);
    if (objectForm?.length === 1) {
        for (const [name, child] of Object.entries(objectForm[0].properties ?? {})) collectRows(child, `${prefix}${name}`, rows, objectForm[0].required?.includes(name) ?? false);
    }
}

/** A list item or map value: only objects (and unions of them) have keys of their own. */
function collectMembers(member: JsonSchema, path: string, rows: Row[]): void {
    if (member.oneOf) {
        for (const variant of member.oneOf) collectRows(variant, `${path.replace(/\[\]$/, "")}[${variantName(variant)}]`, rows);
        return;
    }
    if (member.properties) for (const [name, child] of Object.entries(member.properties)) collectRows(child, `${path}.${name}`, rows, member.required?.includes(name) ?? false);
}

/** `kind=otlp`: the variant's discriminator, the one property with a constant value. */
function variantName(variant: JsonSchema): string {
    const [name, discriminator] = Object.entries(variant.properties ?? {}).find(([, property]) => property.const !== undefined) ?? ["?", {}];
    return `${name}=${String(discriminator.const)}`;
}

function typeOf(schema: JsonSchema): string {
    if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
    if (schema.enum) return schema.enum.map(value => `\`${String(value)}\``).join(" \\| ");
    const variants = schema.oneOf ?? schema.anyOf;
    if (variants) return variants.map(typeOf).join(" or ");
    switch (schema.type) {
        case "array":
            return `list of ${itemType(schema.items ?? {})}${schema.minItems ? ` (at least ${schema.minItems})` : ""}`;
        case "object":
            return isObject(schema.additionalProperties) ? `map of ${plural(typeOf(schema.additionalProperties))}` : "object";
        case "integer":
        case "number":
            return `${schema.type}${range(schema)}`;
        case "string":
            return schema.format === "uri" ? "string (URL)" : "string";
        default:
            return schema.type ?? "any";
    }
}

/** A union of objects is named by its discriminator: "objects by kind: otlp, debug". */
function itemType(items: JsonSchema): string {
    if (!items.oneOf?.every(variant => variant.properties)) return plural(typeOf(items));
    const names = items.oneOf.map(variantName);
    const discriminator = names[0].split("=")[0];
    return `objects by ${discriminator}: ${names.map(name => name.split("=")[1]).join(", ")}`;
}

function range(schema: JsonSchema): string {
    const min = schema.minimum !== undefined && Math.abs(schema.minimum) !== SAFE_INTEGER ? schema.minimum : undefined;
    const max = schema.maximum !== undefined && Math.abs(schema.maximum) !== SAFE_INTEGER ? schema.maximum : undefined;
    if (min !== undefined && max !== undefined) return ` ${min}–${max}`;
    if (min !== undefined) return ` ≥ ${min}`;
    return max !== undefined ? ` ≤ ${max}` : "";
}

function plural(type: string): string {
    return /^(string|integer|number|boolean|object)\b/.test(type) ? type.replace(/^(\w+)/, "$1s") : type;
}

function defaultOf(schema: JsonSchema, required: boolean): string {
    if (schema.default !== undefined) return `\`${JSON.stringify(schema.default)}\``;
    return required ? "**required**" : "—";
}

function isObject(value: JsonSchema | boolean | undefined): value is JsonSchema {
    return typeof value === "object";
}

/** Markdown table cells: a pipe ends the cell unless escaped, a newline ends the row. */
function cell(text: string): string {
    return text.replace(/(?<!\\)\|/g, "\\|").replace(/\n/g, " ");
}
