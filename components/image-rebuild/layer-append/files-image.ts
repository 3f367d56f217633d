import * as pulumi from "@pulumi/pulumi";
import { requireImageRef } from "../image-ref";
import { withLayer } from "./layer";
import { pushedImageLifecycle } from "./lifecycle";
import { pushLayer, type LayerAppendResult } from "./push-layer";
import type { RegistryAccess } from "./registry";
import type { TarEntry } from "./tar";

/** One file a files image adds, as state holds it. */
export interface ImageFile {
    /** Absolute path in the image. */
    readonly path: string;
    readonly mode: number;
    /** The bytes, base64: small files only (a launcher script, an extension jar of kilobytes). */
    readonly content: string;
}

/**
 * A small image made registry-side: a base (or nothing) plus one layer holding `files`. Used where skyshift ships a
 * few files as an image: docker-build's launcher (launcher-image.ts) and the sw8 propagator's extension image.
 */
export interface FilesImageProps extends RegistryAccess {
    /** The base image reference; empty: an image of the one layer only (state holds no undefined). */
    readonly base: string;
    readonly files: readonly ImageFile[];
    readonly labels: Readonly<Record<string, string>>;
    /** `<server>/<path>`, on the push registry. */
    readonly repository: string;
    /** Derived from everything that shapes the image, so a changed tag is the only reason to push again. */
    readonly tag: string;
    readonly insecure: boolean;
}

export interface FilesImageOutputs extends FilesImageProps {
    readonly digest: string;
}


/** The layer's tar entries: each file's parent directories (outermost first, 0755), then the files, in path order. */
export function filesLayerEntries(files: readonly ImageFile[]): TarEntry[] {
    const dirs = new Set<string>();
    for (const file of files) {
        const parts = file.path.slice(1).split("/");
        for (let depth = 1; depth < parts.length; depth++) dirs.add(parts.slice(0, depth).join("/"));
    }
    const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return [
        ...[...dirs].sort().map((path): TarEntry => ({ path, type: "dir", mode: 0o755 })),
        ...sorted.map((file): TarEntry => ({ path: file.path.slice(1), type: "file", mode: file.mode, content: Buffer.from(file.content, "base64") })),
    ];
}

/** Pushes the image; the provider's create calls it, and the lab proofs call it to make the same image. */
export function pushFilesImage(props: FilesImageProps): Promise<LayerAppendResult> {
    return pushLayer({
        base: props.base ? requireImageRef(props.base) : undefined,
        entries: filesLayerEntries(props.files),
        configure: (base, diffId) => withLayer(base, diffId, props.labels, `skyshift layer-append: ${props.files.map(file => file.path).join(", ")} added`),
        repository: props.repository,
        tag: props.tag,
        target: { server: props.server, insecure: props.insecure, username: props.username, password: props.password },
    });
}

/** Pushes at create; diff, update and delete as every pushed image (lifecycle.ts). */
export const filesImageProvider: pulumi.dynamic.ResourceProvider<FilesImageProps, FilesImageOutputs> = {
    async create(inputs) {
        const result = await pushFilesImage(inputs);
        return { id: `${inputs.repository}:${inputs.tag}`, outs: { ...inputs, digest: result.digest } };
    },
    ...pushedImageLifecycle<FilesImageProps>(),
};

type Inputs = { readonly [K in keyof FilesImageProps]: pulumi.Input<FilesImageProps[K]> };

/** A base image plus a few files, pushed registry-side; `digest` is the pushed manifest's. */
export class FilesImage extends pulumi.dynamic.Resource {
    declare readonly digest: pulumi.Output<string>;

    constructor(name: string, props: Inputs, opts?: pulumi.CustomResourceOptions) {
        super(filesImageProvider, name, { ...props, digest: undefined }, { ...opts, additionalSecretOutputs: ["password"] }, "skyshift", "FilesImage");
    }
}
