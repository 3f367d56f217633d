import { z } from "zod";

/**
 * Thrown when stack config is invalid. The message lists every problem, one per line, as
 * `key.path: what is wrong — how to fix`, so a single `pulumi preview` shows them all.
 */
export class ConfigError extends Error {
    constructor(public readonly problems: readonly string[]) {
        super(`invalid skyshift stack config (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
            problems.map(p => `  - ${p}`).join("\n"));
        this.name = "ConfigError";
    }
}

/** A non-fatal note for the person running the update, e.g. an insecure setting they asked for. */
export interface ConfigWarning {
    readonly path: string;
    readonly message: string;
}

/** Renders a config path the way `pulumi config set --path` spells it: `apps["shop/order"].mode`, `collector.exporters[0].endpoint`. */
export function formatPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const segment of path) {
        if (typeof segment === "number") out += `[${segment}]`;
        else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(String(segment))) out += out === "" ? String(segment) : `.${String(segment)}`;
        else out += `[${JSON.stringify(String(segment))}]`;
    }
    return out;
}

/** Turns zod's issues into the project's one-line problem format, suggesting the nearest known key for typos. */
export function describeIssues(schema: z.ZodType, issues: readonly z.core.$ZodIssue[], root: readonly PropertyKey[] = []): string[] {
    const problems: string[] = [];
    for (const issue of issues) {
        const path = [...root, ...issue.path];
        if (issue.code === "unrecognized_keys") {
            const known = knownKeys(schema, issue.path);
            for (const key of issue.keys) {
                const hint = nearest(key, known);
                problems.push(`${formatPath([...path, key])}: unknown key — ${hint ? `did you mean "${hint}"? ` : ""}` +
                    `known keys here: ${known.join(", ")}`);
            }
            continue;
        }
        problems.push(`${formatPath(path)}: ${describeIssue(issue)}`);
    }
    return problems;
}

/** Messages written in this project's schemas already say what is wrong and how to fix it. */
const OWN_MESSAGE = " — ";

function describeIssue(issue: z.core.$ZodIssue): string {
    if (issue.message.includes(OWN_MESSAGE)) return issue.message;
    switch (issue.code) {
        case "invalid_type": {
            if (issue.input === undefined) return `is required — set it (expected ${article(issue.expected)})`;
            return `is ${article(typeName(issue.input))}, expected ${article(issue.expected)} — write it as ${article(issue.expected)}`;
        }
        case "invalid_value":
            return `${JSON.stringify(issue.input)} is not allowed — use one of: ${issue.values.map(v => String(v)).join(", ")}`;
        case "too_small":
            return `${JSON.stringify(issue.input)} is too small — use a value of at least ${String(issue.minimum)}`;
        case "too_big":
            return `${JSON.stringify(issue.input)} is too big — use a value of at most ${String(issue.maximum)}`;
        case "invalid_union": {
            const { discriminator, options, input } = issue as { discriminator?: string; options?: unknown[]; input?: Record<string, unknown> };
            if (discriminator && options) {
                return `${JSON.stringify(input?.[discriminator])} is not allowed — use one of: ${options.map(String).join(", ")}`;
            }
            return issue.message;
        }
        case "invalid_key":
            return `${JSON.stringify(issue.input)} ${issue.issues.map(sub => sub.message).join("; ")}`;
        case "invalid_format":
            return `${JSON.stringify(issue.input)} is not a valid ${issue.format} — ${issue.message}`;
        default:
            return issue.message;
    }
}

function typeName(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "array";
    return typeof value === "object" ? "object" : typeof value;
}

function article(noun: string): string {
    return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

/** Walks a schema down a data path to the object that reported unknown keys and lists its keys. */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
    let node: z.ZodType | undefined = schema;
    for (const segment of path) {
        node = node && child(unwrap(node), segment);
    }
    const target = node && unwrap(node);
    return target instanceof z.ZodObject ? Object.keys(target.shape) : [];
}

function child(node: z.ZodType, segment: PropertyKey): z.ZodType | undefined {
    if (node instanceof z.ZodObject) return node.shape[String(segment)] as z.ZodType | undefined;
    if (node instanceof z.ZodArray) return node.element as z.ZodType;
    if (node instanceof z.ZodRecord) return node.valueType as z.ZodType;
    return undefined;
}

function unwrap(node: z.ZodType): z.ZodType {
    let current = node;
    for (;;) {
        if (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPrefault || current instanceof z.ZodNullable) {
            current = current.unwrap() as z.ZodType;
        } else if (current instanceof z.ZodPipe) {
            current = current.in as z.ZodType;
        } else {
            return current;
        }
    }
}

/** The known key within edit distance 2 of a typo, if any. */
export function nearest(typo: string, known: readonly string[]): string | undefined {
    let best: { key: string; distance: number } | undefined;
    for (const key of known) {
        const distance = editDistance(typo.toLowerCase(), key.toLowerCase());
        if (distance <= 2 && (!best || distance < best.distance)) best = { key, distance };
    }
    return best?.key;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
