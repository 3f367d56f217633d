import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so equal inputs hash equal whatever order they were built in. */
export function canonicalJson(value: unknown): string {
    if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
    }
    if (value === undefined) throw new Error("canonicalJson: undefined has no JSON form");
    return JSON.stringify(value);
}

export function sha256Hex(text: string | Buffer): string {
    return createHash("sha256").update(text).digest("hex");
}

/** Hex digits kept in a tag: 64 bits, no collision in any realistic fleet, short enough to read in a diff. */
export const TAG_HASH_LENGTH = 16;

/**
 * The rebuilt image's tag: `otel-<sha256 of the canonical JSON of every rebuild input>`. Never random, so an
 * unchanged app previews as no change and a new agent version, source digest or launcher previews as a rebuild.
 */
export function rebuildTag(inputs: Readonly<Record<string, unknown>>): string {
    return `otel-${sha256Hex(canonicalJson(inputs)).slice(0, TAG_HASH_LENGTH)}`;
}
