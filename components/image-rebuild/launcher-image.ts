import * as path from "node:path";
import type { ImageFile } from "./layer-append/files-image";
import { IMAGE_LAYOUT } from "./layout";

/**
 * Why docker-build copies the launcher from an image instead of from its build context.
 *
 * @pulumi/docker-build checks the context at preview: `BuildContext.validate` (pulumi-docker-build
 * `provider/internal/context.go`) fails with "not a valid directory or URL" unless a known local `context.location`
 * exists, and Diff and Create hash its files at preview too (`hashBuildContext`, `provider/internal/image.go`).
 * A launcher written to disk by the program would therefore have to be written during preview, and a context only
 * created at update (a dynamic resource, or a write guarded by `pulumi.runtime.isDryRun()`) fails that check on a
 * fresh checkout. Heredocs (`COPY <<EOF`) would avoid the file but not the context, and the image proof's buildah
 * (Debian's 1.28) cannot parse them.
 *
 * So the launcher goes to the registry as a one-layer image, pushed by layer-append's code at create (nothing on
 * local disk), tagged with a hash of its text; the Dockerfile copies it with `COPY --from`, and the context is
 * this committed directory, which holds only a `.dockerignore` excluding everything: its hash never changes.
 */
export const DOCKER_BUILD_CONTEXT_DIR = path.join(__dirname, "docker-build-context");

/** The context as docker-build gets it: relative to the program directory, so state and diffs are machine-independent. */
export function dockerBuildContext(programDir: string = process.cwd()): string {
    return path.relative(programDir, DOCKER_BUILD_CONTEXT_DIR) || ".";
}

/** The launcher image's one file: the launcher at the path the rebuilt image has it, executable. */
export function launcherImageFiles(launcher: string): ImageFile[] {
    return [{ path: IMAGE_LAYOUT.launcher, mode: 0o755, content: Buffer.from(launcher).toString("base64") }];
}
