import { DEFAULT_PATH, IMAGE_LAYOUT } from "../layout";
import type { TarEntry } from "./tar";

/** The parts of an OCI/Docker image config the rebuild touches; everything else is carried over untouched. */
export interface ImageConfig {
    config?: { Env?: string[]; Labels?: Record<string, string> | null; [key: string]: unknown };
    rootfs: { type: string; diff_ids: string[] };
    history?: { created_by?: string; comment?: string; empty_layer?: boolean; created?: string }[];
    [key: string]: unknown;
}

export interface LayerContent {
    readonly agentJar: Buffer;
    /** Extension jars by file name. */
    readonly extensions: ReadonlyMap<string, Buffer>;
    readonly launcher: string;
    /** The SkyWalking directory to delete from the layers below; undefined keeps it. */
    readonly agentDir?: string;
}

/** Every parent directory of an absolute path, outermost first, without the leading '/': a/b/c → a, a/b. */
function parents(path: string): string[] {
    const parts = path.slice(1).split("/");
    return parts.slice(0, -1).map((_, index) => parts.slice(0, index + 1).join("/"));
}

/**
 * The one layer layer-append adds: the same files the Dockerfile's COPYs add, at the same paths, plus an OCI whiteout
 * (`<parent>/.wh.<name>`) that deletes the SkyWalking directory with no RUN and so with no base layer downloaded.
 * The whiteout's parent directories are not written: they exist in the base, and writing them would reset their mode.
 */
export function rebuildLayerEntries(content: LayerContent): TarEntry[] {
    const dirs = new Set<string>([...parents(IMAGE_LAYOUT.agentJar), ...parents(IMAGE_LAYOUT.launcher)]);
    if (content.extensions.size > 0) dirs.add(IMAGE_LAYOUT.extensionsDir.slice(1));
    const entries: TarEntry[] = [];
    if (content.agentDir) {
        const slash = content.agentDir.lastIndexOf("/");
        entries.push({ path: `${content.agentDir.slice(1, slash + 1)}.wh.${content.agentDir.slice(slash + 1)}`, type: "file", mode: 0o644 });
    }
    entries.push(
        ...[...dirs].sort().map((path): TarEntry => ({ path, type: "dir", mode: 0o755 })),
        { path: IMAGE_LAYOUT.agentJar.slice(1), type: "file", mode: 0o644, content: content.agentJar },
    );
    for (const name of [...content.extensions.keys()].sort()) {
        entries.push({ path: `${IMAGE_LAYOUT.extensionsDir.slice(1)}/${name}`, type: "file", mode: 0o644, content: content.extensions.get(name) });
    }
    entries.push({ path: IMAGE_LAYOUT.launcher.slice(1), type: "file", mode: 0o755, content: Buffer.from(content.launcher) });
    return entries;
}

/** `PATH=<launcherDir>:<base PATH or Docker's default>`, exactly what the Dockerfile's ENV line expands to. */
export function launcherPath(env: readonly string[]): string {
    const current = env.find(entry => entry.startsWith("PATH="))?.slice("PATH=".length);
    return `PATH=${IMAGE_LAYOUT.launcherDir}:${current || DEFAULT_PATH}`;
}

/** The base config with one more layer, labels added and a history entry; everything else kept. */
export function withLayer(base: ImageConfig, diffId: string, labels: Readonly<Record<string, string>>, createdBy: string): ImageConfig {
    const config = base.config ?? {};
    return {
        ...base,
        config: { ...config, Labels: { ...(config.Labels ?? {}), ...labels } },
        rootfs: { ...base.rootfs, diff_ids: [...base.rootfs.diff_ids, diffId] },
        history: [...(base.history ?? []), { created_by: createdBy }],
    };
}

/** The base config with the new layer's diff id, the launcher first on PATH and the labels; everything else kept. */
export function appendedConfig(base: ImageConfig, diffId: string, labels: Readonly<Record<string, string>>, agentDir: string | undefined): ImageConfig {
    const appended = withLayer(base, diffId, labels, `skyshift layer-append: OTel Java agent added${agentDir ? `, ${agentDir} removed` : ""}`);
    const env = appended.config?.Env ?? [];
    const pathIndex = env.findIndex(entry => entry.startsWith("PATH="));
    const newEnv = pathIndex >= 0 ? env.map((entry, index) => (index === pathIndex ? launcherPath(env) : entry)) : [...env, launcherPath(env)];
    return { ...appended, config: { ...appended.config, Env: newEnv } };
}
