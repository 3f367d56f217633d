import { gzipSync } from "node:zlib";

/** What one process (one `pulumi up`'s provider) remembers across apps. */
interface ProcessCache {
    /** The agent images' files, by image config digest. */
    readonly imageFiles: Map<string, Map<string, Buffer>>;
    /** gzip is the slow step (tens of MiB of agent); the same layer content compresses to the same bytes. */
    readonly compressedLayers: Map<string, Buffer>;
    /** Which repository already holds each new layer this process pushed, to mount it from there for the next app. */
    readonly newLayerHomes: Map<string, string>;
}

/**
 * Kept on globalThis, not in module variables: Pulumi serializes a dynamic provider's code with the values it
 * captures, and a captured Map arrives as a plain object ("Map.prototype.get called on incompatible receiver");
 * globals are referenced, not copied.
 */
export function processCache(): ProcessCache {
    const global = globalThis as { skyshiftLayerAppendCache?: ProcessCache };
    global.skyshiftLayerAppendCache ??= { imageFiles: new Map(), compressedLayers: new Map(), newLayerHomes: new Map() };
    return global.skyshiftLayerAppendCache;
}

/** The gzip of a layer tar, by its diff id. */
export function compressed(diffId: string, tar: Buffer): Buffer {
    const cache = processCache().compressedLayers;
    let layer = cache.get(diffId);
    if (!layer) cache.set(diffId, layer = gzipSync(tar));
    return layer;
}
