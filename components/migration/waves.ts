/**
 * The wave limit's arithmetic, pure. Loaded at run time in the dynamic-provider process by the Wave resource
 * (wave.ts), so it imports types only.
 */
import type { AppMode, AppsConfig, ResolvedApp } from "../../config";

/** Each app's mode, keyed `namespace/workload`. */
export type AppModes = Readonly<Record<string, AppMode>>;

export interface Flip {
    readonly key: string;
    readonly from: AppMode;
    readonly to: AppMode;
    /** The selector that chose `to` (`selectors[0].mode (match "shop/*")`), when a selector did. */
    readonly selector?: string;
}

/** What the Wave resource keeps in its state: the modes the last accepted update applies, and this update's limit. */
export interface WaveInputs {
    readonly modes: AppModes;
    readonly limit: number;
    /** For apps whose mode a selector chose: that selector, for the message (a selector change can flip many apps). */
    readonly selectors: Readonly<Record<string, string>>;
}

const SKYWALKING: AppMode = "skywalking";

/** The modes this update applies, keyed and sorted like the inventory. */
export function currentModes(apps: AppsConfig): Record<string, AppMode> {
    return Object.fromEntries(Object.keys(apps).sort().map(key => [key, apps[key].mode]));
}

/** The apps whose mode a selector chose, with that selector (`modeSource`), sorted by key. */
export function selectorSources(apps: Readonly<Record<string, ResolvedApp>>): Record<string, string> {
    return Object.fromEntries(Object.keys(apps).sort().filter(key => apps[key].modeSource.startsWith("selectors["))
        .map(key => [key, apps[key].modeSource]));
}

/**
 * Apps whose mode differs from the last update's. An app the last update did not know counts as a flip only
 * when it arrives in otel mode: discovery adds apps in skywalking mode, which the workload already runs.
 * Flips in both directions count: each one rolls the app's pods.
 */
export function flips(previous: AppModes, modes: AppModes, selectors: Readonly<Record<string, string>> = {}): Flip[] {
    return Object.keys(modes).sort().flatMap(key => {
        const from = previous[key] ?? SKYWALKING;
        const to = modes[key];
        return from === to ? [] : [{ key, from, to, ...(selectors[key] && { selector: selectors[key] }) }];
    });
}

/**
 * The Wave provider's methods, called by name from the serialized provider (wave.ts). A check failure without a
 * property: the engine prints `…Wave resource 'wave' has a problem: <message>` once, with no stack trace. No
 * `read`: a refresh keeps the recorded modes as they are, and no stack reads its own outputs, so the first
 * `pulumi refresh` after an update is clean.
 */
export const waveMethods = {
    check: async (olds: Partial<WaveInputs>, news: WaveInputs) => {
        const refusal = waveRefusal(olds, news);
        return { inputs: news, failures: refusal ? [{ property: "", reason: refusal }] : [] };
    },
    diff: async (_id: string, olds: WaveInputs, news: WaveInputs) => ({ changes: JSON.stringify(olds.modes) !== JSON.stringify(news.modes)
        || olds.limit !== news.limit || JSON.stringify(olds.selectors) !== JSON.stringify(news.selectors) }),
    create: async (inputs: WaveInputs) => ({ id: "wave", outs: inputs }),
    update: async (_id: string, _olds: WaveInputs, news: WaveInputs) => ({ outs: news }),
};

/**
 * The Wave's check: the wave-limit message when this update flips more than `news.limit` apps against the
 * modes in the Wave's own state (`olds`, absent on its first update or after state loss: then every otel app
 * counts, since nothing proves it already runs otel), else undefined.
 */
export function waveRefusal(olds: Partial<WaveInputs>, news: WaveInputs): string | undefined {
    const wave = flips(olds.modes ?? {}, news.modes, news.selectors);
    return wave.length > news.limit ? waveLimitMessage(wave, news.limit, olds.modes === undefined) : undefined;
}

/**
 * Names every flip and spells out the split: the first `limit` flips stay in this update, the rest go back to
 * their previous mode now and flip in the next update.
 */
export function waveLimitMessage(wave: readonly Flip[], limit: number, noPreviousWave = false): string {
    const later = wave.slice(limit);
    return [
        `this update would flip ${wave.length} apps but migration.maxAppsPerUpdate is ${limit}:`,
        ...wave.map(f => `  ${f.key}: ${f.from} → ${f.to}${f.selector ? ` (by ${f.selector})` : ""}`),
        ...(noPreviousWave ? [
            "This stack has no modes recorded by an earlier update (its first update with the wave resource, or its state was lost),",
            "so every app in otel mode counts. If they already run otel (npm run status shows it), raise the limit for this one update.",
        ] : []),
        `Split it: keep the first ${limit} in this update and put the other ${later.length} back until the next one:`,
        ...later.map(f => `  pulumi config set --path 'apps["${f.key}"].mode' ${f.from}`),
        "(or raise migration.maxAppsPerUpdate for this one update)",
    ].join("\n");
}
