import type { V1Container } from "@kubernetes/client-node";
import type { AppConfig } from "../../config/apps";
import { Language } from "../../config/migration";
import { INJECT_ANNOTATION } from "../constants";
import { containerHasSkywalking, ContainerFindings, scanContainer } from "./container";
import { describeFlags } from "./flags";
import { resolveIdentity } from "./identity";
import { AgentCopier, describeCopier, findAgentCopiers } from "./init-containers";
import {
    DEFAULT_JVM_OPTION_ENV_NAMES, DEFAULT_SIDECAR_NAMES, SWCK_ANNOTATION_DOMAIN, SWCK_CONTAINER_ANNOTATION,
    SWCK_INJECT_LABEL, SWCK_SERVICE_NAME_ANNOTATION,
} from "./patterns";
import { desiredReplicas, Workload, WorkloadKind, workloadRef, WorkloadRef } from "./workload";

export interface DetectOptions {
    /** Env vars read as JVM options. @default DEFAULT_JVM_OPTION_ENV_NAMES */
    readonly jvmOptionEnvNames: readonly string[];
    /** Container names that are never the app. @default DEFAULT_SIDECAR_NAMES */
    readonly sidecarNames: readonly string[];
}

export const DEFAULT_DETECT_OPTIONS: DetectOptions = {
    jvmOptionEnvNames: DEFAULT_JVM_OPTION_ENV_NAMES,
    sidecarNames: DEFAULT_SIDECAR_NAMES,
};

/** An inventory entry as discovery writes it; `mode` is the person's to set, so it is not here. */
export type DiscoveredApp = Omit<AppConfig, "mode">;

export const Verdict = { skywalking: "skywalking", otel: "otel", none: "none", skipped: "skipped" } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export type Detection =
    | (WorkloadRef & { readonly verdict: "skywalking"; readonly app: DiscoveredApp; readonly manualSteps: readonly string[] })
    | (WorkloadRef & { readonly verdict: "otel"; readonly reasons: readonly string[] })
    | (WorkloadRef & { readonly verdict: "none"; readonly notes: readonly string[] })
    | (WorkloadRef & { readonly verdict: "skipped"; readonly reason: string });

/** Prefix of evidence lines that a person must act on before flipping the app. */
export const MANUAL_STEP = "manual step: ";

/** Classifies one workload. Pure: reads only the object it is given. */
export function detectWorkload(kind: WorkloadKind, workload: Workload, options: DetectOptions = DEFAULT_DETECT_OPTIONS): Detection {
    const ref = workloadRef(kind, workload);
    const replicas = desiredReplicas(workload);
    if (replicas <= 0) return { ...ref, verdict: Verdict.skipped, reason: `replicas: ${replicas} — nothing runs, nothing to migrate` };
    const template = workload.spec?.template;
    const containers = template?.spec?.containers ?? [];
    const sidecars = new Set(options.sidecarNames);
    const candidates = containers.filter(c => !sidecars.has(c.name));
    if (candidates.length === 0) {
        return { ...ref, verdict: Verdict.skipped, reason: `only sidecar containers (${containers.map(c => c.name).join(", ") || "none"})` };
    }
    const labels = template?.metadata?.labels ?? {};
    const annotations = template?.metadata?.annotations ?? {};
    const initContainers = template?.spec?.initContainers ?? [];
    const scanned = candidates.map(container => ({ container, findings: scanContainer(container, options.jvmOptionEnvNames) }));
    const chosen = chooseAppContainer(scanned, initContainers, annotations[SWCK_CONTAINER_ANNOTATION]);
    const copiers = findAgentCopiers(initContainers, chosen.container);
    const swck = labels[SWCK_INJECT_LABEL] === "true";
    const otelReasons = [...chosen.findings.otel, ...otelAnnotations(annotations)];

    if (!containerHasSkywalking(chosen.findings) && copiers.length === 0 && !swck) {
        if (otelReasons.length > 0) return { ...ref, verdict: Verdict.otel, reasons: otelReasons };
        return { ...ref, verdict: Verdict.none, notes: quietNotes(chosen.findings, annotations, labels) };
    }
    const others = scanned.filter(s => s !== chosen && containerHasSkywalking(s.findings)).map(s => s.container.name);
    return classify(ref, chosen.container, chosen.findings, { copiers, swck, annotations, otelReasons, others });
}

interface PodFacts {
    readonly copiers: readonly AgentCopier[];
    readonly swck: boolean;
    readonly annotations: Readonly<Record<string, string>>;
    readonly otelReasons: readonly string[];
    /** Other non-sidecar containers that also carry SkyWalking. */
    readonly others: readonly string[];
}

function classify(ref: WorkloadRef, container: V1Container, findings: ContainerFindings, pod: PodFacts): Detection {
    const copier = pod.copiers[0];
    const envNames = findings.jvmEnv.map(e => e.name);
    if (findings.nodeAgent === "NODE_OPTIONS") envNames.push("NODE_OPTIONS");
    const inArgs = findings.args !== undefined || findings.swPython === "args" || findings.nodeAgent === "args";
    const inCommand = findings.command !== undefined || findings.swPython === "command" || findings.nodeAgent === "command";
    const loadsAgentFromSpec = findings.jvmEnv.some(e => e.flags.agentJars.length > 0)
        || (findings.args?.agentJars.length ?? 0) > 0 || (findings.command?.agentJars.length ?? 0) > 0
        || findings.swPython !== undefined || findings.nodeAgent !== undefined
        || findings.unknownEnvWithFlags.length > 0 || copier !== undefined || pod.swck
        // A JVM-option variable from a ConfigMap or Secret may well load the agent: a manual step, not a rebuild.
        || findings.jvmEnvValueFrom.length > 0;
    const rebuildImage = !loadsAgentFromSpec;
    const identity = resolveIdentity(findings, pod.annotations[SWCK_SERVICE_NAME_ANNOTATION]);
    const manualSteps = manualStepsFor(container.name, findings, pod);
    const app: DiscoveredApp = {
        kind: ref.kind,
        language: languageOf(container, findings, copier, pod.swck),
        container: container.name,
        agentIn: { env: envNames, args: inArgs, command: inCommand, initContainer: copier?.name, swck: pod.swck },
        ...identity,
        original: {
            env: Object.fromEntries(envNames.map(name => [name, container.env?.find(v => v.name === name)?.value ?? ""])),
            args: inArgs ? container.args : undefined,
            command: inCommand ? container.command : undefined,
            initContainerCommand: copier?.command,
            initContainerArgs: copier?.args,
            image: rebuildImage ? container.image : undefined,
        },
        rebuildImage,
        evidence: [...evidenceFor(container, findings, pod, rebuildImage), ...manualSteps.map(step => MANUAL_STEP + step)],
    };
    return { ...ref, verdict: Verdict.skywalking, app: withoutUndefined(app), manualSteps };
}

/** The container with SkyWalking in it; else the one SWCK is told to inject, the one an agent copier feeds, or the first. */
function chooseAppContainer(
    scanned: readonly { container: V1Container; findings: ContainerFindings }[],
    initContainers: readonly V1Container[],
    swckContainer: string | undefined,
): { container: V1Container; findings: ContainerFindings } {
    return scanned.find(s => containerHasSkywalking(s.findings))
        ?? scanned.find(s => s.container.name === swckContainer)
        ?? scanned.find(s => findAgentCopiers(initContainers, s.container).some(c => c.sharedVolumes.length > 0))
        ?? scanned[0];
}

function languageOf(container: V1Container, findings: ContainerFindings, copier: AgentCopier | undefined, swck: boolean): Language {
    if (findings.swPython) return Language.python;
    if (findings.nodeAgent) return Language.nodejs;
    const jvm = findings.jvmEnv.length > 0 || findings.jvmEnvValueFrom.length > 0 || findings.otherAgents.length > 0
        || findings.args !== undefined || findings.command !== undefined || copier !== undefined || swck;
    if (jvm) return Language.java;
    return guessLanguageFromImage(container.image ?? "");
}

function languageIsGuessed(findings: ContainerFindings, pod: PodFacts): boolean {
    return findings.swEnv.length > 0 && findings.jvmEnv.length === 0 && findings.jvmEnvValueFrom.length === 0 && findings.otherAgents.length === 0
        && findings.args === undefined && findings.command === undefined && !findings.swPython && !findings.nodeAgent
        && findings.unknownEnvWithFlags.length === 0 && pod.copiers.length === 0 && !pod.swck;
}

/** Only `SW_*` env to go by: the image name is the best remaining hint; Java is what most SkyWalking fleets run. */
function guessLanguageFromImage(image: string): Language {
    if (/python|django|flask|gunicorn|uvicorn/i.test(image)) return Language.python;
    if (/node/i.test(image)) return Language.nodejs;
    return Language.java;
}

function evidenceFor(container: V1Container, findings: ContainerFindings, pod: PodFacts, rebuildImage: boolean): string[] {
    const evidence: string[] = [];
    for (const env of findings.jvmEnv) evidence.push(describeFlags(`env ${env.name}`, env.flags));
    for (const env of findings.unknownEnvWithFlags) evidence.push(describeFlags(`env ${env.name} (not a JVM-option variable)`, env.flags));
    if (findings.command) evidence.push(describeFlags("command", findings.command));
    if (findings.args) evidence.push(describeFlags("args", findings.args));
    if (findings.swPython) evidence.push(`${findings.swPython}: sw-python run`);
    if (findings.nodeAgent) evidence.push(`${findings.nodeAgent} requires skywalking-backend-js`);
    if (findings.swEnv.length > 0) evidence.push(`env ${findings.swEnv.join(", ")}`);
    for (const copier of pod.copiers) evidence.push(describeCopier(copier, container.name));
    if (pod.swck) evidence.push(`label ${SWCK_INJECT_LABEL}: "true" — SWCK injects the agent when pods are created`);
    // Sorted: the API server returns annotations in key order, whatever order the manifest had.
    const swckAnnotations = Object.keys(pod.annotations).filter(key => SWCK_ANNOTATION_DOMAIN.test(key)).sort();
    if (swckAnnotations.length > 0) evidence.push(`SWCK annotations ${swckAnnotations.join(", ")}`);
    if (pod.copiers.length > 0 && !hasAgentFlag(findings)) {
        evidence.push("no -javaagent in the spec: the image's start script loads the agent the initContainer copied");
    }
    if (rebuildImage) evidence.push("nothing in the spec loads the agent: the image does — rebuild it without SkyWalking");
    if (languageIsGuessed(findings, pod)) evidence.push(`language guessed from image ${container.image ?? "(none)"}: only SW_* env to go by — correct it if wrong`);
    if (pod.otelReasons.length > 0) evidence.push(`also OpenTelemetry: ${pod.otelReasons.join("; ")} — two agents may load today`);
    if (findings.envIdentityValueFrom.length > 0) evidence.push(`${findings.envIdentityValueFrom.join(", ")} set with valueFrom (not copied)`);
    return evidence;
}

function hasAgentFlag(findings: ContainerFindings): boolean {
    return findings.jvmEnv.some(e => e.flags.agentJars.length > 0) || (findings.command?.agentJars.length ?? 0) > 0
        || (findings.args?.agentJars.length ?? 0) > 0;
}

function manualStepsFor(containerName: string, findings: ContainerFindings, pod: PodFacts): string[] {
    const steps: string[] = [];
    for (const env of findings.jvmEnvValueFrom) {
        steps.push(`${containerName} env ${env.name} comes from ${env.source}: the operator cannot append its agent to it ` +
            "(injection is skipped) and discovery cannot see whether it loads SkyWalking — inline the value in the workload, then run discover again");
    }
    for (const { name } of findings.unknownEnvWithFlags) {
        steps.push(`${containerName} env ${name} carries SkyWalking flags but is not a JVM-option variable — rerun discover with --jvm-env ${name}`);
    }
    if (pod.copiers.length > 1) {
        steps.push(`${pod.copiers.length} initContainers copy SkyWalking (${pod.copiers.map(c => c.name).join(", ")}); only ${pod.copiers[0].name} is recorded — remove the others by hand`);
    }
    for (const copier of pod.copiers) {
        if (copier.sharedVolumes.length === 0) steps.push(`initContainer ${copier.name} shares no volume with ${containerName}: check which container loads the agent`);
    }
    if (!hasAgentFlag(findings)) {
        for (const agent of findings.otherAgents) {
            steps.push(`${containerName} ${agent.where} loads -javaagent:${agent.jar}, whose path does not name SkyWalking: ` +
                "if it is the SkyWalking agent, the flip cannot remove it — check the image before flipping");
        }
    }
    if (pod.others.length > 0) {
        steps.push(`containers ${pod.others.join(", ")} also carry SkyWalking; one inventory entry covers ${containerName} only`);
    }
    return steps;
}

/** For workloads without SkyWalking: what a reviewer should still know (a JVM option hidden in a ConfigMap may hold the agent). */
function quietNotes(findings: ContainerFindings, annotations: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): string[] {
    const notes = findings.jvmEnvValueFrom.map(env => `env ${env.name} comes from ${env.source}: check it for -javaagent`);
    const swckAnnotations = Object.keys(annotations).filter(key => SWCK_ANNOTATION_DOMAIN.test(key)).sort();
    if (swckAnnotations.length > 0) {
        notes.push(`SWCK annotations without label ${SWCK_INJECT_LABEL}: "true" (it is ${JSON.stringify(labels[SWCK_INJECT_LABEL] ?? "unset")}): SWCK does not inject`);
    }
    return notes;
}

function otelAnnotations(annotations: Readonly<Record<string, string>>): string[] {
    return Object.values(INJECT_ANNOTATION)
        .filter(key => annotations[key] !== undefined && annotations[key] !== "false")
        .map(key => `annotation ${key}: ${JSON.stringify(annotations[key])}`);
}

/** YAML and zod both treat absent and `undefined` differently from "not there": drop the `undefined`s. */
function withoutUndefined<T extends object>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}
