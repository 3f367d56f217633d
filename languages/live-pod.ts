/**
 * Whether a running pod still loads SkyWalking after its app was flipped: a mutating webhook (SWCK) or a
 * deployment pipeline may put the agent back into pods the flip's template no longer carries.
 */
import { describeWhere, skywalkingRemains, ContainerText } from "./container";
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
    /** Env vars read as options beyond the module's own (the app's `agentIn.env`). */
    readonly optionEnvNames: readonly string[];
    readonly resolve: AgentResolver;
}

/**
 * What in the pod still loads SkyWalking, one line per word (`env JAVA_TOOL_OPTIONS: -javaagent:/sky/agent/skywalking-agent.jar`);
 * empty when nothing does. The operator's own JAVA_TOOL_OPTIONS addition is the OpenTelemetry agent, never matched.
 */
export function skywalkingInPod(spec: LivePodSpec, check: LivePodCheck): string[] {
    const containers = spec.containers ?? [];
    const app = containers.find(c => c.name === check.container) ?? containers[0];
    const names = [...check.module.optionEnvNames, ...check.optionEnvNames];
    const words = app ? skywalkingRemains(check.module, app, check.resolve, names).map(found => `${describeWhere(found)}: ${found.label}`) : [];
    const copiers = (spec.initContainers ?? []).filter(copiesSkywalkingAgent).map(init => `initContainer ${init.name} copies the SkyWalking agent`);
    return [...words, ...copiers];
}
