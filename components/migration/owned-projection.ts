/**
 * The live values of exactly the fields an apply body names, in the body's shape, matching list entries by
 * their Server-Side Apply keys (containers and env vars by `name`) rather than by position. Comparing a body
 * with the projection of the live object shows what would change and what drifted — without the positional
 * pruning that makes the Kubernetes provider's Patch resources report changes forever when an owned env var is
 * not the first one (docs/migration.md).
 */

type Json = Record<string, unknown>;
interface Named { name: string; [field: string]: unknown }

/** Project `live` onto the shape of `body`. A field absent from the live object is absent from the result. */
export function projectOwned(live: Json, body: Json): Json {
    return projectMap(live, body, []);
}

function projectMap(live: unknown, body: Json, path: string[]): Json {
    const source = isMap(live) ? live : {};
    const out: Json = {};
    for (const [key, wanted] of Object.entries(body)) {
        const value = projectValue(source[key], wanted, [...path, key]);
        if (value !== undefined) out[key] = value;
    }
    return out;
}

function projectValue(live: unknown, wanted: unknown, path: string[]): unknown {
    if (live === undefined) return emptyEnvValue(path) ? "" : undefined;
    if (Array.isArray(wanted) && isNamedList(wanted)) return projectNamedList(live, wanted, path);
    if (isMap(wanted)) return projectMap(live, wanted, path);
    return live;
}

/** `containers`, `initContainers` and `env` are list-maps keyed by `name`: match entries by name. */
function projectNamedList(live: unknown, wanted: Named[], path: string[]): Named[] {
    const entries = Array.isArray(live) ? (live as unknown[]).filter(isMap) as Named[] : [];
    return wanted.flatMap(entry => {
        const match = entries.find(e => e.name === entry.name);
        return match ? [projectMap(match, entry, path) as Named] : [];
    });
}

/** The API server drops `value: ""` from an env var; absent and empty mean the same to the container. */
function emptyEnvValue(path: string[]): boolean {
    return path[path.length - 1] === "value" && path.includes("env");
}

function isNamedList(list: unknown[]): list is Named[] {
    return list.length > 0 && list.every(e => isMap(e) && typeof e.name === "string");
}

function isMap(value: unknown): value is Json {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
