import type { V1Container } from "@kubernetes/client-node";
import { AgentVerdict, describeFound, describeWhere, Found, SWCK_ANNOTATION_DOMAIN, SWCK_INJECT_LABEL } from "../languages";
import { ContainerFindings, skywalkingWords } from "./container";
import { AgentCopier, describeCopier } from "./init-containers";

/** What the pod around the app container says. */
export interface PodFacts {
    readonly copiers: readonly AgentCopier[];
    readonly swck: boolean;
    readonly annotations: Readonly<Record<string, string>>;
    readonly otelReasons: readonly string[];
    /** Other non-sidecar containers that also carry SkyWalking. */
    readonly others: readonly string[];
}

/** The discover flags that settle an agent whose path does not say whether it is SkyWalking. */
export const AGENT_FLAGS = { skywalking: "--skywalking-agent", notSkywalking: "--not-skywalking-agent" } as const;

/** Whether the spec itself starts the agent (else the image does, and must be rebuilt). */
export function loadsAgentFromSpec(findings: ContainerFindings, pod: PodFacts): boolean {
    return skywalkingWords(findings.words).some(f => f.loadsAgent) || pod.copiers.length > 0 || pod.swck
        // An option variable from a ConfigMap or Secret may well load the agent: a manual step, not a rebuild.
        || findings.optionEnvValueFrom.length > 0;
}

export function evidenceFor(container: V1Container, findings: ContainerFindings, pod: PodFacts, rebuildImage: boolean, languageGuessed: boolean): string[] {
    const unknownEnv = (f: Found) => f.where === "env" && findings.unknownEnvNames.includes(f.envName ?? "") ? " (not an option variable; rewritten too)" : "";
    const evidence = describeFound(findings.words.filter(f => f.verdict === AgentVerdict.skywalking), unknownEnv);
    for (const f of findings.words.filter(f => f.agentPath !== undefined && f.verdict !== AgentVerdict.unresolved)) {
        const flag = f.verdict === AgentVerdict.skywalking ? AGENT_FLAGS.skywalking : AGENT_FLAGS.notSkywalking;
        evidence.push(`${describeWhere(f)}: ${f.label} ${f.verdict === AgentVerdict.skywalking ? "is" : "is not"} SkyWalking (${flag})`);
    }
    if (findings.swEnv.length > 0) evidence.push(`env ${findings.swEnv.join(", ")}`);
    for (const copier of pod.copiers) evidence.push(describeCopier(copier, container.name));
    if (pod.swck) evidence.push(`label ${SWCK_INJECT_LABEL}: "true" — SWCK injects the agent when pods are created`);
    // Sorted: the API server returns annotations in key order, whatever order the manifest had.
    const swckAnnotations = Object.keys(pod.annotations).filter(key => SWCK_ANNOTATION_DOMAIN.test(key)).sort();
    if (swckAnnotations.length > 0) evidence.push(`SWCK annotations ${swckAnnotations.join(", ")}`);
    if (pod.copiers.length > 0 && !skywalkingWords(findings.words).some(f => f.loadsAgent)) {
        evidence.push("no -javaagent in the spec: the image's start script loads the agent the initContainer copied");
    }
    if (rebuildImage) evidence.push("nothing in the spec loads the agent: the image does — rebuild it without SkyWalking");
    if (languageGuessed) evidence.push(`language guessed from image ${container.image ?? "(none)"}: only SW_* env to go by — correct it if wrong`);
    if (pod.otelReasons.length > 0) evidence.push(`also OpenTelemetry: ${pod.otelReasons.join("; ")} — two agents may load today`);
    if (findings.envIdentityValueFrom.length > 0) evidence.push(`${findings.envIdentityValueFrom.join(", ")} set with valueFrom (not copied)`);
    return evidence;
}

/** The exact words a person must decide, and the flag that records the decision. */
export function unresolvedAgentStep(containerName: string, found: Pick<Found, "where" | "envName" | "label" | "agentPath">): string {
    const path = found.agentPath ?? "";
    return `${containerName} ${describeWhere(found)} loads ${found.label}, whose path does not say whether it is SkyWalking: ` +
        `rerun discover with ${AGENT_FLAGS.skywalking} ${path} if it is (the flip removes it) or ${AGENT_FLAGS.notSkywalking} ${path} if not (it stays)`;
}

export function manualStepsFor(containerName: string, findings: ContainerFindings, pod: PodFacts): string[] {
    const steps: string[] = [];
    for (const env of findings.optionEnvValueFrom) {
        steps.push(`${containerName} env ${env.name} comes from ${env.source}: the operator cannot append its agent to it ` +
            "(injection is skipped) and discovery cannot see whether it loads SkyWalking — inline the value in the workload, then run discover again");
    }
    if (pod.copiers.length > 1) {
        steps.push(`${pod.copiers.length} initContainers copy SkyWalking (${pod.copiers.map(c => c.name).join(", ")}); only ${pod.copiers[0].name} is recorded — remove the others by hand`);
    }
    for (const copier of pod.copiers) {
        if (copier.sharedVolumes.length === 0) steps.push(`initContainer ${copier.name} shares no volume with ${containerName}: check which container loads the agent`);
    }
    for (const f of findings.words.filter(f => f.verdict === AgentVerdict.unresolved)) steps.push(unresolvedAgentStep(containerName, f));
    if (pod.others.length > 0) {
        steps.push(`containers ${pod.others.join(", ")} also carry SkyWalking; one inventory entry covers ${containerName} only`);
    }
    return steps;
}

/** For workloads without SkyWalking: what a reviewer should still know (an option variable hidden in a ConfigMap may hold the agent). */
export function quietNotes(findings: ContainerFindings, annotations: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): string[] {
    const notes = findings.optionEnvValueFrom.map(env => `env ${env.name} comes from ${env.source}: check it for -javaagent`);
    const swckAnnotations = Object.keys(annotations).filter(key => SWCK_ANNOTATION_DOMAIN.test(key)).sort();
    if (swckAnnotations.length > 0) {
        notes.push(`SWCK annotations without label ${SWCK_INJECT_LABEL}: "true" (it is ${JSON.stringify(labels[SWCK_INJECT_LABEL] ?? "unset")}): SWCK does not inject`);
    }
    return notes;
}
