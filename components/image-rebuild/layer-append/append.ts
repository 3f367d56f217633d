import { AGENT_IMAGE_JAR } from "../layout";
import type { ImageRef } from "../image-ref";
import { sha256Hex } from "../tag";
import { appendedConfig, rebuildLayerEntries, type ImageConfig } from "./layer";
import { compressed, processCache } from "./process-cache";
import { RegistryClient, type RegistryAccess } from "./registry";
import { imageFiles, mountOrCopy, OCI_MANIFEST, push, readBlob, readManifest, uploadBlob } from "./registry-ops";
import { writeTar } from "./tar";

/**
 * The image an append writes — the same fields the Dockerfile is rendered from — with image references as `R`:
 * parsed for the builder, text in the dynamic provider's state (LayerAppendProps).
 */
export interface AppendedImage<R> {
    readonly source: R;
    readonly agentImage: R;
    readonly extensions: readonly { readonly image: R; readonly dir: string }[];
    /** The SkyWalking directory to delete with a whiteout; undefined keeps it. */
    readonly agentDir?: string;
    readonly launcher: string;
    /** `<server>/<prefix>/<app>` — the server must be the push registry's. */
    readonly repository: string;
    readonly tag: string;
    readonly labels: Readonly<Record<string, string>>;
}

/** What the layer-append builder needs: the image, and the push registry to write it to. */
export interface LayerAppendRequest extends AppendedImage<ImageRef> {
    /** The push registry; the source and agent images are read with the same credentials when they live there too. */
    readonly target: RegistryAccess;
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
