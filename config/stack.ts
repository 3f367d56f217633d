import { z } from "zod";
import { appFlipProblems, appsSchema } from "./apps";
import { collectorSchema, ExporterKind } from "./collector";
import { deepflowExporterProblems, deepflowSchema } from "./deepflow";
import { imageRebuildProblems, imageRebuildSchema } from "./image-rebuild";
import { instrumentationSchema } from "./instrumentation";
import { migrationSchema } from "./migration";
import { platformSchema } from "./platform";
import { ConfigError, describeIssues } from "./problems";
import { verifyTracesProblems } from "./verify-traces";

/** Every `skyshift:` stack config key. Pulumi.yaml declares the same keys; a test keeps the two in step. */
export const stackSchema = z.strictObject({
    platform: platformSchema.prefault({}),
    collector: collectorSchema,
    instrumentation: instrumentationSchema.prefault({}),
    deepflow: deepflowSchema.prefault({}),
    migration: migrationSchema.prefault({}),
    apps: appsSchema,
    imageRebuild: imageRebuildSchema.prefault({}),
});

export type StackConfig = z.output<typeof stackSchema>;

export const CONFIG_NAMESPACE = "skyshift";

/** A non-fatal note for the person running the update, e.g. an insecure setting they asked for. */
export interface ConfigWarning {
    readonly path: string;
    readonly message: string;
}

export interface ParsedStackConfig {
    readonly config: StackConfig;
    readonly warnings: readonly ConfigWarning[];
}

/**
 * Validates raw stack config (keys without the `skyshift:` prefix, values already decoded) and
 * returns a typed, defaulted copy. Throws one ConfigError listing every problem.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>): ParsedStackConfig {
    const result = stackSchema.safeParse(raw, { reportInput: true });
    if (!result.success) throw new ConfigError(describeIssues(stackSchema, result.error.issues));
    const config = result.data;
    const problems = crossSectionProblems(config);
    if (problems.length > 0) throw new ConfigError(problems);
    return { config, warnings: insecureSettings(config) };
}

function crossSectionProblems(config: StackConfig): string[] {
    const problems: string[] = [];
    problems.push(...deepflowExporterProblems(config.deepflow, config.collector.exporters));
    for (const [key, app] of Object.entries(config.apps)) problems.push(...appFlipProblems(key, app));
    problems.push(...imageRebuildProblems(config));
    problems.push(...verifyTracesProblems(config.migration.verifyTraces, config.apps, config.collector));
    return problems;
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
        raw[key.slice(prefix.length)] = decode(value);
    }
    return raw;
}

function decode(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}
