import * as dockerbuild from "@pulumi/docker-build";
import * as pulumi from "@pulumi/pulumi";
import { ImageBuilder } from "../../config/image-rebuild";
import { TYPE_PREFIX } from "../constants";
import { pinnedRef } from "./image-ref";
import { FilesImage } from "./layer-append/files-image";
import { LayerAppendImage } from "./layer-append/provider";
import type { RegistryAccess } from "./layer-append/registry";
import { dockerBuildContext, launcherImageFiles } from "./launcher-image";
import { cacheRef, digestRef, LABEL_INPUTS, LABEL_SOURCE, rebuildSpec, type RebuildInputs, type RebuildSpec } from "./spec";

/** The push registry, as the layer-append client takes it, except that the password may be an Output (a secret). */
export interface RegistryArgs extends Omit<RegistryAccess, "password"> {
    /** Wrapped with `pulumi.secret` here too, so a plain string passed by mistake still never lands in state in clear. */
    readonly password?: pulumi.Input<string>;
}

/** One app's rebuild inputs (RebuildInputs: what shapes the image), plus where and how it is built and pushed, all from validated config. */
export interface AgentImageRebuildArgs extends Omit<RebuildInputs, "registryServer"> {
    readonly registry: RegistryArgs;
    /** Registry build cache at `<repository>:buildcache` (docker-build only): `imageRebuild.cache.enabled`. */
    readonly cache: boolean;
    /** A buildx builder name for docker-build; undefined: the local default builder. */
    readonly buildxBuilder?: string;
}

/**
 * The app's image rebuilt with the OpenTelemetry Java agent instead of SkyWalking, pushed under a tag derived from
 * its inputs. `imageRef` (`<repository>:<tag>@<digest>`) is what the app's flip puts in the Deployment.
 */
export class AgentImageRebuild extends pulumi.ComponentResource {
    /** The rebuilt image by digest; immutable, so a rollout always runs exactly this build. */
    public readonly imageRef: pulumi.Output<string>;
    public readonly repository: string;
    public readonly tag: string;

    constructor(name: string, args: AgentImageRebuildArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${TYPE_PREFIX}:AgentImageRebuild`, name, {}, opts);
        const spec = rebuildSpec({ ...args, registryServer: args.registry.server });
        const digest = args.builder === ImageBuilder.layerAppend
            ? layerAppend(name, spec, args.registry, this)
            : dockerBuild(name, spec, args, this);
        this.repository = spec.repository;
        this.tag = spec.tag;
        this.imageRef = digest.apply(d => digestRef(spec, d));
        this.registerOutputs({ imageRef: this.imageRef, repository: this.repository, tag: this.tag });
    }
}

function secretPassword(registry: RegistryArgs): pulumi.Output<string> | undefined {
    return registry.password === undefined ? undefined : pulumi.secret(registry.password);
}

function dockerBuild(name: string, spec: RebuildSpec, args: AgentImageRebuildArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const registry = { server: args.registry.server, insecure: args.registry.insecure ?? false, username: args.registry.username, password: secretPassword(args.registry) };
    // Pushed at create, before the build that copies from it (launcher-image.ts: why not a local context).
    const launcher = new FilesImage(`${name}-launcher`, {
        base: "", files: launcherImageFiles(spec.launcher), labels: {}, repository: spec.repository, tag: spec.launcherTag, ...registry,
    }, { parent });
    const image = new dockerbuild.Image(`${name}-image`, {
        tags: [`${spec.repository}:${spec.tag}`],
        push: true,
        dockerfile: { inline: spec.dockerfile },
        context: { location: dockerBuildContext() },
        // Previews diff inputs only: building there would pull the base for nothing, since the tag already says whether it changed.
        buildOnPreview: false,
        registries: [{ address: registry.server, username: registry.username, password: registry.password }],
        cacheFrom: args.cache ? [{ registry: { ref: cacheRef(spec) } }] : undefined,
        cacheTo: args.cache ? [{ registry: { ref: cacheRef(spec), mode: dockerbuild.CacheMode.Max, imageManifest: true, ociMediaTypes: true } }] : undefined,
        builder: args.buildxBuilder ? { name: args.buildxBuilder } : undefined,
    }, { parent, dependsOn: [launcher] });
    return image.digest;
}

function layerAppend(name: string, spec: RebuildSpec, registry: RegistryArgs, parent: pulumi.Resource): pulumi.Output<string> {
    const image = new LayerAppendImage(`${name}-image`, {
        source: spec.from,
        agentImage: pinnedRef(spec.agentImage),
        extensions: spec.extensions,
        agentDir: spec.agentDir ?? "",
        launcher: spec.launcher,
        repository: spec.repository,
        tag: spec.tag,
        labels: { [LABEL_SOURCE]: spec.from, [LABEL_INPUTS]: spec.tag },
        server: registry.server,
        insecure: registry.insecure ?? false,
        username: registry.username,
        password: secretPassword(registry),
    }, { parent });
    return image.digest;
}
