import { z } from "zod";
import { AppMode, Language } from "./migration";

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "is not a valid env var name — use letters, digits and '_'");

/** Where the SkyWalking agent is switched on today, as discovery found it. */
export const agentLocationSchema = z.strictObject({
    /** Env vars whose value carries `-javaagent:…skywalking-agent.jar` or `-Dskywalking.*`. */
    env: z.array(envName).default([]),
    /** The container's `args` carry the flags. */
    args: z.boolean().default(false),
    /** The container's `command` carries the flags (or `sw-python run`). */
    command: z.boolean().default(false),
    /** An initContainer that copies the agent into a shared volume; a start script in the image loads it (seed 002). */
    initContainer: z.string().optional(),
    /** SWCK's webhook injects the agent at pod creation because the pod template has label `swck-java-agent-injected: "true"`. */
    swck: z.boolean().default(false),
});

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
});

export const appSchema = z.strictObject({
    mode: z.enum([AppMode.skywalking, AppMode.otel]),
    kind: z.enum(["Deployment", "StatefulSet"]).default("Deployment"),
    language: z.enum([Language.java, Language.python, Language.nodejs]).default(Language.java),
    /** The container that loads the agent (discovery writes it); required for a flip. */
    container: z.string().regex(dnsLabel, "must be a container name — lowercase letters, digits and '-'").optional(),
    agentIn: agentLocationSchema.prefault({}),
    /** SkyWalking's service name (SW_AGENT_NAME), kept as OTEL_SERVICE_NAME. */
    serviceName: z.string().min(1).optional(),
    /** SkyWalking's instance name, kept as `service.instance.id`. */
    instanceName: z.string().min(1).optional(),
    /** SkyWalking's namespace, kept as `service.namespace`. */
    serviceNamespace: z.string().min(1).optional(),
    original: originalSchema.prefault({}),
    /**
     * The app gets traffic during the soak: after flipping it to otel, the gate fails the update with reason
     * `no telemetry` unless `migration.verifyTraces.backend` has spans of `serviceName` since the flip. Default off.
     */
    verifyTraces: z.boolean().optional(),
    /** The image itself loads SkyWalking: rebuild it without the agent (see the image-rebuild docs). */
    rebuildImage: z.boolean().default(false),
    /** Why discovery classified the app this way (kept for reviewers; not used by the program). */
    evidence: z.array(z.string()).default([]),
});

export type AppConfig = z.output<typeof appSchema>;

/** Apps are keyed `namespace/workload`, the name people flip with `pulumi config set --path 'apps["ns/name"].mode' otel`. */
export const appsSchema = z.record(
    z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/, "is not namespace/workload — write the key as e.g. shop/order-service"),
    appSchema,
).default({});

export type AppsConfig = z.output<typeof appsSchema>;

export function splitAppKey(key: string): { namespace: string; name: string } {
    const [namespace, name] = key.split("/");
    return { namespace, name };
}

/**
 * What a flip needs beyond the schema, one problem per line in the project's format: the container to patch
 * and the original value of every field skyshift rewrites, so flipping back can restore it byte for byte.
 */
export function appFlipProblems(key: string, app: AppConfig): string[] {
    const at = (path: string) => `apps[${JSON.stringify(key)}]${path}`;
    const problems: string[] = [];
    if (!app.container) problems.push(`${at(".container")}: is required — name the container that loads the agent (discovery writes it)`);
    const restore = "is required — the value before the first flip, restored on flip back (run discovery or copy it from the live workload)";
    for (const name of app.agentIn.env) {
        if (app.original.env[name] === undefined) problems.push(`${at(`.original.env.${name}`)}: ${restore}`);
    }
    if (app.agentIn.args && !app.original.args) problems.push(`${at(".original.args")}: ${restore}`);
    if (app.agentIn.command && !app.original.command) problems.push(`${at(".original.command")}: ${restore}`);
    return problems;
}
