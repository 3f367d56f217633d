import { gunzipSync, gzipSync } from "node:zlib";
import { AGENT_IMAGE_JAR } from "../layout";
import type { ImageRef } from "../image-ref";
import { sha256Hex } from "../tag";
import { appendedConfig, rebuildLayerEntries, type ImageConfig } from "./layer";
import { RegistryClient, type RegistryAccess } from "./registry";
import { readTar, writeTar } from "./tar";

/** What the layer-append builder needs; the same fields the Dockerfile is rendered from. */
export interface LayerAppendRequest {
    readonly source: ImageRef;
    readonly agentImage: ImageRef;
    readonly extensions: readonly { readonly image: ImageRef; readonly dir: string }[];
    /** The SkyWalking directory to delete with a whiteout; undefined keeps it. */
    readonly agentDir?: string;
    readonly launcher: string;
    /** `<server>/<prefix>/<app>` — the server must be `target.server`. */
    readonly repository: string;
    readonly tag: string;
    readonly labels: Readonly<Record<string, string>>;
    /** The push registry; the source and agent images are read with the same credentials when they live there too. */
    readonly target: RegistryAccess;
}

export interface LayerAppendResult {
    /** The manifest digest, `sha256:…`. */
    readonly digest: string;
    /** Bytes uploaded: the new layer, the config and the manifest (base layers are mounted, not sent). */
    readonly uploadedBytes: number;
}

interface Descriptor { mediaType: string; size: number; digest: string }
interface Manifest { schemaVersion: 2; mediaType?: string; config: Descriptor; layers: Descriptor[]; manifests?: (Descriptor & { platform?: { os?: string; architecture?: string } })[] }

const MANIFEST_TYPES = [
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.index.v1+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
].join(", ");
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const LAYER_TYPE: Readonly<Record<string, string>> = {
    [OCI_MANIFEST]: "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.docker.distribution.manifest.v2+json": "application/vnd.docker.image.rootfs.diff.tar.gzip",
};

/**
 * Rebuilds an image without downloading its base: reads the base manifest and config (kilobytes), mounts every base
 * layer into the target repository registry-side, uploads one new layer (the OTel agent, extensions, the launcher and
 * a whiteout that deletes the SkyWalking directory), then the new config and manifest. Same inputs, same digest.
 */
export async function appendLayer(request: LayerAppendRequest): Promise<LayerAppendResult> {
    const targetRepository = request.repository.slice(request.target.server.length + 1);
    if (!request.repository.startsWith(`${request.target.server}/`)) throw new Error(`repository ${request.repository} is not on ${request.target.server}`);
    const target = new RegistryClient(request.target);
    const clients = new Map<string, RegistryClient>([[request.target.server, target]]);
    const clientFor = (ref: ImageRef) => {
        let client = clients.get(ref.registry);
        if (!client) clients.set(ref.registry, client = new RegistryClient({ server: ref.registry }));
        return client;
    };
    const source = clientFor(request.source);
    const base = await readManifest(source, request.source);
    const baseConfig = JSON.parse((await readBlob(source, request.source.repository, base.config.digest)).toString("utf8")) as ImageConfig;

    const agentFiles = await imageFiles(clientFor(request.agentImage), request.agentImage);
    const agentJar = agentFiles.get(AGENT_IMAGE_JAR.slice(1));
    if (!agentJar) throw new Error(`${request.agentImage.repository} has no ${AGENT_IMAGE_JAR}`);
    const extensions = new Map<string, Buffer>();
    for (const extension of request.extensions) {
        const prefix = `${extension.dir.slice(1)}/`;
        for (const [path, content] of await imageFiles(clientFor(extension.image), extension.image)) {
            if (path.startsWith(prefix)) extensions.set(path.slice(prefix.length), content);
        }
    }

    const tar = writeTar(rebuildLayerEntries({ agentJar, extensions, launcher: request.launcher, agentDir: request.agentDir }));
    const diffId = `sha256:${sha256Hex(tar)}`;
    const layer = compressed(diffId, tar);
    const layerDigest = `sha256:${sha256Hex(layer)}`;
    const config = Buffer.from(JSON.stringify(appendedConfig(baseConfig, diffId, request.labels, request.agentDir)));
    const configDigest = `sha256:${sha256Hex(config)}`;

    let uploadedBytes = 0;
    for (const blob of base.layers) await mountOrCopy(target, targetRepository, blob.digest, source, request.source.repository);
    // Apps rebuilt with the same agent and launcher share this layer: after the first, it is mounted, not sent.
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
function processCache(): ProcessCache {
    const global = globalThis as { skyshiftLayerAppendCache?: ProcessCache };
    global.skyshiftLayerAppendCache ??= { imageFiles: new Map(), compressedLayers: new Map(), newLayerHomes: new Map() };
    return global.skyshiftLayerAppendCache;
}

function compressed(diffId: string, tar: Buffer): Buffer {
    const cache = processCache().compressedLayers;
    let layer = cache.get(diffId);
    if (!layer) cache.set(diffId, layer = gzipSync(tar));
    return layer;
}

const pull = (repository: string) => `repository:${repository}:pull`;
const push = (repository: string) => `repository:${repository}:pull,push`;

/** The image's single-platform manifest; from an index, the linux/amd64 entry (what the fleet's nodes run). */
async function readManifest(client: RegistryClient, ref: ImageRef): Promise<Manifest> {
    const reference = ref.digest ?? ref.tag ?? "latest";
    const response = await client.expect("GET", `/v2/${ref.repository}/manifests/${reference}`, [200], { scope: pull(ref.repository), headers: { accept: MANIFEST_TYPES } });
    const manifest = JSON.parse(response.body.toString("utf8")) as Manifest;
    manifest.mediaType ??= String(response.headers["content-type"] ?? OCI_MANIFEST);
    if (!manifest.manifests) return manifest;
    const entry = manifest.manifests.find(m => m.platform?.os === "linux" && m.platform.architecture === "amd64");
    if (!entry) throw new Error(`${ref.repository}: the image index has no linux/amd64 manifest`);
    return readManifest(client, { ...ref, digest: entry.digest });
}

async function readBlob(client: RegistryClient, repository: string, digest: string): Promise<Buffer> {
    const response = await client.expect("GET", `/v2/${repository}/blobs/${digest}`, [200, 307], { scope: pull(repository) });
    const body = response.status === 307
        ? (await client.expect("GET", String(response.headers.location), [200], { scope: pull(repository) })).body
        : response.body;
    if (`sha256:${sha256Hex(body)}` !== digest) throw new Error(`${repository}: blob ${digest} arrived corrupted`);
    return body;
}

/** The agent images are small (the agent jar on busybox), so their files are read whole; whiteouts are applied. */
async function imageFiles(client: RegistryClient, ref: ImageRef): Promise<Map<string, Buffer>> {
    const manifest = await readManifest(client, ref);
    const key = `${ref.registry}/${ref.repository}@${manifest.config.digest}`;
    const cached = processCache().imageFiles.get(key);
    if (cached) return cached;
    const files = new Map<string, Buffer>();
    for (const blob of manifest.layers) {
        for (const entry of readTar(gunzipSync(await readBlob(client, ref.repository, blob.digest)))) {
            const slash = entry.path.lastIndexOf("/");
            const name = entry.path.slice(slash + 1);
            if (name.startsWith(".wh.")) {
                const removed = entry.path.slice(0, slash + 1) + name.slice(4);
                for (const path of [...files.keys()]) if (path === removed || path.startsWith(`${removed}/`)) files.delete(path);
            } else if (entry.type === "0" || entry.type === "\0") {
                files.set(entry.path, entry.content);
            }
        }
    }
    processCache().imageFiles.set(key, files);
    return files;
}

/** Cross-repository mount: the registry links the blob, nothing is transferred. Falls back to copying through memory. */
async function mountOrCopy(target: RegistryClient, repository: string, digest: string, source: RegistryClient, fromRepository: string): Promise<void> {
    if ((await target.request("HEAD", `/v2/${repository}/blobs/${digest}`, { scope: push(repository) })).status === 200) return;
    if (source === target) {
        const mount = await target.expect("POST", `/v2/${repository}/blobs/uploads/?mount=${digest}&from=${fromRepository}`, [201, 202], {
            scope: `${push(repository)} ${pull(fromRepository)}`,
        });
        if (mount.status === 201) return;
    }
    await uploadBlob(target, repository, digest, await readBlob(source, fromRepository, digest));
}

/** Monolithic upload (POST then PUT with the digest); skipped when the repository already has the blob. */
async function uploadBlob(client: RegistryClient, repository: string, digest: string, content: Buffer): Promise<number> {
    const scope = push(repository);
    if ((await client.request("HEAD", `/v2/${repository}/blobs/${digest}`, { scope })).status === 200) return 0;
    const start = await client.expect("POST", `/v2/${repository}/blobs/uploads/`, [202], { scope });
    const location = new URL(String(start.headers.location), "http://placeholder");
    location.searchParams.set("digest", digest);
    const path = String(start.headers.location).startsWith("http") ? location.toString() : `${location.pathname}${location.search}`;
    await client.expect("PUT", path, [201], { scope, headers: { "content-type": "application/octet-stream" }, body: content });
    return content.length;
}
