import * as fs from "fs";
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "node:util";
import { APP_KEY_PATTERN } from "../../config/apps";
import type { CommandIO } from "./io";

/** A command-line mistake: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * `util.parseArgs` in strict mode, with its errors rewritten to name the flag and the fix
 * (node's own text, e.g. "Unknown option '--stak'", does not say what is allowed).
 */
export function parseFlags<T extends Options>(argv: readonly string[], options: T) {
    try {
        return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
    } catch (error) {
        throw new UsageError(explainParseError(error as Error & { code?: string }, options));
    }
}

function explainParseError(error: Error & { code?: string }, options: Options): string {
    const known = Object.keys(options).map(name => `--${name}`).join(", ");
    const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1] ?? "";
    switch (error.code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
            return `unknown option ${flag} — known options: ${known}`;
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
            return `${flag} needs a value — e.g. ${flag} <value>`;
        case "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL":
            return `unexpected argument ${JSON.stringify(error.message.match(/'([^']*)'/)?.[1] ?? "")} — every value follows its flag (${known})`;
        default:
            return error.message;
    }
}

/** Stack names are what `pulumi stack init` accepts; the file is `Pulumi.<stack>.yaml`. */
export function requireStack(stack: string | undefined): string {
    if (!stack) throw new UsageError("--stack is required — name the stack whose config to use, e.g. --stack prod");
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new UsageError(`--stack ${JSON.stringify(stack)} is not a stack name — use letters, digits, '-', '_' or '.'`);
    return stack;
}

/** `ns/name`, as apps are keyed in the inventory and in `skyshift:apps`. */
export function requireAppKey(value: string, flag: string): string {
    if (!APP_KEY_PATTERN.test(value)) {
        throw new UsageError(`${flag} ${JSON.stringify(value)} is not namespace/workload — write it as e.g. ${flag} shop/order-service`);
    }
    return value;
}

export function positiveInteger(value: string | undefined, flag: string, fallback: number): number {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed <= 0) throw new UsageError(`${flag} ${JSON.stringify(value)} is not a positive whole number — e.g. ${flag} ${fallback}`);
    return parsed;
}

/** The flags every command takes: the stack, the project directory and help. */
const COMMON_OPTIONS = {
    stack: { type: "string" },
    dir: { type: "string" },
    help: { type: "boolean" },
} as const;

/** A command's parsed flags with the stack and the project directory settled. */
export interface CommandStart<T extends Options> {
    readonly flags: ReturnType<typeof parseFlags<T & typeof COMMON_OPTIONS>>;
    readonly stack: string;
    /** `--dir`, default the working directory, absolute. */
    readonly projectDir: string;
}

/**
 * The prologue every command shares: parse the flags (the command's own plus `--stack`, `--dir`, `--help`), print
 * the usage for `--help` (returns undefined: the command is done), require a valid `--stack`, resolve `--dir`
 * and warn when it holds no Pulumi project.
 */
export function startCommand<T extends Options>(argv: readonly string[], options: T, usage: string, io: CommandIO): CommandStart<T> | undefined {
    const flags = parseFlags<T & typeof COMMON_OPTIONS>(argv, { ...COMMON_OPTIONS, ...options });
    const common = flags as { stack?: string; dir?: string; help?: boolean };
    if (common.help) {
        io.out(usage);
        return undefined;
    }
    const stack = requireStack(common.stack);
    const projectDir = path.resolve(common.dir ?? ".");
    if (!["Pulumi.yaml", "Pulumi.yml"].some(name => fs.existsSync(path.join(projectDir, name)))) {
        io.err(`warning: ${projectDir} has no Pulumi.yaml — pulumi will not read files written here (pass --dir PROJECT)`);
    }
    return { flags, stack, projectDir };
}
