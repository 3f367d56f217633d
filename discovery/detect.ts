import type { V1Container } from "@kubernetes/client-node";
import type { AppConfig } from "../config/apps";
import { Language } from "../config/migration";
import { copiesSkywalkingAgent, findBackendAddress, java, LANGUAGES, recordedAgents, SWCK_CONTAINER_ANNOTATION, SWCK_INJECT_LABEL, SWCK_SERVICE_NAME_ANNOTATION } from "../languages";
import { agentRules } from "./agent-globs";
import { containerHasSkywalking, ContainerFindings, scanContainer, skywalkingWords } from "./container";
import { evidenceFor, loadsAgentFromSpec, manualStepsFor, PodFacts, quietNotes } from "./evidence";
import { AgentCopier, findAgentCopiers } from "./init-containers";
import { desiredReplicas, Workload, WorkloadKind, workloadRef, WorkloadRef } from "./workload";

export interface DetectOptions {
    /** Env vars read as options beyond each language's own (JAVA_OPTS, NODE_OPTIONS, …). @default [] */
    readonly optionEnvNames: readonly string[];
    /** Container names that are never the app. @default DEFAULT_SIDECAR_NAMES */
    readonly sidecarNames: readonly string[];
    /** Agent paths (globs) a person says are SkyWalking (`--skywalking-agent`). @default [] */
    readonly skywalkingAgents: readonly string[];
    /** Agent paths (globs) a person says are not SkyWalking (`--not-skywalking-agent`). @default [] */
    readonly notSkywalkingAgents: readonly string[];
}

/** Containers that are never the app: service-mesh proxies, log shippers, collectors. */
export const DEFAULT_SIDECAR_NAMES: readonly string[] = [
    "istio-proxy", "linkerd-proxy", "envoy", "fluent-bit", "fluentbit", "fluentd", "filebeat", "promtail", "vector", "jaeger-agent", "otc-container",
];

/** The JVM-option env vars the Java module reads, for commands that extend them. */
export const DEFAULT_JVM_OPTION_ENV_NAMES: readonly string[] = java.optionEnvNames;

export const DEFAULT_DETECT_OPTIONS: DetectOptions = {
    optionEnvNames: [],
    sidecarNames: DEFAULT_SIDECAR_NAMES,
    skywalkingAgents: [],
    notSkywalkingAgents: [],
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
    const swck = labels[SWCK_INJECT_LABEL] === "true";
    const rules = agentRules(options, swck || initContainers.some(copiesSkywalkingAgent));
    const scanned = candidates.map(container => ({ container, findings: scanContainer(container, options.optionEnvNames, rules) }));
    const chosen = chooseAppContainer(scanned, initContainers, annotations[SWCK_CONTAINER_ANNOTATION]);
    const copiers = findAgentCopiers(initContainers, chosen.container);
    const otelReasons = [...chosen.findings.otel, ...otelAnnotations(annotations)];

    if (!containerHasSkywalking(chosen.findings) && copiers.length === 0 && !swck) {
        if (otelReasons.length > 0) return { ...ref, verdict: Verdict.otel, reasons: otelReasons };
        return { ...ref, verdict: Verdict.none, notes: quietNotes(chosen.findings, annotations, labels) };
    }
    const others = scanned.filter(s => s !== chosen && containerHasSkywalking(s.findings)).map(s => s.container.name);
    return classify(ref, chosen.container, chosen.findings, { copiers, swck, annotations, otelReasons, others });
}

function classify(ref: WorkloadRef, container: V1Container, findings: ContainerFindings, pod: PodFacts): Detection {
    const copier = pod.copiers[0];
    const words = skywalkingWords(findings.words);
    const envNames = [...new Set(words.filter(f => f.where === "env").map(f => f.envName as string))];
    const inArgs = words.some(f => f.where === "args");
    const inCommand = words.some(f => f.where === "command");
    const rebuildImage = !loadsAgentFromSpec(findings, pod);
    const language = languageOf(container, findings, copier, pod.swck);
    const identity = { ...findings.envIdentity, ...swckIdentity(pod.annotations), ...LANGUAGES[language].identity(findings.words) };
    const agents = Object.fromEntries(findings.words.flatMap(f => f.agentPath !== undefined ? [[f.agentPath, f.verdict]] : []));
    const manualSteps = manualStepsFor(container.name, findings, pod);
    const app: DiscoveredApp = {
        kind: ref.kind,
        language,
        container: container.name,
        agentIn: { env: envNames, args: inArgs, command: inCommand, initContainer: copier?.name, swck: pod.swck },
        ...identity,
        original: {
            env: Object.fromEntries(envNames.map(name => [name, container.env?.find(v => v.name === name)?.value ?? ""])),
            // Both halves of argv whenever either holds the agent: `sh -c` in command makes args a script.
            args: inArgs || inCommand ? container.args : undefined,
            command: inArgs || inCommand ? container.command : undefined,
            initContainerCommand: copier?.command,
            initContainerArgs: copier?.args,
            image: rebuildImage ? container.image : undefined,
        },
        // The unresolved agents are not the app's SkyWalking until someone decides; read the address from the decided ones.
        backendAddress: findBackendAddress(LANGUAGES[language], container, recordedAgents(agents)),
        ...(Object.keys(agents).length > 0 && { agents }),
        rebuildImage,
        evidence: [...evidenceFor(container, findings, pod, rebuildImage, languageIsGuessed(findings, pod)), ...manualSteps.map(step => MANUAL_STEP + step)],
    };
    return { ...ref, verdict: Verdict.skywalking, app: withoutUndefined(app), manualSteps };
}

/** SWCK turns its service-name annotation into an agent option: it wins over `SW_*` env, loses to the flags. */
function swckIdentity(annotations: Readonly<Record<string, string>>): { serviceName?: string } {
    const name = annotations[SWCK_SERVICE_NAME_ANNOTATION];
    return name ? { serviceName: name } : {};
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

/** The language whose words were found; an agent copier or SWCK means Java (both copy the Java agent). */
function languageOf(container: V1Container, findings: ContainerFindings, copier: AgentCopier | undefined, swck: boolean): Language {
    if (findings.module) return findings.module.language;
    if (findings.optionEnvValueFrom.length > 0 || copier !== undefined || swck) return Language.java;
    return guessLanguageFromImage(container.image ?? "");
}

function languageIsGuessed(findings: ContainerFindings, pod: PodFacts): boolean {
    return findings.module === undefined && findings.optionEnvValueFrom.length === 0 && pod.copiers.length === 0 && !pod.swck;
}

/** Only `SW_*` env to go by: the image name is the best remaining hint; Java is what most SkyWalking fleets run. */
function guessLanguageFromImage(image: string): Language {
    if (/python|django|flask|gunicorn|uvicorn/i.test(image)) return Language.python;
    if (/node/i.test(image)) return Language.nodejs;
    return Language.java;
}

function otelAnnotations(annotations: Readonly<Record<string, string>>): string[] {
    return Object.values(LANGUAGES).map(module => module.otel.annotation)
        .filter(key => annotations[key] !== undefined && annotations[key] !== "false")
        .map(key => `annotation ${key}: ${JSON.stringify(annotations[key])}`);
}

/** YAML and zod both treat absent and `undefined` differently from "not there": drop the `undefined`s. */
function withoutUndefined<T extends object>(value: T): T {
    return JSON.parse(JSON.stringify(value)) as T;
}
