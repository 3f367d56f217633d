import * as pulumi from "@pulumi/pulumi";
import { AppMode, StackConfig, tracesChecked } from "../../config";
import { AppMigration } from "./app-migration";
import { traceBackendProblem } from "./trace-check";
import { AppModes, checkWave, currentModes, Flip, removedApps } from "./waves";

export interface MigrateAppsOptions {
    /** Rebuilt images by app key, from the image-rebuild component, for `rebuildImage: true` apps. */
    readonly images?: Readonly<Record<string, pulumi.Input<string>>>;
    /** The Kubernetes provider's kubeconfig (contents or path) for the health gates; default `$KUBECONFIG`. */
    readonly kubeconfig?: pulumi.Input<string>;
    /** The Kubernetes provider's context in that kubeconfig; default its current context. */
    readonly kubeContext?: pulumi.Input<string>;
    /** Options for every AppMigration, e.g. `{ providers: { kubernetes: provider } }`. */
    readonly opts?: pulumi.ComponentResourceOptions;
}

export interface MigratedApps {
    readonly apps: Readonly<Record<string, AppMigration>>;
    /** This update's flips (at most `migration.maxAppsPerUpdate`). */
    readonly flips: readonly Flip[];
    /** Export it as the stack output `appModes`: the next update reads it back to know what it flips. */
    readonly appModes: Readonly<Record<string, AppMode>>;
}

/** The stack output the wave check reads back from the last update. */
export const APP_MODES_OUTPUT = "appModes";

/**
 * One AppMigration per app in the inventory of a validated config (`parseStackConfig` has reported what a
 * flip would lack, with every other problem, before anything is declared). The last update's modes come from this stack's own `appModes`
 * output through a StackReference (file backends name stacks `organization/<project>/<stack>`); they are
 * awaited before any AppMigration is declared, so an update that flips too many apps rejects with a
 * WaveLimitError (a RunError: Pulumi prints just the message) before any workload is touched.
 */
export async function migrateApps(config: StackConfig, instrumentationRef: pulumi.Input<string>, options: MigrateAppsOptions = {}): Promise<MigratedApps> {
    const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`);
    const previous = ((await self.getOutputDetails(APP_MODES_OUTPUT)).value ?? {}) as AppModes;
    const flips = checkWave(previous, config.apps, config.migration.maxAppsPerUpdate);
    const { verifyTraces } = config.migration;
    if (verifyTraces && Object.entries(config.apps).some(([key, app]) => app.mode === AppMode.otel && tracesChecked(verifyTraces, key))) {
        const problem = await traceBackendProblem(verifyTraces.backend.url);
        if (problem) throw new pulumi.RunError(`migration.verifyTraces.backend.url: ${problem}`);
    }
    for (const key of removedApps(previous, config.apps)) {
        pulumi.log.info(`${key} left the inventory: its workload keeps its current pod template (the patch is retained, not deleted)`);
    }
    const apps = Object.fromEntries(Object.entries(config.apps).map(([key, app]) => [key, new AppMigration(key, {
        key,
        app,
        instrumentationRef,
        migration: config.migration,
        image: options.images?.[key],
        kubeconfig: options.kubeconfig,
        kubeContext: options.kubeContext,
        verifyInjection: config.migration.verifyInjection,
    }, options.opts)]));
    return { apps, flips, appModes: currentModes(config.apps) };
}
