/**
 * Where a SkyWalking agent finds the address it reports to (the OAP, or in `bridge` mode the collector's `skywalking`
 * receiver), for every language: an agent option or system property in its words (Java), else the env var every
 * agent reads, else the agent's built-in default. Discovery records the place, the bridge flip rewrites that value
 * only, and status reads it back, all through these functions.
 */
import { Argv, ContainerText, findInContainer, isShellScript } from "./container";
import { AgentResolver, AgentVerdict, LanguageModule, WordBackendSource } from "./language";
import { splitWords, unquote } from "./shell-words";

/**
 * The env var all three agents read for the backend address: the Java agent's default agent.config
 * (`collector.backend_service=${SW_AGENT_COLLECTOR_BACKEND_SERVICES:127.0.0.1:11800}`), skywalking-python's
 * `agent_collector_backend_services` and skywalking-nodejs's `collectorAddress`.
 */
export const BACKEND_ADDRESS_ENV = "SW_AGENT_COLLECTOR_BACKEND_SERVICES";

/** Where the address comes from, strongest first; `agentDefault`: nowhere in the spec, so the agent's default. */
export const BackendSource = { ...WordBackendSource, env: "env", agentDefault: "agentDefault" } as const;
export type BackendSource = (typeof BackendSource)[keyof typeof BackendSource];

/** The backend address of one app container as discovery found it. */
export interface BackendLocation {
    readonly source: BackendSource;
    /** The field holding it: an env var (`envName`), `args` or `command`; absent for `agentDefault`. */
    readonly where?: "env" | "args" | "command";
    readonly envName?: string;
    /** The address itself; absent for `agentDefault` and for an env var set with `valueFrom`. */
    readonly value?: string;
    /** True when the env var is set with `valueFrom`: its value is in another object. */
    readonly valueFrom?: boolean;
}

/**
 * The address the agent uses, where the strongest setting is. Among settings of one kind the last in container order
 * is recorded; the bridge flip rewrites every setting of that kind, so the order cannot matter for where spans go.
 */
export function findBackendAddress(module: LanguageModule, container: ContainerText, resolve: AgentResolver): BackendLocation {
    const settings = findInContainer(module, container, resolve).filter(found => found.verdict === AgentVerdict.skywalking)
        .flatMap(found => found.words.flatMap(word => {
            const setting = module.backendWords.find(word);
            return setting ? [{ ...setting, where: found.where, envName: found.envName }] : [];
        }));
    for (const source of [WordBackendSource.agentOption, WordBackendSource.systemProperty]) {
        const last = settings.filter(setting => setting.source === source).pop();
        if (last) return { source, where: last.where, ...(last.envName !== undefined && { envName: last.envName }), value: last.value };
    }
    const variable = container.env?.find(v => v.name === BACKEND_ADDRESS_ENV);
    if (!variable) return { source: BackendSource.agentDefault };
    const at = { source: BackendSource.env, where: "env", envName: BACKEND_ADDRESS_ENV } as const;
    return variable.valueFrom ? { ...at, valueFrom: true } : { ...at, value: variable.value ?? "" };
}

/** Whether a word sets the address the way `source` says. */
function setsBackend(module: LanguageModule, word: string, source: WordBackendSource): boolean {
    return module.backendWords.find(word)?.source === source;
}

/**
 * An options string with every SkyWalking word of that source pointed at `address`; every other character stays. A
 * quoted word keeps its quotes when the old address appears in it as written, else it is written in single quotes.
 */
export function pointOptionsAt(module: LanguageModule, text: string, source: WordBackendSource, address: string, resolve: AgentResolver): string {
    const words = splitWords(text);
    const plain = words.map(word => unquote(word.raw));
    const inSpan = skywalkingWordIndexes(module, plain, resolve);
    let out = text;
    for (let index = words.length - 1; index >= 0; index--) {
        const setting = inSpan.has(index) ? module.backendWords.find(plain[index]) : undefined;
        if (setting?.source !== source) continue;
        const { raw, start, end } = words[index];
        out = out.slice(0, start) + requoted(raw, plain[index], setting.value, module.backendWords.replace(plain[index], address)) + out.slice(end);
    }
    return out;
}

/** argv with every SkyWalking word of that source pointed at `address`, shell scripts (`sh -c "…"`) included. */
export function pointArgvAt(module: LanguageModule, argv: Argv, source: WordBackendSource, address: string, resolve: AgentResolver): Argv {
    const command = argv.command ?? [];
    const elements = [...command, ...(argv.args ?? [])];
    const inSpan = skywalkingWordIndexes(module, elements, resolve);
    const next = elements.map((element, index) => {
        if (inSpan.has(index)) return setsBackend(module, element, source) ? module.backendWords.replace(element, address) : element;
        return isShellScript(elements, index) ? pointOptionsAt(module, element, source, address, resolve) : element;
    });
    return { command: argv.command && next.slice(0, command.length), args: argv.args && next.slice(command.length) };
}

function skywalkingWordIndexes(module: LanguageModule, words: readonly string[], resolve: AgentResolver): Set<number> {
    const indexes = new Set<number>();
    for (const span of module.skywalkingSpans(words, resolve)) {
        if (span.verdict !== AgentVerdict.skywalking) continue;
        for (let index = span.start; index < span.end; index++) indexes.add(index);
    }
    return indexes;
}

/**
 * The word as written, quotes and escapes kept, with its old address swapped for the new one; written whole in single
 * quotes when the old address is not in it exactly once as is.
 */
function requoted(raw: string, plain: string, oldAddress: string, replaced: string): string {
    if (raw === plain) return replaced;
    const once = (text: string) => oldAddress !== "" && text.indexOf(oldAddress) >= 0 && text.indexOf(oldAddress) === text.lastIndexOf(oldAddress);
    if (once(raw) && once(plain)) {
        const from = plain.indexOf(oldAddress);
        const newAddress = replaced.slice(from, replaced.length - (plain.length - from - oldAddress.length));
        return raw.replace(oldAddress, () => newAddress);
    }
    return `'${replaced.replace(/'/g, "'\\''")}'`;
}
