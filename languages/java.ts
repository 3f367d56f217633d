/**
 * The SkyWalking Java agent (apache/skywalking-java) and the OpenTelemetry Java agent. The agent is loaded by
 * `-javaagent:<jar>[=k=v,…]` and configured by `-Dskywalking.<key>=…` / `-Dskywalking_config=<file>` (both read
 * by the SkyWalking agent only: apm-agent-core's SnifferConfigInitializer), in JVM-option env vars or argv.
 */
import { Language } from "../config/migration";
import { AgentResolver, AgentVerdict, BackendWords, Identity, IdentityField, LanguageModule, operatorInjection, WordBackendSource, WordSpan } from "./language";

/** Env vars the JVM (JAVA_TOOL_OPTIONS, JDK_JAVA_OPTIONS) or common start scripts (the rest) read options from. */
const JVM_OPTION_ENV_NAMES: readonly string[] = ["JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "JAVA_OPTS", "CATALINA_OPTS", "JVM_OPTS"];

/** `-javaagent:<path ending .jar>` then optional `=options`; the path may hold spaces (a quoted or argv word). */
const JAVAAGENT = /^-javaagent:(.*?\.jar)(?:=(.*))?$/is;
/** `-Dskywalking.agent.service_name=…`, `-Dskywalking_config=/path/agent.config`. */
const SKYWALKING_PROPERTY = /^-Dskywalking([._])([^=]*)(?:=(.*))?$/s;
/** The OpenTelemetry Java agent as released (opentelemetry-javaagent.jar) and as the operator injects it (/otel-auto-instrumentation-java/javaagent.jar). */
const OTEL_AGENT = /opentelemetry-javaagent[^\\/]*\.jar$|(^|[\\/])otel-auto-instrumentation[^\\/]*[\\/]/i;
const OTEL_JAVAAGENT_FLAG = /-javaagent:["']?[^\s"']*(?:opentelemetry-javaagent[^\s"']*\.jar|otel-auto-instrumentation)/i;
/** Agents that export metrics and do not trace: never taken for a renamed SkyWalking. */
const NON_TRACING_AGENT = /jmx_prometheus|jmx-exporter|jolokia/i;
/** SWCK's injector copies the agent to /sky/agent/ (apache/skywalking-swck, java-agent-injector). */
const SWCK_AGENT_DIR = /(^|[\\/])sky[\\/]agent[\\/]/i;

/** SWCK injects the agent at pod creation while the pod template has this label set to "true". */
export const SWCK_INJECT_LABEL = "swck-java-agent-injected";
/** SWCK's injector initContainer, seen when a pod spec was copied back into a workload, or in a live pod. */
export const SWCK_INIT_CONTAINER = "inject-skywalking-agent";
/** SWCK configures the injection through annotations in these domains (`sidecar.skywalking.apache.org/…`, `agent.skywalking.apache.org/…`). */
export const SWCK_ANNOTATION_DOMAIN = /(^|\.)skywalking\.apache\.org\//;
/** SWCK's annotation naming the container to inject (default: the first). */
export const SWCK_CONTAINER_ANNOTATION = "strategy.skywalking.apache.org/inject.Container";
/** SWCK's annotation overriding the agent's service name. */
export const SWCK_SERVICE_NAME_ANNOTATION = "agent.skywalking.apache.org/agent.service_name";

/** What a `-javaagent` path says about itself. */
export type JarKind = "skywalking" | "suspect" | "unknown" | "not-skywalking";

/**
 * `skywalking`: the jar is named for SkyWalking (`skywalking-agent.jar`, `apache-skywalking-agent-9.jar`,
 * `sw-agent-8.9.jar`), sits in SWCK's `/sky/agent/`, or is an agent in a `skywalking` directory
 * (`/skywalking/agent/apm.jar`). `suspect`: in a `skywalking` directory but not an agent by name.
 * `not-skywalking`: the OpenTelemetry agent or a metrics agent. `unknown`: nothing says.
 */
export function classifyJar(path: string): JarKind {
    if (OTEL_AGENT.test(path) || NON_TRACING_AGENT.test(path)) return "not-skywalking";
    const segments = path.split(/[\\/]/).filter(s => s !== "");
    const jar = segments.pop() ?? "";
    if (/skywalking|^sw[-_]agent/i.test(jar) || SWCK_AGENT_DIR.test(path)) return "skywalking";
    if (!segments.some(s => /skywalking/i.test(s))) return "unknown";
    return segments.some(s => /^agent$/i.test(s)) || /agent/i.test(jar) ? "skywalking" : "suspect";
}

function javaWordSpan(word: string, index: number, resolve: AgentResolver): WordSpan | undefined {
    const at = { start: index, end: index + 1 };
    const property = SKYWALKING_PROPERTY.exec(word);
    if (property) {
        const label = property[1] === "." ? `-Dskywalking.${property[2]}` : `-Dskywalking_${property[2]}`;
        return { ...at, label, verdict: AgentVerdict.skywalking, loadsAgent: false };
    }
    const agent = JAVAAGENT.exec(word);
    if (!agent) return undefined;
    const path = agent[1].trim();
    const kind = classifyJar(path);
    if (kind === "not-skywalking") return undefined;
    const label = `-javaagent:${path}`;
    if (kind === "skywalking") return { ...at, label, verdict: AgentVerdict.skywalking, loadsAgent: true };
    return { ...at, label, verdict: resolve(path, kind === "suspect"), loadsAgent: true, agentPath: path };
}

/** The SkyWalking option keys for the identity skyshift keeps (apm-agent-core's config/agent.config). */
const IDENTITY_OPTIONS: Readonly<Record<IdentityField, string>> = {
    serviceName: "agent.service_name",
    instanceName: "agent.instance_name",
    serviceNamespace: "agent.namespace",
};

/** Agent options (`-javaagent:…=agent.service_name=a,…`) win over `-Dskywalking.agent.service_name=`, as in the agent. */
function javaIdentity(found: ReadonlyArray<{ readonly verdict: AgentVerdict; readonly words: readonly string[] }>): Identity {
    const fromOptions: Record<string, string> = {};
    const fromProperties: Record<string, string> = {};
    for (const { words } of found.filter(f => f.verdict === AgentVerdict.skywalking)) {
        const property = SKYWALKING_PROPERTY.exec(words[0]);
        if (property && property[1] === ".") fromProperties[property[2]] = property[3] ?? "";
        const options = JAVAAGENT.exec(words[0])?.[2] ?? "";
        for (const pair of options.split(",")) {
            const eq = pair.indexOf("=");
            if (eq > 0) fromOptions[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
    }
    const identity: Identity = {};
    for (const field of Object.keys(IDENTITY_OPTIONS) as IdentityField[]) {
        const value = fromOptions[IDENTITY_OPTIONS[field]] || fromProperties[IDENTITY_OPTIONS[field]];
        if (value) identity[field] = value;
    }
    return identity;
}

/** The agent.config key of the backend address; its default reads SW_AGENT_COLLECTOR_BACKEND_SERVICES (apm-agent-core config/agent.config). */
const BACKEND_KEY = "collector.backend_service";
const BACKEND_PROPERTY = `-Dskywalking.${BACKEND_KEY}=`;

/**
 * Each `key=value` of agent options with where its value sits. A value holding `,` or `=` is quoted (skywalking-java
 * docs/en/setup/service-agent/java-agent/Setting-override.md, "Special characters"), e.g. `k='a:1,b:2'`.
 */
function agentOptionValues(options: string): Array<{ key: string; start: number; end: number }> {
    const values: Array<{ key: string; start: number; end: number }> = [];
    for (let at = 0; at < options.length;) {
        const eq = options.indexOf("=", at);
        if (eq < 0) break;
        let end = eq + 1;
        const quote = options[end];
        if (quote === "'" || quote === "\"") {
            const close = options.indexOf(quote, end + 1);
            end = close < 0 ? options.length : close + 1;
        }
        const comma = options.indexOf(",", end);
        end = comma < 0 ? options.length : comma;
        values.push({ key: options.slice(at, eq), start: eq + 1, end });
        at = end + 1;
    }
    return values;
}

/** The backend address option of a `-javaagent:…=options` word: where its value sits in the word, inside any quotes. */
function backendOption(word: string): { start: number; end: number; value: string } | undefined {
    const agent = JAVAAGENT.exec(word);
    if (agent?.[2] === undefined) return undefined;
    const option = agentOptionValues(agent[2]).filter(o => o.key === BACKEND_KEY).pop();
    if (!option) return undefined;
    const quoted = /^(['"]).*\1$/s.test(agent[2].slice(option.start, option.end)) ? 1 : 0;
    const start = word.length - agent[2].length + option.start + quoted;
    const end = word.length - agent[2].length + option.end - quoted;
    return { start, end, value: word.slice(start, end) };
}

/**
 * The address in `-Dskywalking.collector.backend_service=…` and in the agent option `collector.backend_service=…`; the
 * option wins over the property, which wins over the env var (Setting-override.md, "Override priority").
 */
const javaBackendWords: BackendWords = {
    find(word) {
        if (word.startsWith(BACKEND_PROPERTY)) return { source: WordBackendSource.systemProperty, value: word.slice(BACKEND_PROPERTY.length) };
        const option = backendOption(word);
        return option && { source: WordBackendSource.agentOption, value: option.value };
    },
    replace(word, address) {
        if (word.startsWith(BACKEND_PROPERTY)) return BACKEND_PROPERTY + address;
        const option = backendOption(word);
        if (!option) return word;
        const quote = word[option.start - 1] === "'" || word[option.start - 1] === "\"" ? "" : /[,=]/.test(address) ? "'" : "";
        return word.slice(0, option.start) + quote + address + quote + word.slice(option.end);
    },
};

export const java: LanguageModule = {
    language: Language.java,
    displayName: "Java",
    otel: operatorInjection(Language.java),
    optionEnvNames: JVM_OPTION_ENV_NAMES,
    skywalkingSpans: (words, resolve) => words.flatMap((word, index) => javaWordSpan(word, index, resolve) ?? []),
    identity: javaIdentity,
    backendWords: javaBackendWords,
    loadsOtelAgent: text => OTEL_JAVAAGENT_FLAG.test(text),
};

/** A command line that copies files; an initContainer without command or args copies with its image's entrypoint. */
const COPY_COMMAND = /(^|[\s;&|(])(cp|rsync|tar|mv|install|unzip)\s/;

/**
 * Whether an initContainer puts the SkyWalking agent somewhere (the pattern of skywalking-java's docker images
 * and SWCK's injector): its name, image or command line is about SkyWalking (e.g. `cp -r /skywalking/agent /agent`)
 * and it copies. One whose copy was switched off (skyshift's otel mode runs `echo …`) no longer counts.
 */
export function copiesSkywalkingAgent(init: { readonly name: string; readonly image?: string; readonly command?: readonly string[]; readonly args?: readonly string[] }): boolean {
    const commandLine = [...(init.command ?? []), ...(init.args ?? [])].join(" ");
    const aboutSkywalking = init.name === SWCK_INIT_CONTAINER || /skywalking/i.test(`${init.name} ${init.image ?? ""} ${commandLine}`);
    return aboutSkywalking && (commandLine === "" || COPY_COMMAND.test(`${commandLine} `));
}
