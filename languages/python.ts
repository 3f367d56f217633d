/**
 * The SkyWalking Python agent (apache/skywalking-python): its CLI `sw-python [-d] run [-p] <program> …`
 * starts the program with the agent (docs/en/setup/CLI.md). An `agent.start()` in code is not visible in a
 * workload spec; such apps are found by their `SW_*` env and need their image rebuilt.
 */
import { Language } from "../config/migration";
import { AgentVerdict, ENV_CONFIGURED_AGENT, LanguageModule, operatorInjection, WordSpan } from "./language";

const LAUNCHER = /^(?:.*\/)?sw-python$/;

/** Each `sw-python [-d] run [-p]` run of words; what follows is the program it launched, which stays. */
function launcherSpans(words: readonly string[]): WordSpan[] {
    const spans: WordSpan[] = [];
    for (let start = 0; start < words.length; start++) {
        if (!LAUNCHER.test(words[start])) continue;
        let end = start + 1;
        if (words[end] === "-d") end++;
        if (words[end] !== "run") continue;
        end++;
        if (words[end] === "-p") end++;
        spans.push({ start, end, label: "sw-python run", verdict: AgentVerdict.skywalking, loadsAgent: true });
        start = end - 1;
    }
    return spans;
}

export const python: LanguageModule = {
    language: Language.python,
    displayName: "Python",
    otel: operatorInjection(Language.python),
    optionEnvNames: [],
    skywalkingSpans: words => launcherSpans(words),
    // Identity and backend address come from SW_* env only: sw-python's CLI has no such option
    // (skywalking-python docs/en/setup/Configuration.md).
    ...ENV_CONFIGURED_AGENT,
    // opentelemetry-python-contrib's launcher, for apps instrumented by hand.
    loadsOtelAgent: text => /(^|[\s/])opentelemetry-instrument(\s|$)/.test(text),
};
