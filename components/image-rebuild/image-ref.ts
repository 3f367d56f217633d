/** An image reference split the way registries address it. */
export interface ImageRef {
    /** `host[:port]`; Docker Hub references get `docker.io`. */
    readonly registry: string;
    /** The repository path inside the registry, e.g. `shop/order-service`. */
    readonly repository: string;
    readonly tag?: string;
    /** `sha256:<hex>` when the reference pins one. */
    readonly digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPOSITORY = /^[a-z0-9]+([._-]+[a-z0-9]+)*(\/[a-z0-9]+([._-]+[a-z0-9]+)*)*$/;

/** Parses `[registry/]repository[:tag][@sha256:…]`; returns an error message naming what is wrong instead of throwing. */
export function parseImageRef(ref: string): ImageRef | { error: string } {
    let rest = ref;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) return { error: `"${ref}" has a malformed digest — expected @sha256:<64 hex digits>` };
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag)) return { error: `"${ref}" has an invalid tag "${tag}"` };
    }
    const slash = rest.indexOf("/");
    const first = slash < 0 ? "" : rest.slice(0, slash);
    // Docker's rule: the first component is a registry only if it looks like a host.
    const hasRegistry = first.includes(".") || first.includes(":") || first === "localhost";
    const registry = hasRegistry ? first : "docker.io";
    let repository = hasRegistry ? rest.slice(slash + 1) : rest;
    if (!hasRegistry && !repository.includes("/")) repository = `library/${repository}`;
    if (!REPOSITORY.test(repository)) return { error: `"${ref}" has an invalid repository "${repository}" — use lowercase letters, digits, '.', '_', '-' and '/'` };
    return { registry, repository, tag, digest };
}

/** `registry/repository`, the name without tag or digest. */
export function imageName(ref: ImageRef): string {
    return `${ref.registry}/${ref.repository}`;
}

/** The most precise pull reference: by digest when known (a tag can move), else by tag. */
export function pinnedRef(ref: ImageRef): string {
    if (ref.digest) return `${imageName(ref)}@${ref.digest}`;
    return `${imageName(ref)}:${ref.tag ?? "latest"}`;
}

/** A reference state or a test already holds as valid: parsed, or an Error with the parser's reason. */
export function requireImageRef(text: string): ImageRef {
    const parsed = parseImageRef(text);
    if ("error" in parsed) throw new Error(parsed.error);
    return parsed;
}
