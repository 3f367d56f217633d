import * as pulumi from "@pulumi/pulumi";
import { AppMode, AppsConfig } from "../../config";

/** Each app's mode as the last successful update applied it: the `appModes` stack output. */
export type AppModes = Readonly<Record<string, AppMode>>;

export interface Flip {
    readonly key: string;
    readonly from: AppMode;
    readonly to: AppMode;
}

/** The modes this update applies, keyed and sorted like the inventory. */
export function currentModes(apps: AppsConfig): Record<string, AppMode> {
    return Object.fromEntries(Object.keys(apps).sort().map(key => [key, apps[key].mode]));
}

/**
 * Apps whose mode differs from the last update's. An app the last update did not know counts as a flip only
 * when it arrives in otel mode: discovery adds apps in skywalking mode, which the workload already runs.
 * Flips in both directions count: each one rolls the app's pods.
 */
export function flips(previous: AppModes, apps: AppsConfig): Flip[] {
    return Object.keys(apps).sort().flatMap(key => {
        const from = previous[key] ?? AppMode.skywalking;
        const to = apps[key].mode;
        return from === to ? [] : [{ key, from, to }];
    });
}

/** Apps the last update managed that are gone from the inventory; their workloads keep their current spec. */
export function removedApps(previous: AppModes, apps: AppsConfig): string[] {
    return Object.keys(previous).filter(key => !(key in apps)).sort();
}

/** Thrown when one update would flip more apps than `migration.maxAppsPerUpdate`; a RunError, so Pulumi prints the message without a stack trace. */
export class WaveLimitError extends pulumi.RunError {
    constructor(readonly flips: readonly Flip[], readonly limit: number) {
        super(waveLimitMessage(flips, limit));
        this.name = "WaveLimitError";
    }
}

/** Throws WaveLimitError when the update flips more than `limit` apps; returns the flips otherwise. */
export function checkWave(previous: AppModes, apps: AppsConfig, limit: number): Flip[] {
    const wave = flips(previous, apps);
    if (wave.length > limit) throw new WaveLimitError(wave, limit);
    return wave;
}

/**
 * Names every flip and spells out the split: the first `limit` flips stay in this update, the rest go back to
 * their previous mode now and flip in the next update.
 */
export function waveLimitMessage(wave: readonly Flip[], limit: number): string {
    const later = wave.slice(limit);
    return [
        `this update would flip ${wave.length} apps but migration.maxAppsPerUpdate is ${limit}:`,
        ...wave.map(f => `  ${f.key}: ${f.from} → ${f.to}`),
        `Split it: keep the first ${limit} in this update and put the other ${later.length} back until the next one:`,
        ...later.map(f => `  pulumi config set --path 'apps["${f.key}"].mode' ${f.from}`),
        "(or raise migration.maxAppsPerUpdate for this one update)",
    ].join("\n");
}
