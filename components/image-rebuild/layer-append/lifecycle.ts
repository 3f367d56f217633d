import type * as pulumi from "@pulumi/pulumi";

/** What every image pushed by a dynamic provider keeps in state. */
interface PushedImageState {
    readonly repository: string;
    /** Derived from every input that shapes the image. */
    readonly tag: string;
    readonly username?: string;
    readonly password?: string;
    readonly digest: string;
}

/**
 * diff, update and delete of a pushed image. The tag hashes every input that shapes the image, so a changed tag (or
 * repository) is the only reason to push again: a replacement. New credentials alone are an in-place update with no
 * push. Deleting leaves the image in the registry: a flip back, or a rollback to an older checkpoint, may still point at it.
 */
export function pushedImageLifecycle<Props extends Omit<PushedImageState, "digest">>():
    Required<Pick<pulumi.dynamic.ResourceProvider<Props, Props & PushedImageState>, "diff" | "update" | "delete">> {
    return {
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
}
