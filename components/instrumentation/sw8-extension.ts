import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, sw8Propagator, type Sw8PropagatorSetting } from "../../config";
import type { StackConfig } from "../../config/stack";
import { TYPE_PREFIX } from "../constants";
import type { RegistryArgs } from "../image-rebuild/agent-image-rebuild";
import { registryArgs } from "../image-rebuild/compose";
import type { ExtensionImage } from "../image-rebuild/dockerfile";
import { FilesImage } from "../image-rebuild/layer-append/files-image";
import { digestRef } from "../image-rebuild/spec";
import { canonicalJson, sha256Hex, TAG_HASH_LENGTH } from "../image-rebuild/tag";

/**
 * Where the extension image holds the jar: the `dir` of its `java.extensions` entry. The operator's init container
 * copies `<dir>/.` into the agent volume's `extensions/` (opentelemetry-operator v0.153.0
 * `internal/instrumentation/javaagent.go`), and the agent loads every jar there (`-Dotel.javaagent.extensions`).
 */
export const SW8_EXTENSION_DIR = "/opt/skyshift/sw8-propagator";
export const SW8_JAR_FILE = "skyshift-sw8-propagator.jar";
/** Bumped when the image's shape changes without an input changing. */
const SW8_IMAGE_FORMAT = 1;
const KEY = "instrumentation.java.sw8Propagator.jar";

/**
 * The jar's bytes when the propagator is on; read at program start, before any resource is declared, so a missing
 * jar stops the update with nothing touched. Reading is the only file access: nothing is written.
 */
export function readSw8PropagatorJar(setting: Sw8PropagatorSetting, projectDir: string = process.cwd()): Buffer | undefined {
    const { enabled, jar } = sw8Propagator(setting);
    if (!enabled) return undefined;
    const file = path.resolve(projectDir, jar);
    if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
        const problem = `${KEY}: no jar at ${file} — build it with \`npm run lab:tools && npm run test:sw8\` (Maven writes ` +
            "extensions/sw8-propagator/target/skyshift-sw8-propagator.jar, the default), or set the key to the jar's path";
        throw new pulumi.RunError(new ConfigError([problem]).message);
    }
    return fs.readFileSync(file);
}

export interface Sw8ExtensionImageArgs {
    /** The extension jar's bytes (readSw8PropagatorJar). */
    readonly jar: Buffer;
    /** The image the jar's layer goes on; must have `cp` for the operator's init container. */
    readonly baseImage: string;
    readonly registry: RegistryArgs;
    /** `imageRebuild.repositoryPrefix`: the image goes to `<server>/<prefix>/sw8-propagator`. */
    readonly repositoryPrefix: string;
}

/** The image's repository and its tag, a hash of everything that shapes it (never the registry's credentials). Pure. */
export function sw8ImageName(args: Pick<Sw8ExtensionImageArgs, "jar" | "baseImage" | "repositoryPrefix"> & { readonly server: string }): { repository: string; tag: string } {
    const inputs = { format: SW8_IMAGE_FORMAT, base: args.baseImage, jarSha256: sha256Hex(args.jar), dir: SW8_EXTENSION_DIR };
    return { repository: `${args.server}/${args.repositoryPrefix}/sw8-propagator`, tag: `sw8-${sha256Hex(canonicalJson(inputs)).slice(0, TAG_HASH_LENGTH)}` };
}

/**
 * The sw8 propagator's extension image: `baseImage` plus one layer holding the jar in {@link SW8_EXTENSION_DIR},
 * pushed registry-side by layer-append's code (the base is mounted, never downloaded; nothing is built locally).
 * `extension` is the Instrumentation's `java.extensions` entry, the image pinned by digest.
 */
export class Sw8ExtensionImage extends pulumi.ComponentResource {
    public readonly extension: pulumi.Output<ExtensionImage>;

    constructor(name: string, args: Sw8ExtensionImageArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${TYPE_PREFIX}:Sw8ExtensionImage`, name, {}, opts);
        const { repository, tag } = sw8ImageName({ ...args, server: args.registry.server });
        const image = new FilesImage(`${name}-image`, {
            base: args.baseImage,
            files: [{ path: `${SW8_EXTENSION_DIR}/${SW8_JAR_FILE}`, mode: 0o644, content: args.jar.toString("base64") }],
            labels: { "io.skyshift.sw8-propagator.jar-sha256": sha256Hex(args.jar) },
            repository,
            tag,
            server: args.registry.server,
            insecure: args.registry.insecure ?? false,
            username: args.registry.username,
            password: args.registry.password === undefined ? undefined : pulumi.secret(args.registry.password),
        }, { parent: this });
        this.extension = image.digest.apply(digest => ({ image: digestRef({ repository, tag }, digest), dir: SW8_EXTENSION_DIR }));
        this.registerOutputs({ extension: this.extension });
    }
}

/** Declares the extension image when the propagator is on (parseStackConfig guarantees the registry and a base image). */
export function sw8PropagatorExtension(config: StackConfig, jar: Buffer | undefined, opts?: pulumi.ComponentResourceOptions): pulumi.Output<ExtensionImage> | undefined {
    const { java } = config.instrumentation;
    const baseImage = sw8Propagator(java.sw8Propagator).baseImage ?? java.image;
    const registry = config.imageRebuild.registry;
    if (!jar || !baseImage || !registry) return undefined;
    return new Sw8ExtensionImage("sw8-propagator", { jar, baseImage, registry: registryArgs(registry), repositoryPrefix: config.imageRebuild.repositoryPrefix }, opts).extension;
}
