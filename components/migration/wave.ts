import * as pulumi from "@pulumi/pulumi";
import type { AppModes } from "./waves";
import type * as waves from "./waves";
import { delegatingProvider } from "./provider-runtime";

/**
 * The wave limit as a resource that remembers (`waveMethods` in waves.ts, called in the provider process). Its
 * state holds the modes of the last update it accepted; its `check`, which the engine runs in preview and up
 * before the resource's step, fails with the wave-limit message when too many apps flip. Every AppFlip depends
 * on it, so a refused wave stops the update before any workload is touched.
 */
export const waveProvider = delegatingProvider<typeof waves>(require.resolve("./waves"), "waveMethods", ["check", "diff", "create", "update"]);

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
