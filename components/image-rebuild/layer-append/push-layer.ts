import type { ImageRef } from "../image-ref";
import { sha256Hex } from "../tag";
import type { ImageConfig } from "./layer";
import { compressed, processCache } from "./process-cache";
import { RegistryClient, type RegistryAccess } from "./registry";
import { mountOrCopy, OCI_MANIFEST, push, readBlob, readManifest, uploadBlob, type Manifest } from "./registry-ops";
import { writeTar, type TarEntry } from "./tar";

/** One new layer on top of a base image (or on nothing), written registry-side. */
export interface LayerPush {
    /** The base image; its layers are mounted, never downloaded. Undefined: an image of this one layer only. */
    readonly base?: ImageRef;
    readonly entries: readonly TarEntry[];
    /** The new image's config from the base's (an empty linux/amd64 one without a base) and the new layer's diff id. */
    readonly configure: (base: ImageConfig, diffId: string) => ImageConfig;
    /** `<server>/<path>`: the server must be the push registry's. */
    readonly repository: string;
    readonly tag: string;
    /** The push registry; images on the same server are read with the same credentials. */
    readonly target: RegistryAccess;
    /** Clients for the images' registries, keyed by server, shared with the caller's reads (created on demand). */
    readonly clients?: Map<string, RegistryClient>;
}

export interface LayerAppendResult {
    /** The manifest digest, `sha256:…`. */
    readonly digest: string;
    /** Bytes uploaded: the new layer, the config and the manifest (base layers are mounted, not sent). */
    readonly uploadedBytes: number;
}

const LAYER_TYPE: Readonly<Record<string, string>> = {
    [OCI_MANIFEST]: "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.docker.distribution.manifest.v2+json": "application/vnd.docker.image.rootfs.diff.tar.gzip",
};

/** The config of an image with no base: the platform the fleet's nodes run (readManifest picks the same). */
const SCRATCH_CONFIG: ImageConfig = { architecture: "amd64", os: "linux", config: {}, rootfs: { type: "layers", diff_ids: [] } };
const SCRATCH_MANIFEST: Manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: "application/vnd.oci.image.config.v1+json", size: 0, digest: "" }, layers: [] };

/** The client for `server`, made once per push; the target's own server gets the target's credentials. */
export function clientFor(clients: Map<string, RegistryClient>, target: RegistryAccess, server: string): RegistryClient {
    let client = clients.get(server);
    if (!client) clients.set(server, client = new RegistryClient(server === target.server ? target : { server }));
    return client;
}

/**
 * Writes base + one layer without downloading the base: reads its manifest and config (kilobytes), mounts every base
 * layer into the target repository registry-side, uploads the new layer, then the new config and manifest. Same
 * inputs, same digest (tar mtimes are 0, gzip is deterministic).
 */
export async function pushLayer(request: LayerPush): Promise<LayerAppendResult> {
    if (!request.repository.startsWith(`${request.target.server}/`)) throw new Error(`repository ${request.repository} is not on ${request.target.server}`);
    const targetRepository = request.repository.slice(request.target.server.length + 1);
    const clients = request.clients ?? new Map<string, RegistryClient>();
    const target = clientFor(clients, request.target, request.target.server);
    const source = request.base && clientFor(clients, request.target, request.base.registry);
    const base = source && request.base ? await readManifest(source, request.base) : SCRATCH_MANIFEST;
    const baseConfig = source && request.base
        ? JSON.parse((await readBlob(source, request.base.repository, base.config.digest)).toString("utf8")) as ImageConfig
        : SCRATCH_CONFIG;

    const tar = writeTar(request.entries);
    const diffId = `sha256:${sha256Hex(tar)}`;
    const layer = compressed(diffId, tar);
    const layerDigest = `sha256:${sha256Hex(layer)}`;
    const config = Buffer.from(JSON.stringify(request.configure(baseConfig, diffId)));
    const configDigest = `sha256:${sha256Hex(config)}`;

    let uploadedBytes = 0;
    if (source && request.base) {
        for (const blob of base.layers) await mountOrCopy(target, targetRepository, blob.digest, source, request.base.repository);
    }
    // Images sharing this layer (apps rebuilt with the same agent and launcher): after the first, it is mounted, not sent.
    const home = processCache().newLayerHomes.get(`${request.target.server}/${layerDigest}`);
    if (home && home !== targetRepository) await mountOrCopy(target, targetRepository, layerDigest, target, home);
    uploadedBytes += await uploadBlob(target, targetRepository, layerDigest, layer);
    processCache().newLayerHomes.set(`${request.target.server}/${layerDigest}`, targetRepository);
    uploadedBytes += await uploadBlob(target, targetRepository, configDigest, config);

    const mediaType = base.mediaType ?? OCI_MANIFEST;
    const manifest = Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType,
        config: { ...base.config, size: config.length, digest: configDigest },
        layers: [...base.layers, { mediaType: LAYER_TYPE[mediaType] ?? LAYER_TYPE[OCI_MANIFEST], size: layer.length, digest: layerDigest }],
    }));
    await target.expect("PUT", `/v2/${targetRepository}/manifests/${request.tag}`, [201], {
        scope: push(targetRepository), headers: { "content-type": mediaType }, body: manifest,
    });
    uploadedBytes += manifest.length;
    return { digest: `sha256:${sha256Hex(manifest)}`, uploadedBytes };
}
