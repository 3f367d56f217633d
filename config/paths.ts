import { z } from "zod";

/**
 * An absolute path inside an image, as rebuilt images and the operator's init containers use it: no spaces (the
 * generated Dockerfile writes paths unquoted), no '..' and no trailing '/' (a COPY of `<dir>/` copies the contents).
 */
export function imagePath(example: string) {
    return z.string().regex(/^\/[A-Za-z0-9._@+\/-]*[^\/]$/, `must be an absolute path without spaces or a trailing '/' — e.g. ${example}`)
        .refine(path => !path.split("/").includes(".."), "must not contain '..' — write the path as the image has it");
}
