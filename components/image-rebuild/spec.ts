import { InputPropertyError } from "@pulumi/pulumi";
import { DEFAULT_REPOSITORY_PREFIX, DEFAULT_SKYWALKING_AGENT_DIR, ImageBuilder, type ImageRebuildConfig } from "../../config/image-rebuild";
import { renderDockerfile, type ExtensionImage } from "./dockerfile";
import { parseImageRef, pinnedRef, type ImageRef } from "./image-ref";
import { renderJavaLauncher } from "./start-script";
import { rebuildTag } from "./tag";

/**
 * What shapes one app's rebuilt image: plain (non-secret) inputs. Compose passes them from validated config
 * (config/image-rebuild.ts holds their defaults and rules); unset optional fields take the same defaults.
 */
export interface RebuildInputs {
    /** The app's key, `namespace/workload`; names the target repository. */
    readonly app: string;
    /** The app's current image. Pin it (`…@sha256:…`) so a moved tag cannot slip in a different base. */
    readonly sourceImage: string;
    /** The OTel Java agent image; pass the Instrumentation's, so both migration paths run the same agent. */
    readonly javaAgentImage: string;
    /** Extension packs, as the Instrumentation lists them. */
    readonly extensions?: readonly ExtensionImage[];
    readonly agentDir?: ImageRebuildConfig["agentDir"];
    readonly removeAgentDir?: ImageRebuildConfig["removeAgentDir"];
    readonly jvmOptions?: ImageRebuildConfig["jvmOptions"];
    /** `host[:port]` the rebuilt image is pushed to. */
    readonly registryServer: string;
    readonly repositoryPrefix?: ImageRebuildConfig["repositoryPrefix"];
    readonly builder?: ImageRebuildConfig["builder"];
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

const ABSOLUTE_PATH = /^\/[A-Za-z0-9._@+/-]*[^/]$/;

function parsed(ref: string, field: string): ImageRef {
    const result = parseImageRef(ref);
    if ("error" in result) throw new InputPropertyError({ propertyPath: field, reason: result.error });
    return result;
}

function absolute(path: string, field: string): string {
    if (!ABSOLUTE_PATH.test(path) || path.split("/").includes("..")) {
        throw new InputPropertyError({ propertyPath: field, reason: `"${path}" must be an absolute path without spaces, '..' or a trailing '/'` });
    }
    return path;
}

/** Validates the inputs (errors name the field) and builds the Dockerfile, launcher and tag. Pure. */
export function rebuildSpec(inputs: RebuildInputs): RebuildSpec {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(inputs.app)) {
        throw new InputPropertyError({ propertyPath: "app", reason: `"${inputs.app}" is not namespace/workload` });
    }
    const source = parsed(inputs.sourceImage, "sourceImage");
    const agentImage = parsed(inputs.javaAgentImage, "javaAgentImage");
    const extensions = (inputs.extensions ?? []).map((extension, index) => ({
        image: pinnedRef(parsed(extension.image, `extensions[${index}].image`)),
        dir: absolute(extension.dir, `extensions[${index}].dir`),
    }));
    const agentDir = inputs.removeAgentDir === false ? undefined : absolute(inputs.agentDir ?? DEFAULT_SKYWALKING_AGENT_DIR, "agentDir");
    const removeDirs = agentDir ? [agentDir] : [];
    const link = agentDir === undefined;
    const jvmOptions = [...(inputs.jvmOptions ?? [])];
    jvmOptions.forEach((option, index) => {
        if (!option.startsWith("-")) throw new InputPropertyError({ propertyPath: `jvmOptions[${index}]`, reason: `"${option}" is not a JVM option — start it with '-'` });
    });
    const builder = inputs.builder ?? ImageBuilder.dockerBuild;
    const repository = `${inputs.registryServer}/${inputs.repositoryPrefix ?? DEFAULT_REPOSITORY_PREFIX}/${inputs.app}`;
    const launcher = renderJavaLauncher({ extensions: extensions.length > 0, jvmOptions });
    const from = pinnedRef(source);
    const agent = pinnedRef(agentImage);
    // The tag hashes what determines the image's bytes; the Dockerfile text covers the agent, extensions and paths.
    const tag = rebuildTag({
        format: REBUILD_FORMAT,
        builder,
        dockerfile: renderDockerfile({ from, agentImage: agent, extensions, removeDirs, link, labels: { [LABEL_SOURCE]: from } }),
        launcher,
    });
    const dockerfile = renderDockerfile({
        from, agentImage: agent, extensions, removeDirs, link,
        labels: { [LABEL_SOURCE]: from, [LABEL_INPUTS]: tag },
    });
    return { source, from, agentImage, extensions, agentDir, launcher, dockerfile, repository, tag, builder };
}

/** The name a Deployment pulls: `<repository>:<tag>@<digest>`, immutable and still readable. */
export function digestRef(spec: Pick<RebuildSpec, "repository" | "tag">, digest: string): string {
    return `${spec.repository}:${spec.tag}@${digest}`;
}

/** The registry cache's ref for docker-build: one per app, beside its images. */
export function cacheRef(spec: Pick<RebuildSpec, "repository">): string {
    return `${spec.repository}:buildcache`;
}
