import { InputPropertyError } from "@pulumi/pulumi";
import type { ImageBuilder, ImageRebuildConfig } from "../../config/image-rebuild";
import { renderDockerfile, type ExtensionImage } from "./dockerfile";
import { parseImageRef, pinnedRef, type ImageRef } from "./image-ref";
import { renderJavaLauncher } from "./start-script";
import { rebuildTag, sha256Hex, TAG_HASH_LENGTH } from "./tag";

/**
 * What shapes one app's rebuilt image: plain (non-secret) inputs, every one taken from validated config
 * (config/image-rebuild.ts and config/instrumentation.ts own the defaults and the rules; compose.ts maps them).
 */
export interface RebuildInputs extends Pick<ImageRebuildConfig, "removeAgentDir" | "jvmOptions" | "repositoryPrefix" | "builder"> {
    /** The app's key, `namespace/workload` (config/apps.ts checks it); names the target repository. */
    readonly app: string;
    /** The app's current image. Pin it (`…@sha256:…`) so a moved tag cannot slip in a different base. */
    readonly sourceImage: string;
    /** The OTel Java agent image; pass the Instrumentation's, so both migration paths run the same agent. */
    readonly javaAgentImage: string;
    /** Extension packs, as the Instrumentation lists them. */
    readonly extensions: readonly ExtensionImage[];
    /** The app's SkyWalking directory (`imageRebuild.apps.<app>.agentDir`, else `imageRebuild.agentDir`). */
    readonly agentDir: string;
    /** `host[:port]` the rebuilt image is pushed to. */
    readonly registryServer: string;
}

/** Everything a builder needs, computed once and deterministically from the inputs. */
export interface RebuildSpec {
    readonly source: ImageRef;
    /** The source as the Dockerfile's FROM: by digest when known. */
    readonly from: string;
    readonly agentImage: ImageRef;
    readonly extensions: readonly ExtensionImage[];
    /** The SkyWalking directory to delete; undefined when it is kept. */
    readonly agentDir?: string;
    readonly launcher: string;
    /**
     * docker-build's launcher image is `<repository>:<launcherTag>`, `launcher-<hash of the launcher>`: the Dockerfile
     * copies the launcher from it, so the build needs no local context (launcher-image.ts says why).
     */
    readonly launcherTag: string;
    readonly dockerfile: string;
    /** `<server>/<prefix>/<namespace>/<workload>`. */
    readonly repository: string;
    readonly tag: string;
    readonly builder: ImageBuilder;
}

/** Bumped when the shape of a rebuilt image changes without any input changing, so every app rebuilds once. */
export const REBUILD_FORMAT = 1;
export const LABEL_SOURCE = "io.skyshift.source-image";
export const LABEL_INPUTS = "io.skyshift.rebuild-tag";
/** Stands for the launcher image in the Dockerfile the tag hashes: the launcher's text is hashed itself, and the push registry must not be. */
const LAUNCHER_IMAGE_IN_TAG = "launcher";

/** Parsing is the one check left here: an image reference is only ever read as one by the builders. */
function parsed(ref: string, field: string): ImageRef {
    const result = parseImageRef(ref);
    if ("error" in result) throw new InputPropertyError({ propertyPath: field, reason: result.error });
    return result;
}

/** Builds the Dockerfile, launcher and tag from validated inputs; an unparsable image reference names its field. Pure. */
export function rebuildSpec(inputs: RebuildInputs): RebuildSpec {
    const source = parsed(inputs.sourceImage, "sourceImage");
    const agentImage = parsed(inputs.javaAgentImage, "javaAgentImage");
    const extensions = inputs.extensions.map((extension, index) => ({
        image: pinnedRef(parsed(extension.image, `extensions[${index}].image`)),
        dir: extension.dir,
    }));
    const agentDir = inputs.removeAgentDir ? inputs.agentDir : undefined;
    const removeDirs = agentDir ? [agentDir] : [];
    const link = agentDir === undefined;
    const repository = `${inputs.registryServer}/${inputs.repositoryPrefix}/${inputs.app}`;
    const launcher = renderJavaLauncher({ extensions: extensions.length > 0, jvmOptions: inputs.jvmOptions });
    const launcherTag = `launcher-${sha256Hex(launcher).slice(0, TAG_HASH_LENGTH)}`;
    const from = pinnedRef(source);
    const agent = pinnedRef(agentImage);
    const dockerfileOf = (launcherRef: string, labels: Record<string, string>) =>
        renderDockerfile({ from, agentImage: agent, extensions, removeDirs, link, launcherImage: launcherRef, labels });
    // The tag hashes what determines the image's bytes; the Dockerfile text covers the agent, extensions and paths.
    const tag = rebuildTag({
        format: REBUILD_FORMAT,
        builder: inputs.builder,
        dockerfile: dockerfileOf(LAUNCHER_IMAGE_IN_TAG, { [LABEL_SOURCE]: from }),
        launcher,
    });
    const dockerfile = dockerfileOf(`${repository}:${launcherTag}`, { [LABEL_SOURCE]: from, [LABEL_INPUTS]: tag });
    return { source, from, agentImage, extensions, agentDir, launcher, launcherTag, dockerfile, repository, tag, builder: inputs.builder };
}

/** The name a Deployment pulls: `<repository>:<tag>@<digest>`, immutable and still readable. */
export function digestRef(spec: Pick<RebuildSpec, "repository" | "tag">, digest: string): string {
    return `${spec.repository}:${spec.tag}@${digest}`;
}

/** The registry cache's ref for docker-build: one per app, beside its images. */
export function cacheRef(spec: Pick<RebuildSpec, "repository">): string {
    return `${spec.repository}:buildcache`;
}
