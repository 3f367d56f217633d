/**
 * Shell words: how `sh` splits an options string (`$JAVA_OPTS`, `$NODE_OPTIONS`, the script of `sh -c "…"`).
 * Every language module reads and removes words through these, so what detection sees as one word is exactly
 * what removal drops.
 */

/** One word of a string: `start`/`end` index into the string, quotes kept in `raw`. */
export interface ShellWord {
    readonly raw: string;
    readonly start: number;
    readonly end: number;
}

/**
 * Splits on unquoted whitespace, keeping single- and double-quoted runs (paths with spaces) and backslash
 * escapes inside one word. An unclosed quote runs to the end of the string.
 */
export function splitWords(text: string): ShellWord[] {
    const words: ShellWord[] = [];
    let i = 0;
    while (i < text.length) {
        if (/\s/.test(text[i])) { i++; continue; }
        const start = i;
        while (i < text.length && !/\s/.test(text[i])) {
            const quote = text[i];
            if (quote === "'" || quote === "\"") {
                i++;
                while (i < text.length && text[i] !== quote) i += quote === "\"" && text[i] === "\\" ? 2 : 1;
            } else if (quote === "\\") {
                i++;
            }
            i++;
        }
        i = Math.min(i, text.length);
        words.push({ raw: text.slice(start, i), start, end: i });
    }
    return words;
}

/** The word as the program receives it: quotes removed, backslash escapes resolved. */
export function unquote(word: string): string {
    return word.replace(/'([^']*)'?|"((?:\\.|[^"\\])*)"?|\\(.)/g, (_match, single?: string, double?: string, escaped?: string) =>
        single ?? (double !== undefined ? double.replace(/\\(.)/g, "$1") : escaped ?? ""));
}

/**
 * Removes the words marked in `dropped` (indexes into `splitWords(text)`). Every kept word keeps its text and
 * the whitespace before it; a removed word takes the whitespace before it along; leading and trailing
 * whitespace of the whole string stay. So a reviewer's diff shows only the removed words going away.
 */
export function removeWords(text: string, dropped: readonly boolean[]): string {
    const words = splitWords(text);
    const kept = words.filter((_word, index) => !dropped[index]);
    if (kept.length === words.length) return text;
    let out = text.slice(0, words[0].start);
    kept.forEach((word, index) => {
        if (index > 0) out += text.slice(whitespaceStart(text, word.start), word.start);
        out += word.raw;
    });
    return out + text.slice(words[words.length - 1].end);
}

function whitespaceStart(text: string, end: number): number {
    let start = end;
    while (start > 0 && /\s/.test(text[start - 1])) start--;
    return start;
}
