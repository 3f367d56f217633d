/**
 * The SkyWalking Node.js agent (apache/skywalking-nodejs, package `skywalking-backend-js`), preloaded with
 * `--require`/`-r` in NODE_OPTIONS or on the `node` command line. A `require(…).start()` in code is not visible
 * in a workload spec; such apps are found by their `SW_*` env and need their image rebuilt.
 */
import { Language } from "../config/migration";
import { AgentVerdict, ENV_CONFIGURED_AGENT, LanguageModule, operatorInjection, WordSpan } from "./language";

/** The package, or a file inside it (`skywalking-backend-js/lib/index.js`). */
const SKYWALKING_PACKAGE = /^skywalking-backend-js(\/|$)/;
const REQUIRE_FLAGS = new Set(["-r", "--require"]);

function requireSpans(words: readonly string[]): WordSpan[] {
    const spans: WordSpan[] = [];
    for (let index = 0; index < words.length; index++) {
        const word = words[index];
        const inline = word.startsWith("--require=") ? word.slice("--require=".length) : undefined;
        const paired = REQUIRE_FLAGS.has(word) ? words[index + 1] : undefined;
        const module = inline ?? paired;
        if (module === undefined || !SKYWALKING_PACKAGE.test(module)) continue;
        const end = inline !== undefined ? index + 1 : index + 2;
        spans.push({ start: index, end, label: `--require ${module}`, verdict: AgentVerdict.skywalking, loadsAgent: true });
        index = end - 1;
    }
    return spans;
}

export const nodejs: LanguageModule = {
    language: Language.nodejs,
    displayName: "Node.js",
    otel: operatorInjection(Language.nodejs),
    optionEnvNames: ["NODE_OPTIONS"],
    skywalkingSpans: words => requireSpans(words),
    // Identity and backend address come from SW_* env only, or from collectorAddress in code
    // (skywalking-nodejs README.md, Environment Variables).
    ...ENV_CONFIGURED_AGENT,
    // The operator's Node.js image preloads @opentelemetry/auto-instrumentations-node through NODE_OPTIONS.
    loadsOtelAgent: text => /@opentelemetry\/auto-instrumentations-node|otel-auto-instrumentation-nodejs/.test(text),
};
