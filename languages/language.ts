import type { Language } from "../config/migration";

/**
 * What a person decided about an agent whose path does not say whether it is SkyWalking:
 * `skywalking` (the flip removes it), `other` (it stays), `unresolved` (no flip until someone decides).
 */
export const AgentVerdict = { skywalking: "skywalking", other: "other", unresolved: "unresolved" } as const;
export type AgentVerdict = (typeof AgentVerdict)[keyof typeof AgentVerdict];

/**
 * Decides an agent path a language module cannot classify by itself. `suspect` is true when the path hints
 * at SkyWalking without being clearly its agent (a jar in a `skywalking` directory that is not named as an agent).
 */
export type AgentResolver = (path: string, suspect: boolean) => AgentVerdict;

/** A run of consecutive words that loads or configures SkyWalking (or might: `unresolved`). */
export interface WordSpan {
    /** Index of the first word and one past the last, in the word list the module was given. */
    readonly start: number;
    readonly end: number;
    /** How evidence names it, without values: `-javaagent:/sw/agent.jar`, `-Dskywalking.agent.service_name`, `sw-python run`. */
    readonly label: string;
    readonly verdict: AgentVerdict;
    /** True when the words start an agent (`-javaagent`, `sw-python run`, `--require`); false for settings (`-D…`). */
    readonly loadsAgent: boolean;
    /** The agent path when the verdict came from an AgentResolver (not from the path itself). */
    readonly agentPath?: string;
}

/** How the OpenTelemetry Operator instruments a language (internal/instrumentation in open-telemetry/opentelemetry-operator). */
export interface OtelInjection {
    /** Pod-template annotation that asks for injection, read only when a pod is created. */
    readonly annotation: string;
    /** Annotation naming the containers to instrument (the operator's default is the first container). */
    readonly containerNamesAnnotation: string;
    /** The init container the operator adds to every injected pod. */
    readonly initContainer: string;
}

/** The SkyWalking settings skyshift keeps as OpenTelemetry resource identity. */
export type IdentityField = "serviceName" | "instanceName" | "serviceNamespace";
export type Identity = Partial<Record<IdentityField, string>>;

/** How a SkyWalking word sets the agent's backend address, above the env var every agent reads. */
export const WordBackendSource = { agentOption: "agentOption", systemProperty: "systemProperty" } as const;
export type WordBackendSource = (typeof WordBackendSource)[keyof typeof WordBackendSource];

/** The backend address in one SkyWalking word (unquoted), and how to point that word elsewhere. */
export interface BackendWords {
    /** The address this word sets, and how; undefined when it sets none. */
    find(word: string): { readonly source: WordBackendSource; readonly value: string } | undefined;
    /** The word with that address replaced by `address`, every other character kept. */
    replace(word: string, address: string): string;
}

/** For agents whose words never carry the address: only `SW_AGENT_COLLECTOR_BACKEND_SERVICES` sets it. */
export const NO_BACKEND_WORDS: BackendWords = { find: () => undefined, replace: word => word };

/**
 * The parts of a module for an agent configured by `SW_*` env alone: no identity or backend address in its words.
 * The Python and Node.js agents read both only from env (or from code, which a workload spec cannot show).
 */
export const ENV_CONFIGURED_AGENT: Pick<LanguageModule, "identity" | "backendWords"> = {
    identity: () => ({}),
    backendWords: NO_BACKEND_WORDS,
};

/** Everything skyshift knows about one language: how SkyWalking shows up, how it goes, how OpenTelemetry comes in. */
export interface LanguageModule {
    readonly language: Language;
    /** How messages name it: `Java`, `Python`, `Node.js`. */
    readonly displayName: string;
    readonly otel: OtelInjection;
    /** Env vars whose value the runtime (or a start script) reads as options, in the order checked. */
    readonly optionEnvNames: readonly string[];
    /**
     * SkyWalking spans in a list of words (the unquoted words of an options string, or argv elements).
     * Removal drops exactly the `skywalking` spans this returns, so detection and removal cannot disagree.
     */
    skywalkingSpans(words: readonly string[], resolve: AgentResolver): WordSpan[];
    /** Identity the SkyWalking words set (agent options, `-D` properties); later words win. */
    identity(found: ReadonlyArray<{ readonly verdict: AgentVerdict; readonly words: readonly string[] }>): Identity;
    /** Where this language's SkyWalking words set the backend address (beyond `SW_AGENT_COLLECTOR_BACKEND_SERVICES`). */
    readonly backendWords: BackendWords;
    /** Whether a string already loads this language's OpenTelemetry agent. */
    loadsOtelAgent(text: string): boolean;
}

/** SkyWalking agents of every language read `SW_*` variables (agent name, collector, logging, plugins). */
export const SKYWALKING_ENV_PREFIX = "SW_";

/** Resolves agents from an app's recorded decisions (`apps[…].agents`); unrecorded ones stay. */
export function recordedAgents(agents: Readonly<Record<string, AgentVerdict>>): AgentResolver {
    return path => agents[path] ?? AgentVerdict.other;
}

/** The operator names its init container `opentelemetry-auto-instrumentation-<language>` (internal/instrumentation/sdk.go). */
export function operatorInjection(language: Language): OtelInjection {
    return {
        annotation: `instrumentation.opentelemetry.io/inject-${language}`,
        containerNamesAnnotation: `instrumentation.opentelemetry.io/${language}-container-names`,
        initContainer: `opentelemetry-auto-instrumentation-${language}`,
    };
}
