import { AGENT_IMAGE_JAR } from "../layout";
import type { ImageRef } from "../image-ref";
import { appendedConfig, rebuildLayerEntries } from "./layer";
import { clientFor, pushLayer, type LayerAppendResult } from "./push-layer";
import type { RegistryAccess, RegistryClient } from "./registry";
import { imageFiles } from "./registry-ops";

export type { LayerAppendResult } from "./push-layer";

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

/**
 * Rebuilds an image without downloading its base: reads the base manifest and config (kilobytes), mounts every base
 * layer into the target repository registry-side, uploads one new layer (the OTel agent, extensions, the launcher and
 * a whiteout that deletes the SkyWalking directory), then the new config and manifest. Same inputs, same digest.
 */
export async function appendLayer(request: LayerAppendRequest): Promise<LayerAppendResult> {
    const clients = new Map<string, RegistryClient>();
    const read = (ref: ImageRef) => imageFiles(clientFor(clients, request.target, ref.registry), ref);
    const agentJar = (await read(request.agentImage)).get(AGENT_IMAGE_JAR.slice(1));
    if (!agentJar) throw new Error(`${request.agentImage.repository} has no ${AGENT_IMAGE_JAR}`);
    const extensions = new Map<string, Buffer>();
    for (const extension of request.extensions) {
        const prefix = `${extension.dir.slice(1)}/`;
        for (const [path, content] of await read(extension.image)) {
            if (path.startsWith(prefix)) extensions.set(path.slice(prefix.length), content);
        }
    }
    return pushLayer({
        base: request.source,
        entries: rebuildLayerEntries({ agentJar, extensions, launcher: request.launcher, agentDir: request.agentDir }),
        configure: (base, diffId) => appendedConfig(base, diffId, request.labels, request.agentDir),
        repository: request.repository,
        tag: request.tag,
        target: request.target,
        clients,
    });
}
