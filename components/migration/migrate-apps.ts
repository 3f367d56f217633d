import * as pulumi from "@pulumi/pulumi";
import { appFlipProblems, AppMode, ConfigError, StackConfig } from "../../config";
import { AppMigration } from "./app-migration";
import { AppModes, checkWave, currentModes, Flip, removedApps } from "./waves";

export interface MigrateAppsOptions {
    /** Rebuilt images by app key, from the image-rebuild component, for `rebuildImage: true` apps. */
    readonly images?: Readonly<Record<string, pulumi.Input<string>>>;
    /** The Kubernetes provider's kubeconfig (contents or path) for the health gates; default `$KUBECONFIG`. */
    readonly kubeconfig?: pulumi.Input<string>;
    /** Options for every AppMigration, e.g. `{ providers: { kubernetes: provider } }`. */
    readonly opts?: pulumi.ComponentResourceOptions;
}

export interface MigratedApps {
    readonly apps: Readonly<Record<string, AppMigration>>;
    /** This update's flips; rejects with the wave-limit message when there are too many. */
    readonly flips: pulumi.Output<Flip[]>;
    /** Export it as the stack output `appModes`: the next update reads it back to know what it flips. */
    readonly appModes: pulumi.Output<Record<string, AppMode>>;
}

/** The stack output the wave check reads back from the last update. */
export const APP_MODES_OUTPUT = "appModes";

/**
 * One AppMigration per app in the inventory. The last update's modes come from this stack's own `appModes`
 * output through a StackReference (file backends name stacks `organization/<project>/<stack>`); every patch
 * waits for the wave check, so an update that flips too many apps fails before any workload is touched.
 */
export function migrateApps(config: StackConfig, instrumentationRef: pulumi.Input<string>, options: MigrateAppsOptions = {}): MigratedApps {
    const problems = Object.entries(config.apps).flatMap(([key, app]) => appFlipProblems(key, app));
    if (problems.length > 0) throw new ConfigError(problems);
    const self = new pulumi.StackReference(`${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`, undefined, options.opts);
    const previous = self.getOutput(APP_MODES_OUTPUT) as pulumi.Output<AppModes | undefined>;
    const flips = previous.apply(modes => {
        for (const key of removedApps(modes ?? {}, config.apps)) {
            pulumi.log.info(`${key} left the inventory: its workload keeps its current pod template (the patch is retained, not deleted)`);
        }
        return checkWave(modes ?? {}, config.apps, config.migration.maxAppsPerUpdate);
    });
    const apps = Object.fromEntries(Object.entries(config.apps).map(([key, app]) => [key, new AppMigration(key, {
        key,
        app,
        instrumentationRef,
        migration: config.migration,
        image: options.images?.[key],
        kubeconfig: options.kubeconfig,
        waveChecked: flips,
    }, options.opts)]));
    return { apps, flips, appModes: pulumi.output(currentModes(config.apps)) };
}
