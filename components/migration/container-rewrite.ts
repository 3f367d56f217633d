import { AppConfig, Language } from "../../config";
import { removeSkyWalkingArguments, removeSkyWalkingOptions } from "./jvm-options";
import { removeSkyWalkingNodeArguments, removeSkyWalkingNodeOptions } from "./node-options";
import { Argv, removeSwPython } from "./python-wrapper";

/** The container fields a flip rewrites, each as the app had it before (`original`) and in otel mode. */
export interface RewrittenContainer {
    /** Env vars that carried the agent, in `agentIn.env` order: name → [original, otel]. */
    readonly env: ReadonlyArray<{ readonly name: string; readonly original: string; readonly otel: string }>;
    readonly command?: { readonly original: readonly string[]; readonly otel: readonly string[] };
    readonly args?: { readonly original: readonly string[]; readonly otel: readonly string[] };
}

/**
 * Works out, from `original` alone, every value the flip changes. Depending only on the originals keeps the set
 * of fields skyshift owns the same in both modes, which Server-Side Apply needs: a field left out of a later
 * apply is deleted, so flipping back must send each owned field again with its original value.
 * Callers validate first (appFlipProblems), so flagged fields have originals.
 */
export function rewriteContainer(app: AppConfig): RewrittenContainer {
    const env = app.agentIn.env.map(name => {
        const original = app.original.env[name];
        return { name, original, otel: rewriteOptions(app.language, original) };
    });
    const argv = rewriteArgv(app);
    return {
        env,
        command: pair(app.original.command, argv.command, app.agentIn.command),
        args: pair(app.original.args, argv.args, app.agentIn.args),
    };
}

function rewriteOptions(language: Language, value: string): string {
    return language === Language.nodejs ? removeSkyWalkingNodeOptions(value) : removeSkyWalkingOptions(value);
}

/** Only argv fields discovery captured are rewritten: an unknown `args` cannot be restored later. */
function rewriteArgv(app: AppConfig): Argv {
    const { command, args } = app.original;
    switch (app.language) {
        case Language.python:
            return removeSwPython({ command, args });
        case Language.nodejs:
            return { command: command && removeSkyWalkingNodeArguments(command), args: args && removeSkyWalkingNodeArguments(args) };
        default:
            return { command: command && removeSkyWalkingArguments(command), args: args && removeSkyWalkingArguments(args) };
    }
}

/** A field is owned when the agent was found in it or when removing the agent changes it (`sw-python` spanning both). */
function pair(original: readonly string[] | undefined, otel: readonly string[] | undefined, flagged: boolean) {
    if (original === undefined || otel === undefined) return undefined;
    const changed = JSON.stringify(original) !== JSON.stringify(otel);
    return flagged || changed ? { original, otel } : undefined;
}
