import { z } from "zod";
import { verifyTracesSchema } from "./verify-traces";

export const DEFAULT_MAX_APPS_PER_UPDATE = 10;
/** The seed tool watched 30 × 10 s. */
export const DEFAULT_SOAK_SECONDS = 300;

export const migrationSchema = z.strictObject({
    /** How many apps one `pulumi up` may flip; more fails at preview with a split suggestion. */
    maxAppsPerUpdate: z.int().min(1).default(DEFAULT_MAX_APPS_PER_UPDATE),
    /** How long new pods must stay Ready without restarts before an app counts as migrated. */
    soakSeconds: z.int().min(0).default(DEFAULT_SOAK_SECONDS),
    /** How often the health gate polls pods during the soak. */
    pollSeconds: z.int().min(1).default(10),
    /** Upper bound for the rollout itself, before the soak starts. */
    rolloutTimeoutSeconds: z.int().min(1).default(600),
    /**
     * Whether an otel app's new pods must carry the operator's init container before it counts as migrated.
     * Turn off only where no operator injects pods.
     */
    verifyInjection: z.boolean().default(true),
    /**
     * A trace backend the gate asks, after the soak, whether spans of each app with `verifyTraces: true` arrived
     * since its flip. Off when unset. Apps opt in one by one, so an idle app never fails for lack of traffic.
     */
    verifyTraces: verifyTracesSchema.optional(),
    /** The Server-Side Apply field manager for every workload patch; keep it stable across updates. */
    fieldManager: z.string().min(1).default("skyshift"),
});

export type MigrationConfig = z.output<typeof migrationSchema>;

export const AppMode = { skywalking: "skywalking", otel: "otel" } as const;
export type AppMode = (typeof AppMode)[keyof typeof AppMode];
export const Language = { java: "java", python: "python", nodejs: "nodejs" } as const;
export type Language = (typeof Language)[keyof typeof Language];
