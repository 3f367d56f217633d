import { z } from "zod";
import { verifyTracesSchema } from "./verify-traces";

export const DEFAULT_MAX_APPS_PER_UPDATE = 10;
/** Five minutes: thirty polls of ten seconds. */
export const DEFAULT_SOAK_SECONDS = 300;

export const migrationSchema = z.strictObject({
    maxAppsPerUpdate: z.int().min(1).default(DEFAULT_MAX_APPS_PER_UPDATE)
        .describe("How many apps one `pulumi up` may flip; more fails at preview with a split suggestion."),
    soakSeconds: z.int().min(0).default(DEFAULT_SOAK_SECONDS)
        .describe("How long new pods must stay Ready without restarts before an app counts as migrated."),
    pollSeconds: z.int().min(1).default(10).describe("How often the health gate polls pods during the soak."),
    rolloutTimeoutSeconds: z.int().min(1).default(600).describe("Upper bound for the rollout itself, before the soak starts."),
    verifyInjection: z.boolean().default(true).describe(
        "Whether an otel app's new pods must carry the operator's init container before it counts as migrated. " +
        "Turn off only where no operator injects pods."),
    verifyTraces: verifyTracesSchema.optional().describe(
        "The trace gate, off when unset: after the soak, the gate asks the backend whether spans of each listed app " +
        "arrived since its flip, and fails the update with reason `no telemetry` if none did. See docs/telemetry.md."),
    fieldManager: z.string().min(1).default("skyshift")
        .describe("The Server-Side Apply field manager for every workload patch; keep it stable across updates."),
}).describe("How flips roll out: how many per update, and the health gate each flipped app must pass.");

export type MigrationConfig = z.output<typeof migrationSchema>;

/**
 * An app's mode, the one thing people flip: `skywalking` (as discovered), `bridge` (the SkyWalking agent stays and
 * reports to the collector's `skywalking` receiver, so its traces reach the same exporters as the OpenTelemetry
 * apps'), `otel` (the operator's OpenTelemetry agent instead of SkyWalking's). Any mode flips to any other.
 */
export const AppMode = { skywalking: "skywalking", bridge: "bridge", otel: "otel" } as const;
export type AppMode = (typeof AppMode)[keyof typeof AppMode];
/** The workload kinds skyshift reads and patches; list responses carry no `kind`, so callers pass it alongside. */
export const WorkloadKind = { Deployment: "Deployment", StatefulSet: "StatefulSet" } as const;
export type WorkloadKind = (typeof WorkloadKind)[keyof typeof WorkloadKind];
export const Language = { java: "java", python: "python", nodejs: "nodejs" } as const;
export type Language = (typeof Language)[keyof typeof Language];
