/**
 * The benchmark's fleet: N Java Deployments in the three common wirings discovery knows (the SkyWalking agent in
 * `CATALINA_OPTS`, in `JAVA_TOOL_OPTIONS`, or in `args`), and the inventory discovery writes for them.
 * Deployments are created paused: the controller makes no ReplicaSet or pod for them, so N can be thousands
 * on the lab's simulated nodes, and discovery and the flip only read and patch the Deployment itself.
 */
const AGENT = "-javaagent:/skywalking/agent/skywalking-agent.jar";
const CATALINA_OPTS = `-Xms512m ${AGENT} -Dskywalking.collector.backend_service=oap:11800 -Dfile.encoding=UTF-8`;

type Pattern = "catalina" | "javaToolOptions" | "args";
const PATTERNS: readonly Pattern[] = ["catalina", "javaToolOptions", "args"];

export function appName(index: number): string {
    return `app-${String(index).padStart(5, "0")}`;
}

function pattern(index: number): Pattern {
    return PATTERNS[index % PATTERNS.length];
}

function container(name: string, kind: Pattern): Record<string, unknown> {
    const image = `registry.lab/fleet/${name}:1.0`;
    const swName = { name: "SW_AGENT_NAME", value: name };
    if (kind === "catalina") return { name, image, env: [swName, { name: "CATALINA_OPTS", value: CATALINA_OPTS }] };
    if (kind === "javaToolOptions") return { name, image, env: [swName, { name: "JAVA_TOOL_OPTIONS", value: AGENT }] };
    return { name, image, command: ["java"], args: [AGENT, "-jar", "/app/app.jar"], env: [swName] };
}

/** The Deployments, as objects for a server-side apply. */
export function fleetDeployments(namespace: string, count: number): Record<string, unknown>[] {
    return Array.from({ length: count }, (_, i) => {
        const name = appName(i);
        return {
            apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace },
            spec: {
                paused: true, replicas: 1, selector: { matchLabels: { app: name } },
                template: { metadata: { labels: { app: name } }, spec: { containers: [container(name, pattern(i))] } },
            },
        };
    });
}

/** The inventory file discovery writes for those Deployments (for the evaluation benchmark, which runs without a cluster). */
export function generatedInventory(namespace: string, count: number): Record<string, unknown> {
    return { apiVersion: "skyshift/v1", kind: "Inventory", apps: inventoryApps(namespace, count) };
}

function inventoryApps(namespace: string, count: number): Record<string, unknown> {
    return Object.fromEntries(Array.from({ length: count }, (_, i) => {
        const name = appName(i);
        const kind = pattern(i);
        const base = { kind: "Deployment", language: "java", container: name, serviceName: name };
        const app = kind === "catalina" ? { ...base, agentIn: { env: ["CATALINA_OPTS"] }, original: { env: { CATALINA_OPTS } } }
            : kind === "javaToolOptions" ? { ...base, agentIn: { env: ["JAVA_TOOL_OPTIONS"] }, original: { env: { JAVA_TOOL_OPTIONS: AGENT } } }
            : { ...base, agentIn: { args: true }, original: { args: [AGENT, "-jar", "/app/app.jar"] } };
        return [`${namespace}/${name}`, app];
    }));
}
