import type { V1Container, V1EnvVar } from "@kubernetes/client-node";
import {
    AgentResolver, AgentVerdict, DETECTION_ORDER, findInContainer, Found, Identity, IdentityField, LanguageModule, SKYWALKING_ENV_PREFIX,
} from "../languages";

/** Everything SkyWalking-related in one container, before deciding what the app is. */
export interface ContainerFindings {
    /** The language whose SkyWalking words were found; absent when none were. */
    readonly module?: LanguageModule;
    /** Its SkyWalking words (and agents a person decides) in env vars, `command` and `args`, in container order. */
    readonly words: readonly Found[];
    /**
     * Env vars with SkyWalking words that are not option variables: a start script may pass them on. The flip
     * rewrites them like the others (removing SkyWalking's words is safe whoever reads them).
     */
    readonly unknownEnvNames: readonly string[];
    /** Option env vars set with `valueFrom`: their text is invisible here and the operator cannot append to them. */
    readonly optionEnvValueFrom: readonly { name: string; source: string }[];
    /** Names of `SW_*` env vars, in order. */
    readonly swEnv: readonly string[];
    /** Identity from plain `SW_*` values. */
    readonly envIdentity: Identity;
    /** Identity `SW_*` vars set with `valueFrom` (their value is per pod or in another object). */
    readonly envIdentityValueFrom: readonly string[];
    /** Why this container already looks OpenTelemetry-instrumented. */
    readonly otel: readonly string[];
}

/** How discovery decides agents a language module cannot classify by their path. */
export interface AgentRules {
    /** The person's `--skywalking-agent` / `--not-skywalking-agent` answer for a path, if any. */
    readonly decided: (path: string) => AgentVerdict | undefined;
    /** Whether anything outside this container's words points at SkyWalking (an agent copier, SWCK). */
    readonly podSigns: boolean;
}

/** SkyWalking's own env names for the identity skyshift keeps (the Java, Python and Node.js agents read the same). */
const IDENTITY_ENV: Readonly<Record<IdentityField, readonly string[]>> = {
    serviceName: ["SW_AGENT_NAME"],
    instanceName: ["SW_AGENT_INSTANCE_NAME", "SW_AGENT_INSTANCENAME"],
    serviceNamespace: ["SW_AGENT_NAMESPACE"],
};

export function scanContainer(container: V1Container, extraOptionEnvNames: readonly string[], rules: AgentRules): ContainerFindings {
    const env = container.env ?? [];
    const swEnv = env.filter(v => v.name.startsWith(SKYWALKING_ENV_PREFIX)).map(v => v.name);
    const optionNames = (module: LanguageModule) => new Set([...module.optionEnvNames, ...extraOptionEnvNames]);
    const allOptionNames = new Set(DETECTION_ORDER.flatMap(module => [...optionNames(module)]));
    const base = {
        optionEnvValueFrom: env.filter(v => v.valueFrom && allOptionNames.has(v.name)).map(v => ({ name: v.name, source: describeValueFrom(v) })),
        swEnv,
        ...envIdentity(env),
        otel: [...otelAgents(env), ...otelEnv(env)],
    };
    for (const module of DETECTION_ORDER) {
        const names = optionNames(module);
        const found = findWithRules(module, container, rules, swEnv.length > 0);
        if (found.length === 0) continue;
        const unknownEnvNames = skywalkingWords(found).flatMap(f => f.where === "env" && !names.has(f.envName ?? "") ? [f.envName as string] : []);
        return { ...base, module, words: found, unknownEnvNames: [...new Set(unknownEnvNames)] };
    }
    return { ...base, words: [], unknownEnvNames: [] };
}

/**
 * Don't guess: an agent whose path does not say what it is stays undecided when the container otherwise points at
 * SkyWalking (`SW_*` env, `-Dskywalking.*`, a copier, SWCK) and nothing else loads the agent; the person decides
 * with a discover flag. Paths that hint at SkyWalking without naming an agent are undecided anyway.
 */
function findWithRules(module: LanguageModule, container: V1Container, rules: AgentRules, swEnv: boolean): Found[] {
    const first = findInContainer(module, container, (path, suspect) => rules.decided(path) ?? (suspect ? AgentVerdict.unresolved : AgentVerdict.other));
    const signs = rules.podSigns || swEnv || first.some(f => f.verdict === AgentVerdict.skywalking);
    const loader = first.some(f => f.verdict === AgentVerdict.skywalking && f.loadsAgent);
    if (!signs || loader) return first;
    const strict: AgentResolver = path => rules.decided(path) ?? AgentVerdict.unresolved;
    return findInContainer(module, container, strict);
}

function envIdentity(env: readonly V1EnvVar[]): Pick<ContainerFindings, "envIdentity" | "envIdentityValueFrom"> {
    const identity: Identity = {};
    const valueFrom: string[] = [];
    for (const field of Object.keys(IDENTITY_ENV) as IdentityField[]) {
        for (const name of IDENTITY_ENV[field]) {
            const variable = env.find(v => v.name === name);
            if (!variable) continue;
            if (variable.valueFrom) valueFrom.push(name);
            else if (variable.value) identity[field] = variable.value;
        }
    }
    return { envIdentity: identity, envIdentityValueFrom: valueFrom };
}

function otelAgents(env: readonly V1EnvVar[]): string[] {
    return env.flatMap(v => DETECTION_ORDER.filter(module => !v.valueFrom && module.loadsOtelAgent(v.value ?? ""))
        .map(module => `${v.name} loads the OpenTelemetry ${module.displayName} agent`));
}

/** OTEL_SERVICE_NAME / OTEL_EXPORTER_OTLP_* set by hand mean someone already wired OpenTelemetry here. */
function otelEnv(env: readonly V1EnvVar[]): string[] {
    return env.filter(v => v.name === "OTEL_SERVICE_NAME" || v.name.startsWith("OTEL_EXPORTER_OTLP_")).map(v => `${v.name} is set`);
}

export function describeValueFrom(variable: V1EnvVar): string {
    const from = variable.valueFrom;
    if (from?.configMapKeyRef) return `configMapKeyRef ${from.configMapKeyRef.name}/${from.configMapKeyRef.key}`;
    if (from?.secretKeyRef) return `secretKeyRef ${from.secretKeyRef.name}/${from.secretKeyRef.key}`;
    if (from?.fieldRef) return `fieldRef ${from.fieldRef.fieldPath}`;
    if (from?.resourceFieldRef) return `resourceFieldRef ${from.resourceFieldRef.resource}`;
    return "valueFrom";
}

/** Words that load, configure or may load SkyWalking (not agents a person said are something else). */
export function skywalkingWords(found: readonly Found[]): Found[] {
    return found.filter(f => f.verdict !== AgentVerdict.other);
}

/** True when anything in the container points at SkyWalking. */
export function containerHasSkywalking(findings: ContainerFindings): boolean {
    return skywalkingWords(findings.words).length > 0 || findings.swEnv.length > 0;
}
