/**
 * Whether a running pod still loads SkyWalking after its app was flipped: a mutating webhook (SWCK) or a
 * deployment pipeline may put the agent back into pods the flip's template no longer carries.
 */
import { ContainerText, describeFound, skywalkingRemains } from "./container";
import { copiesSkywalkingAgent } from "./java";
import { AgentResolver, LanguageModule } from "./language";

/** The parts of a live pod's spec the check reads (as the API server returns them, after every webhook). */
export interface LivePodSpec {
    readonly containers?: ReadonlyArray<ContainerText & { readonly name: string }>;
    readonly initContainers?: ReadonlyArray<{ readonly name: string; readonly image?: string; readonly command?: readonly string[]; readonly args?: readonly string[] }>;
}

export interface LivePodCheck {
    readonly module: LanguageModule;
    /** The app container (the first container when absent, as the operator defaults). */
    readonly container?: string;
    readonly resolve: AgentResolver;
}

/**
 * What in the pod still loads SkyWalking, one line per place (`env JAVA_TOOL_OPTIONS: -javaagent:/sky/agent/skywalking-agent.jar`);
 * empty when nothing does. The operator's own JAVA_TOOL_OPTIONS addition is the OpenTelemetry agent, never matched.
 */
export function skywalkingInPod(spec: LivePodSpec, check: LivePodCheck): string[] {
    const containers = spec.containers ?? [];
    const app = containers.find(c => c.name === check.container) ?? containers[0];
    // Every env var, not only option variables: a start script may read any of them, and the words are SkyWalking's own.
    const names = (app?.env ?? []).map(v => v.name);
    const words = app ? describeFound(skywalkingRemains(check.module, app, check.resolve, names)) : [];
    const copiers = (spec.initContainers ?? []).filter(copiesSkywalkingAgent).map(init => `initContainer ${init.name} copies the agent`);
    return [...words, ...copiers];
}
