/**
 * The container an app's flip produces. The workload patch sends exactly these values, and the config check
 * runs detection on them, so what preview refuses and what `pulumi up` applies cannot differ.
 */
import type { AppConfig } from "../config/apps";
import { ContainerText, removeFromArgv, removeFromOptions } from "./container";
import { LANGUAGES } from "./registry";
import { recordedAgents } from "./language";

/** The container fields a flip rewrites, each as the app had it before (`original`) and in otel mode. */
export interface RewrittenContainer {
    /** Env vars that carried the agent, in `agentIn.env` order. */
    readonly env: ReadonlyArray<{ readonly name: string; readonly original: string; readonly otel: string }>;
    readonly command?: { readonly original: readonly string[]; readonly otel: readonly string[] };
    readonly args?: { readonly original: readonly string[]; readonly otel: readonly string[] };
}

/** The parts of an app's config a rewrite reads. */
export type RewriteInput = Pick<AppConfig, "language" | "agentIn" | "original" | "agents">;

/**
 * Works out, from `original` alone, every value the flip changes, with the app's language module (the rules
 * discovery found the agent with). Depending only on the originals keeps the set of fields skyshift owns the
 * same in both modes, which Server-Side Apply needs: a field left out of a later apply is deleted, so flipping
 * back must send each owned field again with its original value. Callers validate first (appFlipProblems).
 */
export function rewriteContainer(app: RewriteInput): RewrittenContainer {
    const module = LANGUAGES[app.language];
    const resolve = recordedAgents(app.agents ?? {});
    const env = app.agentIn.env.map(name => {
        const original = app.original.env[name] ?? "";
        return { name, original, otel: removeFromOptions(module, original, resolve) };
    });
    // Only argv fields discovery captured are rewritten: an unknown `args` cannot be restored later.
    const { command, args } = app.original;
    const argv = removeFromArgv(module, { command, args }, resolve);
    return { env, command: pair(command, argv.command, app.agentIn.command), args: pair(args, argv.args, app.agentIn.args) };
}

/** The app container as the flip leaves it: the originals discovery captured, overlaid with every rewritten value. */
export function flippedContainer(app: RewriteInput): ContainerText {
    const rewritten = rewriteContainer(app);
    const otelEnv = new Map(rewritten.env.map(v => [v.name, v.otel]));
    return {
        env: Object.entries(app.original.env).map(([name, value]) => ({ name, value: otelEnv.get(name) ?? value })),
        command: rewritten.command?.otel ?? app.original.command,
        args: rewritten.args?.otel ?? app.original.args,
    };
}

/** A field is owned when the agent was found in it or when removing the agent changes it (`sw-python` spanning both). */
function pair(original: readonly string[] | undefined, otel: readonly string[] | undefined, flagged: boolean) {
    if (original === undefined || otel === undefined) return undefined;
    const changed = JSON.stringify(original) !== JSON.stringify(otel);
    return flagged || changed ? { original, otel } : undefined;
}
