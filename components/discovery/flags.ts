import { ANY_JAVAAGENT, IDENTITY_KEYS, IdentityField, NON_TRACING_JAVAAGENT, OTEL_JAVAAGENT, SKYWALKING_JAVAAGENT, SKYWALKING_PROPERTY } from "./patterns";

/** The SkyWalking switches found in one string (an env value, or one command/args element). */
export interface SkywalkingFlags {
    /** Agent jar paths from `-javaagent:` flags, in order. */
    readonly agentJars: readonly string[];
    /** `-Dskywalking.<key>` property keys, in order. */
    readonly propertyKeys: readonly string[];
    /** Service name, instance and namespace as these flags set them (agent options win over `-D`, as in the agent). */
    readonly identity: Partial<Record<IdentityField, string>>;
}

export function hasFlags(flags: SkywalkingFlags): boolean {
    return flags.agentJars.length > 0 || flags.propertyKeys.length > 0;
}

/** Finds `-javaagent:…skywalking…jar[=k=v,…]` and `-Dskywalking.*=…` in a JVM option string. */
export function scanJvmOptions(text: string): SkywalkingFlags {
    const agentJars: string[] = [];
    const fromOptions: Record<string, string> = {};
    for (const match of text.matchAll(SKYWALKING_JAVAAGENT)) {
        agentJars.push(match[1]);
        Object.assign(fromOptions, parseAgentOptions(match[2] ?? ""));
    }
    const propertyKeys: string[] = [];
    const fromProperties: Record<string, string> = {};
    for (const match of text.matchAll(SKYWALKING_PROPERTY)) {
        propertyKeys.push(match[1]);
        fromProperties[match[1]] = match[2] ?? match[3] ?? match[4] ?? "";
    }
    const identity: Partial<Record<IdentityField, string>> = {};
    for (const field of Object.keys(IDENTITY_KEYS) as IdentityField[]) {
        const key = IDENTITY_KEYS[field].option;
        const value = fromOptions[key] || fromProperties[key];
        if (value) identity[field] = value;
    }
    return { agentJars, propertyKeys, identity };
}

/** `-javaagent:agent.jar=agent.service_name=order,agent.namespace=shop` → `{agent.service_name: order, …}`. */
function parseAgentOptions(options: string): Record<string, string> {
    const parsed: Record<string, string> = {};
    for (const pair of options.split(",")) {
        const eq = pair.indexOf("=");
        if (eq > 0) parsed[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return parsed;
}

/** `-javaagent:` jars that are neither SkyWalking's, OpenTelemetry's nor a known metrics agent (another APM, or SkyWalking renamed). */
export function otherJavaAgents(text: string): string[] {
    const skywalking = new Set([...text.matchAll(SKYWALKING_JAVAAGENT)].map(m => m[1]));
    return [...text.matchAll(ANY_JAVAAGENT)].map(m => m[1]).filter(jar => !skywalking.has(jar) && !OTEL_JAVAAGENT.test(`-javaagent:${jar}`) && !NON_TRACING_JAVAAGENT.test(jar));
}

export function mentionsOtelJavaAgent(text: string): boolean {
    return OTEL_JAVAAGENT.test(text);
}

/** One line for the evidence list: `JAVA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar, -Dskywalking.agent.service_name`. */
export function describeFlags(where: string, flags: SkywalkingFlags): string {
    const parts = [
        ...flags.agentJars.map(jar => `-javaagent:${jar}`),
        ...flags.propertyKeys.map(key => `-Dskywalking.${key}`),
    ];
    return `${where}: ${parts.join(", ")}`;
}
