import { z } from "zod";
import { AgentVerdict, BackendSource, flippedContainer, LANGUAGES, recordedAgents, skywalkingRemains } from "../languages";
import { bridgeEntryProblems } from "./bridge";
import { AppMode, Language, WorkloadKind } from "./migration";

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not a valid env var name — use letters, digits and '_'");

/** Where the SkyWalking agent is switched on today, as discovery found it. */
export const agentLocationSchema = z.strictObject({
    env: z.array(envName).default([]).describe("Env vars whose value carries `-javaagent:…skywalking-agent.jar` or `-Dskywalking.*`."),
    args: z.boolean().default(false).describe("The container's `args` carry the flags."),
    command: z.boolean().default(false).describe("The container's `command` carries the flags (or `sw-python run`)."),
    initContainer: z.string().optional().describe("An initContainer that copies the agent into a shared volume; a start script in the image loads it."),
    swck: z.boolean().default(false).describe("SWCK's webhook injects the agent at pod creation because the pod template has label `swck-java-agent-injected: \"true\"`."),
}).describe("Where the SkyWalking agent is switched on today, as discovery found it.");

/**
 * The exact values skyshift changes, captured by discovery before the first flip, so flipping back
 * re-applies them byte for byte (deleting a Server-Side Apply patch would remove fields, not restore them).
 */
export const originalSchema = z.strictObject({
    env: z.record(envName, z.string()).default({}),
    args: z.array(z.string()).optional(),
    command: z.array(z.string()).optional(),
    initContainerCommand: z.array(z.string()).optional(),
    initContainerArgs: z.array(z.string()).optional(),
    image: z.string().optional(),
}).describe("The values before the first flip, re-applied byte for byte on flip back; required for every field named in `agentIn`.");

/** Where the SkyWalking agent's backend address is set, so the bridge flip rewrites that one value and nothing else. */
export const backendAddressSchema = z.strictObject({
    source: z.enum(BackendSource).describe(
        "`agentOption` (`-javaagent:…=collector.backend_service=…`), `systemProperty` (`-Dskywalking.collector.backend_service=…`), " +
        "`env` (`SW_AGENT_COLLECTOR_BACKEND_SERVICES`) or `agentDefault` (set nowhere in the spec: the agent's default, " +
        "`127.0.0.1:11800` for Java and Node.js). The strongest one present, as the Java agent ranks them."),
    where: z.enum(["env", "args", "command"]).optional().describe("The field that holds it: an env var (`envName`), `args` or `command`."),
    envName: envName.optional().describe("The env var that holds it, when `where` is `env`."),
    value: z.string().optional().describe("The address as discovered (for reviewers and status; flip back restores the field from `original`)."),
    valueFrom: z.boolean().optional().describe("The env var is set with `valueFrom` (a ConfigMap or Secret): bridge cannot rewrite it."),
}).describe("Where the SkyWalking agent's backend (OAP) address is set, as discovery found it; the `bridge` flip points that value at " +
    "the collector's `skywalking` receiver. See docs/detection.md.");

/** `namespace/workload`: a DNS label, a slash, a workload name. The one definition of an app key. */
export const APP_KEY_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;
export const appKeySchema = z.string().regex(APP_KEY_PATTERN, "is not namespace/workload — write the key as e.g. shop/order-service");

export const appModeSchema = z.enum(AppMode);

/** What discovery learns about one app: an entry of the inventory file (config/inventory.ts). People decide the mode elsewhere. */
export const inventoryEntrySchema = z.strictObject({
    kind: z.enum([WorkloadKind.Deployment, WorkloadKind.StatefulSet]).default("Deployment").describe("The workload's kind."),
    language: z.enum([Language.java, Language.python, Language.nodejs]).default(Language.java).describe("The agent's language."),
    container: z.string().regex(dnsLabel, "must be a container name — lowercase letters, digits and '-'").optional()
        .describe("The container that loads the agent (discovery writes it); required for a flip."),
    agentIn: agentLocationSchema.prefault({}),
    serviceName: z.string().min(1).optional().describe("SkyWalking's service name (SW_AGENT_NAME), kept as OTEL_SERVICE_NAME."),
    instanceName: z.string().min(1).optional().describe("SkyWalking's instance name, kept as `service.instance.id`."),
    serviceNamespace: z.string().min(1).optional().describe("SkyWalking's namespace, kept as `service.namespace`."),
    original: originalSchema.prefault({}),
    backendAddress: backendAddressSchema.optional(),
    agents: z.record(z.string().min(1), z.enum([AgentVerdict.skywalking, AgentVerdict.other, AgentVerdict.unresolved])).optional()
        .describe("Agents whose path does not say whether they are SkyWalking, by path, as decided: `skywalking` (the flip " +
            "removes it), `other` (it stays) or `unresolved` (discovery could not tell; no flip to otel until decided)."),
    rebuildImage: z.boolean().default(false).describe("The image itself loads SkyWalking: rebuild it without the agent (see docs/image-rebuild.md)."),
    evidence: z.array(z.string()).default([]).describe("Why discovery classified the app this way (kept for reviewers; not used by the program)."),
}).describe("One app, keyed `namespace/workload`: what discovery found.");

export type InventoryEntry = z.output<typeof inventoryEntrySchema>;

/** One app as the program sees it: its inventory entry and the mode people chose. */
export const appSchema = inventoryEntrySchema.extend({ mode: appModeSchema });

export type AppConfig = z.output<typeof appSchema>;

/** Apps keyed `namespace/workload`, the name people flip with `pulumi config set --path 'apps["ns/name"].mode' otel`. */
export type AppsConfig = Readonly<Record<string, AppConfig>>;

export function splitAppKey(key: string): { namespace: string; name: string } {
    const [namespace, name] = key.split("/");
    return { namespace, name };
}

/**
 * What a flip needs beyond the schema, one problem per line in the project's format: the container to patch
 * and the original value of every field skyshift rewrites, so flipping back can restore it byte for byte.
 */
export function appFlipProblems(key: string, app: AppConfig, where = ""): string[] {
    const at = (path: string) => `${where}apps[${JSON.stringify(key)}]${path}`;
    const problems: string[] = [];
    if (!app.container) problems.push(`${at(".container")}: is required — name the container that loads the agent (discovery writes it)`);
    const restore = "is required — the value before the first flip, restored on flip back (run discovery or copy it from the live workload)";
    for (const name of app.agentIn.env) {
        if (app.original.env[name] === undefined) problems.push(`${at(`.original.env.${name}`)}: ${restore}`);
    }
    if (app.agentIn.args && !app.original.args) problems.push(`${at(".original.args")}: ${restore}`);
    if (app.agentIn.command && !app.original.command) problems.push(`${at(".original.command")}: ${restore}`);
    if (app.mode === AppMode.bridge) problems.push(...bridgeEntryProblems(app, at));
    if (app.mode !== AppMode.otel) return problems;
    for (const [path, verdict] of Object.entries(app.agents ?? {})) {
        if (verdict !== AgentVerdict.unresolved) continue;
        problems.push(`${at(`.agents[${JSON.stringify(path)}]`)}: is unresolved — discovery could not tell whether agent ${path} is SkyWalking, ` +
            `so ${key} cannot be flipped to otel. Rerun discover with --skywalking-agent ${path} or --not-skywalking-agent ${path} ` +
            `(delete this entry's agents key first: discovery keeps keys already written), or set it by hand in the inventory file: ` +
            `agents: {${JSON.stringify(path)}: skywalking} (or other)`);
    }
    return problems.length > 0 ? problems : skywalkingLeftProblems(key, app, where);
}

/**
 * Runs the app's language detection on the container the flip produces: anything SkyWalking left in it would
 * load next to the OpenTelemetry agent, which the OpenTelemetry Java agent does not support
 * (open-telemetry/opentelemetry-java-instrumentation#7594).
 */
export function skywalkingLeftProblems(key: string, app: AppConfig, where = ""): string[] {
    const module = LANGUAGES[app.language];
    const flipped = flippedContainer(app);
    const optionEnvNames = [...module.optionEnvNames, ...Object.keys(app.original.env)];
    return skywalkingRemains(module, flipped, recordedAgents(app.agents ?? {}), optionEnvNames).map(found => {
        const field = found.where === "env" ? `original.env.${found.envName}` : `original.${found.where}`;
        const fix = found.where === "env" ? `add ${found.envName} to apps[${JSON.stringify(key)}].agentIn.env so the flip rewrites it` : "run discover again for this app";
        return `${where}apps[${JSON.stringify(key)}].${field}: in otel mode ${found.words.join(" ")} still loads SkyWalking next to the OpenTelemetry agent — ${fix}`;
    });
}
