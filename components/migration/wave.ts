import * as pulumi from "@pulumi/pulumi";
import { AppModes, WaveInputs } from "./waves";
import type * as waves from "./waves";
import { providerRuntime } from "./provider-runtime";

const waveRules = providerRuntime<typeof waves>(require.resolve("./waves"));

/**
 * The wave limit as a resource that remembers. Its state holds the modes of the last update it accepted; its
 * `check`, which the engine runs in preview and up before the resource's step, compares them with this
 * update's modes and fails with the wave-limit message when too many apps flip (a check failure without a
 * property: the engine prints `…Wave resource 'wave' has a problem: <message>` once, with no stack trace). Every AppFlip depends on it, so a
 * refused wave stops the update before any workload is touched. No stack reads its own outputs, so the first
 * `pulumi refresh` after an update is clean. No `read`: a refresh keeps the recorded modes as they are.
 */
export const waveProvider: pulumi.dynamic.ResourceProvider = {
    async check(olds: Partial<WaveInputs>, news: WaveInputs) {
        const refusal = waveRules().waveRefusal(olds, news);
        return { inputs: news, failures: refusal ? [{ property: "", reason: refusal }] : [] };
    },
    async diff(_id: string, olds: WaveInputs, news: WaveInputs) {
        return { changes: JSON.stringify(olds.modes) !== JSON.stringify(news.modes) || olds.limit !== news.limit
            || JSON.stringify(olds.selectors) !== JSON.stringify(news.selectors) };
    },
    async create(inputs: WaveInputs) {
        return { id: "wave", outs: inputs };
    },
    async update(_id: string, _olds: WaveInputs, news: WaveInputs) {
        return { outs: news };
    },
};

export interface WaveArgs {
    /** Every app's mode in this update, sorted by key (`currentModes`). */
    readonly modes: AppModes;
    /** `migration.maxAppsPerUpdate`. */
    readonly limit: number;
    /** Apps whose mode a selector chose, with that selector (`selectorSources`), named in the refusal. */
    readonly selectors: Readonly<Record<string, string>>;
}

/** `pulumi-nodejs:dynamic/skyshift:Wave`: one per stack, recorded before any app is flipped. */
export class Wave extends pulumi.dynamic.Resource {
    constructor(name: string, args: WaveArgs, opts?: pulumi.CustomResourceOptions) {
        super(waveProvider, name, { ...args }, opts, "skyshift", "Wave");
    }
}
