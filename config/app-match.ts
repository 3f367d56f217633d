/**
 * App matching shared by `selectors` and `migration.verifyTraces.apps`. A leaf module (no imports), so the
 * migration schema can use it without an import cycle through the modes module.
 */

/** A namespace (`shop`), or a glob over `namespace/name` where `*` is any run of characters but `/` and `?` is one. */
export const MATCH_PATTERN = /^[a-z0-9*?][-a-z0-9*?]*(\/[-.a-z0-9*?]+)?$/;

/** Whether a selector's `match` covers the app key `namespace/name`; a bare namespace means `namespace/*`. */
export function selectorMatches(match: string, key: string): boolean {
    const glob = match.includes("/") ? match : `${match}/*`;
    const pattern = glob.replace(/[.\-]/g, c => `\\${c}`).replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
    return new RegExp(`^${pattern}$`).test(key);
}
