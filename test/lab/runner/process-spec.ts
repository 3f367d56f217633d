/**
 * What the lab's workload runner starts for one container of an admitted pod: kwok runs no containers, so the
 * runner stands in for the kubelet and the container runtime with a local process. Pure: the tests check every
 * mapping here; run.ts only spawns the result.
 *
 * Taken from the pod exactly: `command` and `args` (else the image's entrypoint and cmd, as the runtime does),
 * `$(VAR)` references in them, and the env (see pod-env.ts). Then three documented mappings, nothing else:
 * 1. image paths: absolute paths under a prefix the lab image declares (`/app`) become its local directory, and
 *    the executable in `command[0]` becomes the lab's (the image's `python3` is a venv with the app's packages);
 * 2. agent volumes: the mount path of a volume an operator init container (`opentelemetry-auto-instrumentation-*`)
 *    fills becomes the local directory holding what that init container would copy (the Maven/PyPI agent); an
 *    extension init container's `cp -r <dir>/. <volume>/extensions` makes `<mount>/extensions` the local directory
 *    holding the jars of `<dir>` (the longer prefix wins over the agent's);
 * 3. addresses: OTLP endpoint env vars and the SkyWalking agents' backend address go through the lab's one address
 *    substitution (lab-addresses.ts).
 * Paths of other volumes are left as written and reported in `unmapped`: {@link startable} refuses them.
 */
import { LabService, labEnvValue } from "./lab-addresses";
import { containerEnv, expandReferences, Pod, PodContainer } from "./pod-env";

/** A container image as the lab plays it. */
export interface LabImage {
    /** Absolute paths inside the image (prefixes) → local directories. */
    readonly paths: Readonly<Record<string, string>>;
    /** `command[0]` values the image resolves → local executables. */
    readonly executables: Readonly<Record<string, string>>;
    /** The image's ENV (PATH, …); the pod's env wins over it, as with a container runtime. */
    readonly env: Readonly<Record<string, string>>;
    /** The image's ENTRYPOINT and CMD, used when the pod has no `command` / `args`. */
    readonly entrypoint?: readonly string[];
    readonly cmd?: readonly string[];
    /** Local working directory when the pod sets no `workingDir`. */
    readonly workDir: string;
}

export interface RunnerMapping {
    /** Image reference → how the lab plays it. */
    readonly images: Readonly<Record<string, LabImage>>;
    /** Operator init container name → the local directory holding what it copies into its volume. */
    readonly agents: Readonly<Record<string, string>>;
    /**
     * Directory inside an extension image (`java.extensions[].dir`) → the local directory holding its jars. The
     * operator names extension init containers by position (`…-extension-<i>`), so they are matched by what they copy.
     */
    readonly extensions?: Readonly<Record<string, string>>;
    /** The lab's Service table for endpoint env vars. */
    readonly services: readonly LabService[];
}

export interface ProcessSpec {
    readonly argv: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    readonly cwd: string;
    /** Mount paths of volumes the lab does not map that argv or env still mention. */
    readonly unmapped: readonly string[];
}

export const OPERATOR_INIT_PREFIX = "opentelemetry-auto-instrumentation-";

/** The local process for `containerName` of `pod`. Throws naming the pod and container when it cannot be built faithfully. */
export function processSpec(pod: Pod, containerName: string, mapping: RunnerMapping): ProcessSpec {
    const where = `pod ${pod.metadata.namespace}/${pod.metadata.name} container ${containerName}`;
    const container = pod.spec.containers.find((c) => c.name === containerName);
    if (!container) throw new Error(`${where}: no such container (has: ${pod.spec.containers.map((c) => c.name).join(", ")})`);
    const image = mapping.images[container.image];
    if (!image) throw new Error(`${where}: image ${container.image} is not a lab image (known: ${Object.keys(mapping.images).join(", ")})`);

    const podEnv = containerEnv(pod, container);
    const command = container.command ?? image.entrypoint ?? [];
    const args = container.args ?? (container.command ? [] : image.cmd ?? []);
    const expand = (s: string) => expandReferences(s, (name) => podEnv.get(name));
    const rawArgv = [...command, ...args].map(expand);
    if (rawArgv.length === 0) throw new Error(`${where}: neither the pod nor lab image ${container.image} gives a command`);

    const prefixes: Record<string, string> = { ...image.paths, ...agentMounts(pod, container, mapping, where) };
    const mapPaths = (s: string) => replacePrefixes(s, prefixes);
    const env: Record<string, string> = { ...image.env };
    for (const [name, value] of podEnv) env[name] = mapPaths(labEnvValue(name, value, mapping.services));

    const [executable, ...rest] = rawArgv;
    const argv = [image.executables[executable] ?? mapPaths(executable), ...rest.map(mapPaths)];
    const cwd = container.workingDir ? mapPaths(container.workingDir) : image.workDir;
    const mapped = new Set(Object.keys(prefixes));
    const otherMounts = (container.volumeMounts ?? []).map((m) => m.mountPath).filter((p) => !mapped.has(p));
    const texts = [...argv, ...Object.values(env), cwd];
    const unmapped = otherMounts.filter((mount) => texts.some((text) => findPrefix(text, mount)));
    return { argv, env, cwd, unmapped };
}

/** Throws when a spec still points into a volume the lab does not provide: the process would not be the pod's. */
export function startable(spec: ProcessSpec, what: string): ProcessSpec {
    if (spec.unmapped.length > 0) throw new Error(`${what}: refers to ${spec.unmapped.join(", ")}, volume(s) the lab runner does not map`);
    return spec;
}

/** Mount path → local dir for each volume that an operator init container fills and this container mounts. */
function agentMounts(pod: Pod, container: PodContainer, mapping: RunnerMapping, where: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const init of pod.spec.initContainers ?? []) {
        if (!init.name.startsWith(OPERATOR_INIT_PREFIX)) continue;
        const copy = extensionCopy(init);
        const local = copy ? mapping.extensions?.[copy.from] : mapping.agents[init.name];
        for (const volume of init.volumeMounts ?? []) {
            const mount = container.volumeMounts?.find((m) => m.name === volume.name);
            if (!mount) continue;
            const into = copy && copy.into.startsWith(`${volume.mountPath}/`) ? copy.into.slice(volume.mountPath.length) : "";
            const what = copy ? `the jars of ${copy.from} that` : "what";
            if (!local) throw new Error(`${where}: the lab has no local copy of ${what} init container ${init.name} puts in ${mount.mountPath}${into}`);
            result[mount.mountPath + into] = local;
        }
    }
    return result;
}

/**
 * `cp -r <dir>/. <target>`, the operator's extension init container (opentelemetry-operator v0.153.0
 * `internal/instrumentation/javaagent.go`): the image directory and where in the volume it lands.
 */
function extensionCopy(init: PodContainer): { from: string; into: string } | undefined {
    const command = init.command ?? [];
    if (command.length !== 4 || command[0] !== "cp" || command[1] !== "-r" || !command[2].endsWith("/.")) return undefined;
    return { from: command[2].slice(0, -2), into: command[3] };
}

const BOUNDARY_BEFORE = `(^|[\\s:=,;'"])`;
const BOUNDARY_AFTER = `(?=$|[/\\s:,;'"])`;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function findPrefix(text: string, prefix: string): boolean {
    return new RegExp(BOUNDARY_BEFORE + escape(prefix) + BOUNDARY_AFTER).test(text);
}

/** Replaces whole-path-segment occurrences of each prefix (longest first), e.g. in `-javaagent:/otel/x.jar` or `a:/otel:b`. */
export function replacePrefixes(text: string, prefixes: Readonly<Record<string, string>>): string {
    const sorted = Object.keys(prefixes).sort((a, b) => b.length - a.length);
    if (sorted.length === 0) return text;
    const pattern = new RegExp(BOUNDARY_BEFORE + `(${sorted.map(escape).join("|")})` + BOUNDARY_AFTER, "g");
    return text.replace(pattern, (_match, before: string, prefix: string) => before + prefixes[prefix]);
}
