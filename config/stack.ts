import { z } from "zod";
import { inventoryEntrySchema } from "./apps";
import { bridgeReceiverProblems } from "./bridge";
import { collectorSchema, ExporterKind } from "./collector";
import { skywalkingReceiverImageCheck } from "./collector-image";
import { deepflowExporterProblems, deepflowSchema } from "./deepflow";
import { imageRebuildSchema } from "./image-rebuild";
import { instrumentationSchema } from "./instrumentation";
import { emptyInventory, Inventory } from "./inventory";
import { managedApps } from "./managed-apps";
import { migrationSchema } from "./migration";
import { appDecisionsSchema, ResolvedApp, resolveModes, selectorsSchema } from "./modes";
import { platformSchema } from "./platform";
import { ConfigError, ConfigWarning, describeIssues, formatPath } from "./problems";
import { sw8PropagatorProblems } from "./sw8-propagator";
import { verifyTracesProblems } from "./verify-traces";

/** Every `skyshift:` stack config key. Pulumi.yaml declares the same keys; a test keeps the two in step. */
export const stackSchema = z.strictObject({
    platform: platformSchema.prefault({}),
    collector: collectorSchema,
    instrumentation: instrumentationSchema.prefault({}),
    deepflow: deepflowSchema.prefault({}),
    migration: migrationSchema.prefault({}),
    apps: appDecisionsSchema,
    selectors: selectorsSchema,
    inventory: z.string().default("")
        .describe("The inventory file `npm run discover` writes, relative to the project directory; empty: `skyshift.<stack>.inventory.yaml`."),
    imageRebuild: imageRebuildSchema.prefault({}),
});

export type StackSettings = z.output<typeof stackSchema>;

/** The validated stack config with `apps` resolved: the inventory apps the program manages, each with its mode. */
export type StackConfig = Omit<StackSettings, "apps"> & { readonly apps: Readonly<Record<string, ResolvedApp>> };

export const CONFIG_NAMESPACE = "skyshift";
/** The one spelling of the per-app decisions key, as `pulumi config` and stack files write it. */
export const APPS_KEY = `${CONFIG_NAMESPACE}:apps`;

export interface ParsedStackConfig {
    readonly config: StackConfig;
    readonly warnings: readonly ConfigWarning[];
}

/**
 * Validates raw stack config (keys without the `skyshift:` prefix, values already decoded) against the stack's
 * inventory and returns a typed, defaulted copy whose `apps` are the apps to declare. Throws one ConfigError
 * listing every problem.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, inventory: Inventory = emptyInventory("(no inventory file)")): ParsedStackConfig {
    const legacy = legacyEntryProblems(raw.apps);
    const result = stackSchema.safeParse(legacy.length > 0 ? { ...raw, apps: modesOnly(raw.apps as Record<string, unknown>) } : raw, { reportInput: true });
    if (!result.success) throw new ConfigError([...legacy, ...describeIssues(stackSchema, result.error.issues)]);
    if (legacy.length > 0) throw new ConfigError(legacy);
    const settings = result.data;
    const resolved = resolveModes(inventory, settings.apps, settings.selectors);
    const managed = managedApps(resolved.apps, settings, `${inventory.file}: `);
    const image = skywalkingReceiverImageCheck(settings.collector, settings.platform);
    const problems = [...resolved.problems, ...deepflowExporterProblems(settings.deepflow, settings.collector.exporters), ...managed.problems,
        ...verifyTracesProblems(settings.migration.verifyTraces, resolved.apps, settings.collector), ...image.problems,
        ...bridgeReceiverProblems(resolved.apps, settings.collector), ...sw8PropagatorProblems(settings)];
    if (problems.length > 0) throw new ConfigError(problems);
    const config: StackConfig = { ...settings, apps: managed.apps };
    return { config, warnings: [...insecureSettings(config), ...resolved.warnings, ...managed.warnings, ...image.warnings] };
}

/** Discovered fields still in `skyshift:apps` (a stack from before the inventory file): say how to convert it. */
export function legacyEntryProblems(apps: unknown): string[] {
    if (!apps || typeof apps !== "object") return [];
    const discovered = new Set(Object.keys(inventoryEntrySchema.shape));
    return Object.entries(apps).flatMap(([key, entry]) => {
        const moved = entry && typeof entry === "object" ? Object.keys(entry).filter(field => discovered.has(field)) : [];
        return moved.length === 0 ? [] : [`${formatPath(["apps", key])}: ${moved.join(", ")} belong in the inventory file now, ` +
            "not in stack config — run npm run convert -- --stack <stack> to move them (the mode stays)"];
    });
}

function modesOnly(apps: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(apps).map(([key, entry]) => [key, { mode: (entry as { mode?: unknown }).mode }]));
}

function insecureSettings(config: StackConfig): ConfigWarning[] {
    const warnings: ConfigWarning[] = [];
    config.collector.exporters.forEach((exporter, index) => {
        if ((exporter.kind === ExporterKind.otlp || exporter.kind === ExporterKind.otlphttp) && exporter.insecure) {
            warnings.push({ path: `collector.exporters[${index}].insecure`, message: `exporter "${exporter.name}" sends telemetry without TLS, as asked` });
        }
    });
    if (config.collector.cors.allowInsecureCors) {
        warnings.push({ path: "collector.cors.allowInsecureCors", message: "the collector accepts OTLP/HTTP from any web origin, as asked" });
    }
    return warnings;
}

/**
 * Reads this stack's `skyshift:*` keys from Pulumi's config map. Pulumi hands object values over as JSON
 * text; scalar values that are not JSON stay strings so the schema can name them.
 */
export function rawStackConfig(all: Readonly<Record<string, string>>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [key, value] of Object.entries(all)) {
        if (!key.startsWith(prefix)) continue;
        raw[key.slice(prefix.length)] = decodeConfigValue(value);
    }
    return raw;
}

/** A config value as the engine passes it (JSON text for objects), decoded; text that is not JSON stays a string. */
export function decodeConfigValue(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}
