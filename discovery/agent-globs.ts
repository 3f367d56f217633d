import { AgentVerdict } from "../languages";
import type { AgentRules } from "./container";

/**
 * `*` matches within one path segment, `**` across segments, `?` one character; everything else is literal.
 * Exact paths are globs too, so `--skywalking-agent /opt/apm/agent.jar` needs no quoting.
 */
export function globToRegExp(glob: string): RegExp {
    let pattern = "";
    for (let i = 0; i < glob.length; i++) {
        const c = glob[i];
        if (c === "*" && glob[i + 1] === "*") { pattern += ".*"; i++; }
        else if (c === "*") pattern += "[^/]*";
        else if (c === "?") pattern += "[^/]";
        else pattern += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
    return new RegExp(`^${pattern}$`);
}

/** Discovery's agent rules from the discover flags; a path matched by both lists is an error the CLI reports first. */
export function agentRules(options: { readonly skywalkingAgents: readonly string[]; readonly notSkywalkingAgents: readonly string[] }, podSigns: boolean): AgentRules {
    const skywalking = options.skywalkingAgents.map(globToRegExp);
    const notSkywalking = options.notSkywalkingAgents.map(globToRegExp);
    return {
        podSigns,
        decided: path => skywalking.some(re => re.test(path)) ? AgentVerdict.skywalking
            : notSkywalking.some(re => re.test(path)) ? AgentVerdict.other : undefined,
    };
}
