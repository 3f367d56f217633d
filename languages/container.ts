/**
 * SkyWalking in a container, for any language: one walk over option env vars and argv that both detection and
 * removal use. Removal repeats until the module finds no `skywalking` span, so the container the flip produces
 * is, by construction, one the same detection calls free of SkyWalking.
 */
import { AgentResolver, AgentVerdict, LanguageModule, WordSpan } from "./language";
import { removeWords, splitWords, unquote } from "./shell-words";

/** The container fields SkyWalking can sit in (a `V1Container`, a live pod's container, a patch body). */
export interface ContainerText {
    readonly env?: ReadonlyArray<{ readonly name: string; readonly value?: string; readonly valueFrom?: unknown }>;
    readonly command?: readonly string[];
    readonly args?: readonly string[];
}

export interface Argv {
    readonly command?: readonly string[];
    readonly args?: readonly string[];
}

/** One SkyWalking span and where it sits: `env JAVA_OPTS`, `command` or `args`. */
export interface Found extends Omit<WordSpan, "start" | "end"> {
    readonly where: "env" | "command" | "args";
    /** The env var, for `where: "env"`. */
    readonly envName?: string;
    /** The unquoted words of the span. */
    readonly words: readonly string[];
}

export function describeWhere(found: Pick<Found, "where" | "envName">): string {
    return found.where === "env" ? `env ${found.envName}` : found.where;
}

/** One line per place: `env JAVA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar, -Dskywalking.agent.service_name`. */
export function describeFound(found: readonly Found[], suffix = (_found: Found) => ""): string[] {
    const lines = new Map<string, string[]>();
    for (const f of found) {
        const where = describeWhere(f) + suffix(f);
        lines.set(where, [...(lines.get(where) ?? []), f.label]);
    }
    return [...lines].map(([where, labels]) => `${where}: ${labels.join(", ")}`);
}

/** Spans in an options string, with its words as the program receives them. */
export function optionSpans(module: LanguageModule, text: string, resolve: AgentResolver): { words: string[]; spans: WordSpan[] } {
    const words = splitWords(text).map(word => unquote(word.raw));
    return { words, spans: module.skywalkingSpans(words, resolve) };
}

/** Removes every `skywalking` span from an options string, keeping every other word, its order and spacing. */
export function removeFromOptions(module: LanguageModule, text: string, resolve: AgentResolver): string {
    for (let current = text; ;) {
        const { words, spans } = optionSpans(module, current, resolve);
        const dropped = droppedBy(words.length, spans);
        if (!dropped.includes(true)) return current;
        current = removeWords(current, dropped);
    }
}

/**
 * Whether argv element `index` is a shell script: it follows `-c` (`sh -c`, `bash -ec`, or `args: ["-c", …]` for
 * an image whose entrypoint is a shell). Any other element is one literal argument, spaces and all.
 */
export function isShellScript(elements: readonly string[], index: number): boolean {
    return index > 0 && /^-[a-z]*c$/.test(elements[index - 1]) && /\s/.test(elements[index]);
}

/**
 * Spans in argv. `command` and `args` are one word list (a launcher may start in one and end in the other);
 * a shell script (`sh -c "java -javaagent:… -jar a.jar"`) is read as an options string of its own.
 */
export function findInArgv(module: LanguageModule, argv: Argv, resolve: AgentResolver): Found[] {
    const command = argv.command ?? [];
    const elements = [...command, ...(argv.args ?? [])];
    const whereOf = (index: number): "command" | "args" => (index < command.length ? "command" : "args");
    const spans = module.skywalkingSpans(elements, resolve);
    const covered = new Array<boolean>(elements.length).fill(false);
    for (const span of spans) covered.fill(true, span.start, span.end);
    const found: Found[] = [];
    for (const { start, end, ...span } of spans) {
        for (const where of new Set(range(start, end).map(whereOf))) found.push({ ...span, where, words: elements.slice(start, end) });
    }
    elements.forEach((element, index) => {
        if (covered[index] || !isShellScript(elements, index)) return;
        const inner = optionSpans(module, element, resolve);
        found.push(...inner.spans.map(({ start, end, ...span }) => ({ ...span, where: whereOf(index), words: inner.words.slice(start, end) })));
    });
    return found;
}

/**
 * argv without SkyWalking. When the agent's words were all of `command` (`sw-python run -p` with the program in
 * `args`), the program moves into `command`: an empty `command` would mean the image's entrypoint.
 */
export function removeFromArgv(module: LanguageModule, argv: Argv, resolve: AgentResolver): Argv {
    let command = argv.command && [...argv.command];
    let args = argv.args && [...argv.args];
    for (;;) {
        const elements = [...(command ?? []), ...(args ?? [])];
        const spans = module.skywalkingSpans(elements, resolve);
        const dropped = droppedBy(elements.length, spans);
        const rewritten = elements.map((element, index) => isShellScript(elements, index) ? removeFromOptions(module, element, resolve) : element);
        const changed = dropped.includes(true) || rewritten.some((element, index) => element !== elements[index]);
        if (!changed) return { command, args };
        const split = command?.length ?? 0;
        const keep = (from: number, to: number) => rewritten.slice(from, to).filter((_e, i) => !dropped[from + i]);
        const nextCommand = command && keep(0, split);
        const nextArgs = args && keep(split, elements.length);
        if (command && command.length > 0 && nextCommand?.length === 0 && nextArgs && nextArgs.length > 0) {
            command = nextArgs.slice(0, 1);
            args = nextArgs.slice(1);
        } else {
            command = nextCommand;
            args = nextArgs;
        }
    }
}

/** Spans in every plain env value (`valueFrom` text is not in the spec) and in argv, in container order. */
export function findInContainer(module: LanguageModule, container: ContainerText, resolve: AgentResolver): Found[] {
    const found: Found[] = [];
    for (const variable of container.env ?? []) {
        if (variable.valueFrom || !variable.value) continue;
        const { words, spans } = optionSpans(module, variable.value, resolve);
        found.push(...spans.map(({ start, end, ...span }) => ({ ...span, where: "env" as const, envName: variable.name, words: words.slice(start, end) })));
    }
    return [...found, ...findInArgv(module, container, resolve)];
}

/** What still loads or configures SkyWalking: `skywalking` spans in option env vars and argv. */
export function skywalkingRemains(module: LanguageModule, container: ContainerText, resolve: AgentResolver, optionEnvNames = module.optionEnvNames): Found[] {
    return findInContainer(module, container, resolve)
        .filter(found => found.verdict === AgentVerdict.skywalking && (found.where !== "env" || optionEnvNames.includes(found.envName ?? "")));
}

function droppedBy(length: number, spans: readonly WordSpan[]): boolean[] {
    const dropped = new Array<boolean>(length).fill(false);
    for (const span of spans) if (span.verdict === AgentVerdict.skywalking) for (let i = span.start; i < span.end; i++) dropped[i] = true;
    return dropped;
}

function range(start: number, end: number): number[] {
    return Array.from({ length: end - start }, (_v, i) => start + i);
}
