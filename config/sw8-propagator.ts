import { z } from "zod";
import type { ImageRebuildConfig } from "./image-rebuild";

/** The propagator's name in `OTEL_PROPAGATORS`: the extension registers it through `ConfigurablePropagatorProvider` (extensions/sw8-propagator). */
export const SW8_PROPAGATOR = "sw8";
/** Where `npm run test:sw8` (Maven, `extensions/sw8-propagator/pom.xml`) writes the jar, relative to the project directory. */
export const DEFAULT_SW8_JAR = "extensions/sw8-propagator/target/skyshift-sw8-propagator.jar";
export const OTEL_PROPAGATORS_ENV = "OTEL_PROPAGATORS";

const sw8PropagatorObject = z.strictObject({
    enabled: z.boolean().default(true).describe("The object form is on unless this says false."),
    jar: z.string().min(1).default(DEFAULT_SW8_JAR).describe(
        "The extension jar, relative to the project directory or absolute. `npm run test:sw8` (after `npm run lab:tools`) builds it " +
        "with Maven into the default path; the lab build also leaves a copy at `~/.cache/skyshift/sw8/skyshift-sw8-propagator.jar`."),
    baseImage: z.string().min(1).optional().describe(
        "The image the jar's layer is appended to; it must have `cp` (the operator's init container runs `cp -r`). " +
        "Defaults to `instrumentation.java.image`, the operator's Java image, which is busybox-based and already on the nodes."),
});

/**
 * `true`, `false` or the object form. A union rather than a preprocess to one object: zod's JSON Schema drops a
 * section's examples once a transform sits inside it, and docs/config.md is generated from that schema. Read it
 * through {@link sw8Propagator}, which fills the object form's defaults for `true`.
 */
export const sw8PropagatorSchema = z.union([z.boolean(), sw8PropagatorObject]).default(false).describe(
    "The sw8 ⇄ W3C propagator (docs/sw8-propagator.md): skyshift pushes an image holding the extension jar to " +
    "`imageRebuild.registry`, adds it to the Instrumentation's `java.extensions` and sets `OTEL_PROPAGATORS` for Java to " +
    "`propagators` plus `sw8` (the CRD's `propagators` enum has no sw8). `true`, `false` or `{jar, baseImage}`.");

export type Sw8PropagatorSetting = z.output<typeof sw8PropagatorSchema>;
export type Sw8PropagatorConfig = z.output<typeof sw8PropagatorObject>;

/** The setting in its object form: `true` and `false` are `{enabled}` with the object's defaults (the schema's own). */
export function sw8Propagator(setting: Sw8PropagatorSetting): Sw8PropagatorConfig {
    return typeof setting === "boolean" ? sw8PropagatorObject.parse({ enabled: setting }) : setting;
}


/** The sections the propagator is read against. */
export interface Sw8Sections {
    readonly instrumentation: {
        readonly propagators: readonly string[];
        readonly java: { readonly enabled: boolean; readonly image?: string; readonly env: Readonly<Record<string, string>>; readonly sw8Propagator: Sw8PropagatorSetting };
    };
    readonly imageRebuild: Pick<ImageRebuildConfig, "registry">;
}

const KEY = "instrumentation.java.sw8Propagator";

/** What the propagator lacks or contradicts, one problem per key, each naming how to fix it. Nothing when it is off. */
export function sw8PropagatorProblems({ instrumentation, imageRebuild }: Sw8Sections): string[] {
    const { java } = instrumentation;
    const setting = sw8Propagator(java.sw8Propagator);
    if (!setting.enabled) return [];
    const problems: string[] = [];
    if (!imageRebuild.registry) {
        problems.push(`${KEY}: needs imageRebuild.registry, where skyshift pushes the extension image — set imageRebuild.registry: {server: "registry.corp"} or turn the propagator off`);
    }
    if (!setting.baseImage && !java.image) {
        problems.push(`${KEY}.baseImage: is required when instrumentation.java.image is unset — name an image with cp in it, ideally by setting instrumentation.java.image (the operator's Java image has cp)`);
    }
    if (!java.enabled) problems.push(`${KEY}: is on but instrumentation.java.enabled is false — enable Java or turn the propagator off`);
    if (instrumentation.propagators.includes("none")) {
        problems.push(`${KEY}: is on but instrumentation.propagators is [none] — list the propagators to keep (e.g. tracecontext, baggage); sw8 is added to them`);
    }
    if (java.env[OTEL_PROPAGATORS_ENV] !== undefined) {
        problems.push(`instrumentation.java.env.${OTEL_PROPAGATORS_ENV}: is set while ${KEY} is on, which writes it from instrumentation.propagators plus sw8 — remove it and list the propagators in instrumentation.propagators`);
    }
    return problems;
}

/** Java's `OTEL_PROPAGATORS`: the configured propagators, then sw8, so W3C `traceparent` keeps precedence over `sw8` (docs/sw8-propagator.md). */
export function javaPropagators(propagators: readonly string[]): string {
    return [...propagators, SW8_PROPAGATOR].join(",");
}
