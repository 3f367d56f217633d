import * as pulumi from "@pulumi/pulumi";
import { parseImageRef, type ImageRef } from "../image-ref";
import { appendLayer, type AppendedImage } from "./append";
import type { RegistryAccess } from "./registry";

/**
 * The layer-append resource's inputs: the appended image with its references as text, so the engine can diff them,
 * and the push registry's access flattened in; `password` arrives as a secret.
 */
export interface LayerAppendProps extends Omit<AppendedImage<string>, "agentDir">, RegistryAccess {
    /** Empty keeps the SkyWalking directory (state holds no undefined). */
    readonly agentDir: string;
    readonly insecure: boolean;
}

export interface LayerAppendOutputs extends LayerAppendProps {
    readonly digest: string;
}

function ref(text: string): ImageRef {
    const parsed = parseImageRef(text);
    if ("error" in parsed) throw new Error(parsed.error);
    return parsed;
}

/** Runs one append; the provider's create and update both call it. */
export async function runAppend(props: LayerAppendProps): Promise<LayerAppendOutputs> {
    const result = await appendLayer({
        source: ref(props.source),
        agentImage: ref(props.agentImage),
        extensions: props.extensions.map(extension => ({ image: ref(extension.image), dir: extension.dir })),
        agentDir: props.agentDir || undefined,
        launcher: props.launcher,
        repository: props.repository,
        tag: props.tag,
        labels: props.labels,
        target: { server: props.server, insecure: props.insecure, username: props.username, password: props.password },
    });
    return { ...props, digest: result.digest };
}

/**
 * The tag hashes every input that shapes the image, so a changed tag is the only reason to push again; a new
 * password alone is an in-place update with no push. Deleting leaves the image in the registry: a flip back, or a
 * rollback to an older checkpoint, may still point at it.
 */
export const layerAppendProvider: pulumi.dynamic.ResourceProvider<LayerAppendProps, LayerAppendOutputs> = {
    async create(inputs) {
        const outs = await runAppend(inputs);
        return { id: `${outs.repository}:${outs.tag}`, outs };
    },
    async diff(_id, olds, news) {
        const replaces = olds.tag !== news.tag || olds.repository !== news.repository ? ["tag"] : [];
        return { changes: replaces.length > 0 || olds.password !== news.password || olds.username !== news.username, replaces, deleteBeforeReplace: false };
    },
    async update(_id, olds, news) {
        return { outs: { ...news, digest: olds.digest } };
    },
    async delete() {
        return;
    },
};

type Inputs = { readonly [K in keyof LayerAppendProps]: pulumi.Input<LayerAppendProps[K]> };

/** A registry-side rebuild: mounts the base layers and uploads only the new one. */
export class LayerAppendImage extends pulumi.dynamic.Resource {
    declare readonly digest: pulumi.Output<string>;

    constructor(name: string, props: Inputs, opts?: pulumi.CustomResourceOptions) {
        super(layerAppendProvider, name, { ...props, digest: undefined }, { ...opts, additionalSecretOutputs: ["password"] }, "skyshift", "LayerAppendImage");
    }
}
