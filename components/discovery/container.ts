import type { V1Container, V1EnvVar } from "@kubernetes/client-node";
import { hasFlags, mentionsOtelJavaAgent, otherJavaAgents, scanJvmOptions, SkywalkingFlags } from "./flags";
import { IDENTITY_KEYS, IdentityField, SKYWALKING_ENV_PREFIX, SKYWALKING_NODE_PACKAGE, SW_PYTHON_RUN } from "./patterns";

/** Everything SkyWalking-related in one container, before deciding what the app is. */
export interface ContainerFindings {
    /** JVM-option env vars (known names) with plain values carrying SkyWalking flags, in env order. */
    readonly jvmEnv: readonly { name: string; value: string; flags: SkywalkingFlags }[];
    /** Env vars with SkyWalking flags whose names are not JVM-option names: something reads them, but discovery cannot tell what. */
    readonly unknownEnvWithFlags: readonly { name: string; flags: SkywalkingFlags }[];
    /** JVM-option env vars set with `valueFrom`: their text is invisible here and the operator cannot append to them. */
    readonly jvmEnvValueFrom: readonly { name: string; source: string }[];
    readonly args?: SkywalkingFlags;
    readonly command?: SkywalkingFlags;
    /** Where `sw-python run` sits, if anywhere. */
    readonly swPython?: "command" | "args";
    /** Where the Node.js agent is required from, if anywhere (`NODE_OPTIONS`, `command`, `args`). */
    readonly nodeAgent?: string;
    /** Names of `SW_*` env vars, in order. */
    readonly swEnv: readonly string[];
    /** Identity from plain `SW_*` values. */
    readonly envIdentity: Partial<Record<IdentityField, string>>;
    /** Identity `SW_*` vars set with `valueFrom` (their value is per pod or in another object). */
    readonly envIdentityValueFrom: readonly string[];
    /** Other `-javaagent:` jars, with where they are (`env JAVA_OPTS`, `command`, `args`). */
    readonly otherAgents: readonly { where: string; jar: string }[];
    /** Why this container already looks OpenTelemetry-instrumented. */
    readonly otel: readonly string[];
}

export function scanContainer(container: V1Container, jvmOptionEnvNames: readonly string[]): ContainerFindings {
    const env = container.env ?? [];
    const jvmNames = new Set(jvmOptionEnvNames);
    const jvmEnv: { name: string; value: string; flags: SkywalkingFlags }[] = [];
    const unknownEnvWithFlags: { name: string; flags: SkywalkingFlags }[] = [];
    const jvmEnvValueFrom: { name: string; source: string }[] = [];
    const otel: string[] = [];
    const otherAgents: { where: string; jar: string }[] = [];
    for (const variable of env) {
        if (variable.valueFrom) {
            if (jvmNames.has(variable.name)) jvmEnvValueFrom.push({ name: variable.name, source: describeValueFrom(variable) });
            continue;
        }
        const value = variable.value ?? "";
        const flags = scanJvmOptions(value);
        if (hasFlags(flags)) {
            if (jvmNames.has(variable.name)) jvmEnv.push({ name: variable.name, value, flags });
            else unknownEnvWithFlags.push({ name: variable.name, flags });
        }
        if (mentionsOtelJavaAgent(value)) otel.push(`${variable.name} loads the OpenTelemetry Java agent`);
        if (jvmNames.has(variable.name)) otherAgents.push(...otherJavaAgents(value).map(jar => ({ where: `env ${variable.name}`, jar })));
    }
    const commandLine = container.command ?? [];
    const argsLine = container.args ?? [];
    const commandFlags = scanJvmOptions(commandLine.join(" "));
    const argsFlags = scanJvmOptions(argsLine.join(" "));
    const nodeOptions = env.find(v => v.name === "NODE_OPTIONS")?.value ?? "";
    otherAgents.push(...otherJavaAgents(commandLine.join(" ")).map(jar => ({ where: "command", jar })),
        ...otherJavaAgents(argsLine.join(" ")).map(jar => ({ where: "args", jar })));
    return {
        jvmEnv,
        unknownEnvWithFlags,
        jvmEnvValueFrom,
        command: hasFlags(commandFlags) ? commandFlags : undefined,
        args: hasFlags(argsFlags) ? argsFlags : undefined,
        swPython: SW_PYTHON_RUN.test(commandLine.join(" ")) ? "command" : SW_PYTHON_RUN.test(argsLine.join(" ")) ? "args" : undefined,
        nodeAgent: SKYWALKING_NODE_PACKAGE.test(nodeOptions) ? "NODE_OPTIONS"
            : SKYWALKING_NODE_PACKAGE.test(commandLine.join(" ")) ? "command"
            : SKYWALKING_NODE_PACKAGE.test(argsLine.join(" ")) ? "args" : undefined,
        swEnv: env.filter(v => v.name.startsWith(SKYWALKING_ENV_PREFIX)).map(v => v.name),
        ...envIdentity(env),
        otherAgents,
        otel: [...otel, ...otelEnv(env)],
    };
}

function envIdentity(env: readonly V1EnvVar[]): Pick<ContainerFindings, "envIdentity" | "envIdentityValueFrom"> {
    const identity: Partial<Record<IdentityField, string>> = {};
    const valueFrom: string[] = [];
    for (const field of Object.keys(IDENTITY_KEYS) as IdentityField[]) {
        for (const name of IDENTITY_KEYS[field].env) {
            const variable = env.find(v => v.name === name);
            if (!variable) continue;
            if (variable.valueFrom) valueFrom.push(name);
            else if (variable.value) identity[field] = variable.value;
        }
    }
    return { envIdentity: identity, envIdentityValueFrom: valueFrom };
}

/** OTEL_SERVICE_NAME / OTEL_EXPORTER_OTLP_* set by hand mean someone already wired OpenTelemetry here. */
function otelEnv(env: readonly V1EnvVar[]): string[] {
    return env.filter(v => v.name === "OTEL_SERVICE_NAME" || v.name.startsWith("OTEL_EXPORTER_OTLP_")).map(v => `${v.name} is set`);
}

function describeValueFrom(variable: V1EnvVar): string {
    const from = variable.valueFrom;
    if (from?.configMapKeyRef) return `configMapKeyRef ${from.configMapKeyRef.name}/${from.configMapKeyRef.key}`;
    if (from?.secretKeyRef) return `secretKeyRef ${from.secretKeyRef.name}/${from.secretKeyRef.key}`;
    if (from?.fieldRef) return `fieldRef ${from.fieldRef.fieldPath}`;
    if (from?.resourceFieldRef) return `resourceFieldRef ${from.resourceFieldRef.resource}`;
    return "valueFrom";
}

/** True when anything in the container points at SkyWalking. */
export function containerHasSkywalking(findings: ContainerFindings): boolean {
    return findings.jvmEnv.length > 0 || findings.unknownEnvWithFlags.length > 0 || findings.args !== undefined
        || findings.command !== undefined || findings.swPython !== undefined || findings.nodeAgent !== undefined
        || findings.swEnv.length > 0;
}
