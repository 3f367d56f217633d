import * as pulumi from "@pulumi/pulumi";
import { requireImageRef } from "../image-ref";
import { appendLayer, type AppendedImage } from "./append";
import { pushedImageLifecycle } from "./lifecycle";
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


/** Runs one append; the provider's create and update both call it. */
export async function runAppend(props: LayerAppendProps): Promise<LayerAppendOutputs> {
    const result = await appendLayer({
        source: requireImageRef(props.source),
        agentImage: requireImageRef(props.agentImage),
        extensions: props.extensions.map(extension => ({ image: requireImageRef(extension.image), dir: extension.dir })),
        agentDir: props.agentDir || undefined,
        launcher: props.launcher,
        repository: props.repository,
        tag: props.tag,
        labels: props.labels,
        target: { server: props.server, insecure: props.insecure, username: props.username, password: props.password },
    });
    return { ...props, digest: result.digest };
}

/** Appends at create; diff, update and delete as every pushed image (lifecycle.ts). */
export const layerAppendProvider: pulumi.dynamic.ResourceProvider<LayerAppendProps, LayerAppendOutputs> = {
    async create(inputs) {
        const outs = await runAppend(inputs);
        return { id: `${outs.repository}:${outs.tag}`, outs };
    },
    ...pushedImageLifecycle<LayerAppendProps>(),
};

type Inputs = { readonly [K in keyof LayerAppendProps]: pulumi.Input<LayerAppendProps[K]> };

/** A registry-side rebuild: mounts the base layers and uploads only the new one. */
export class LayerAppendImage extends pulumi.dynamic.Resource {
    declare readonly digest: pulumi.Output<string>;

    constructor(name: string, props: Inputs, opts?: pulumi.CustomResourceOptions) {
        super(layerAppendProvider, name, { ...props, digest: undefined }, { ...opts, additionalSecretOutputs: ["password"] }, "skyshift", "LayerAppendImage");
    }
}
