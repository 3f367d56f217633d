/**
 * Removing the SkyWalking Java agent from JVM options, whatever env var or argv holds them. Pure and idempotent:
 * every other flag keeps its text, its order and the whitespace before it, so a reviewer's diff shows only
 * the SkyWalking flags going away.
 */

/** One shell-like word of an options string: `start`/`end` index into the string, quotes kept in `raw`. */
export interface OptionToken {
    readonly raw: string;
    readonly start: number;
    readonly end: number;
}

/**
 * Splits a JVM options string the way `sh` splits `$JAVA_OPTS`-style values: on unquoted whitespace, keeping
 * single- and double-quoted runs (paths with spaces) inside one word. An unclosed quote runs to the end.
 */
export function tokenizeOptions(options: string): OptionToken[] {
    const tokens: OptionToken[] = [];
    let i = 0;
    while (i < options.length) {
        if (/\s/.test(options[i])) { i++; continue; }
        const start = i;
        while (i < options.length && !/\s/.test(options[i])) {
            const quote = options[i];
            if (quote === "'" || quote === "\"") {
                i++;
                while (i < options.length && options[i] !== quote) i += quote === "\"" && options[i] === "\\" ? 2 : 1;
            } else if (quote === "\\") {
                i++;
            }
            i++;
        }
        i = Math.min(i, options.length);
        tokens.push({ raw: options.slice(start, i), start, end: i });
    }
    return tokens;
}

/** The word as the JVM receives it: quotes removed, backslash escapes resolved. */
export function unquote(word: string): string {
    return word.replace(/'([^']*)'?|"((?:\\.|[^"\\])*)"?|\\(.)/g, (_match, single?: string, double?: string, escaped?: string) =>
        single ?? (double !== undefined ? double.replace(/\\(.)/g, "$1") : escaped ?? ""));
}

const SKYWALKING_JAR = /(^|[\\/])skywalking-agent[^\\/]*\.jar$/i;
/** `-Dskywalking.agent.service_name=…` and `-Dskywalking_config=/path/agent.config` are read by the SkyWalking agent only. */
const SKYWALKING_PROPERTY = /^-Dskywalking[._]/;

/** True for one argument (already unquoted) that loads or configures the SkyWalking agent; never for other agents. */
export function isSkyWalkingArgument(argument: string): boolean {
    if (SKYWALKING_PROPERTY.test(argument)) return true;
    const agent = /^-javaagent:([^=]*)/.exec(argument);
    return agent !== null && SKYWALKING_JAR.test(agent[1].trim());
}

/**
 * Removes `-javaagent:…skywalking-agent.jar[=opts]` and `-Dskywalking.*` words from an options string.
 * Leading and trailing whitespace stay; a removed word takes the whitespace before it along.
 */
export function removeSkyWalkingOptions(options: string): string {
    return removeWords(options, tokens => tokens.map(token => isSkyWalkingArgument(unquote(token.raw))));
}

/** Removes the words `drop` marks (it sees every word, for flags that take the next word as a value). */
export function removeWords(options: string, drop: (tokens: readonly OptionToken[]) => boolean[]): string {
    const tokens = tokenizeOptions(options);
    const dropped = drop(tokens);
    const kept = tokens.filter((_token, index) => !dropped[index]);
    if (kept.length === tokens.length) return options;
    const leading = options.slice(0, tokens[0].start);
    const trailing = options.slice(tokens[tokens.length - 1].end);
    let out = leading;
    kept.forEach((token, index) => {
        if (index > 0) out += options.slice(precedingWhitespaceStart(options, token.start), token.start);
        out += token.raw;
    });
    return out + trailing;
}

function precedingWhitespaceStart(options: string, end: number): number {
    let start = end;
    while (start > 0 && /\s/.test(options[start - 1])) start--;
    return start;
}

/**
 * The argv variant (a container's `command` or `args`): elements that are a SkyWalking argument are dropped;
 * elements holding a whole shell command (`sh -c "java -javaagent:… -jar app.jar"`) are rewritten inside.
 * An element is tested whole first, so `-javaagent:/opt/my agent/skywalking-agent.jar` (no shell) is one argument.
 */
export function removeSkyWalkingArguments(argv: readonly string[]): string[] {
    return argv
        .filter(element => !isSkyWalkingArgument(element))
        .map(element => /\s/.test(element) ? removeSkyWalkingOptions(element) : element);
}

/** True when an options string still loads or configures SkyWalking. */
export function mentionsSkyWalkingAgent(options: string): boolean {
    return tokenizeOptions(options).some(token => isSkyWalkingArgument(unquote(token.raw)));
}
