import * as pulumi from "@pulumi/pulumi";
import { AppMode, skywalkingReceiverAddress, StackConfig, tracesChecked } from "../../config";
import { AppFlip, clusterAccess } from "./app-flip";
import { traceBackendProblem } from "./trace-check";
import { Wave } from "./wave";
import { currentModes, selectorSources } from "./waves";

export interface MigrateAppsOptions {
    /** Rebuilt images by app key, from the image-rebuild component, for `rebuildImage: true` apps. */
    readonly images?: Readonly<Record<string, pulumi.Input<string>>>;
    /** The Kubernetes provider's kubeconfig (contents or path) for the applies and gates; default `$KUBECONFIG`. */
    readonly kubeconfig?: string;
    /** The Kubernetes provider's context in that kubeconfig; default its current context. */
    readonly kubeContext?: string;
    /** Options for the Wave and every AppFlip, e.g. `{ parent }`. */
    readonly opts?: pulumi.CustomResourceOptions;
}

export interface MigratedApps {
    /** The wave-limit resource every AppFlip depends on. */
    readonly wave: Wave;
    readonly apps: Readonly<Record<string, AppFlip>>;
    /** Every app's mode in this update, sorted by key: the stack output `appModes`, for people and scripts. */
    readonly appModes: Readonly<Record<string, AppMode>>;
}

/** The Wave resource's name; one per stack. */
export const WAVE_NAME = "wave";

/**
 * One AppFlip per app in the inventory of a validated config (`parseStackConfig` has reported what a flip
 * would lack, with every other problem, before anything is declared), each depending on the Wave, whose check
 * refuses an update that flips more than `migration.maxAppsPerUpdate` apps before any of them is registered.
 */
export function migrateApps(config: StackConfig, instrumentationRef: pulumi.Input<string>, options: MigrateAppsOptions = {}): MigratedApps {
    const appModes = currentModes(config.apps);
    const hint = largeFleetPreviewHint(Object.keys(appModes).length, pulumi.runtime.isDryRun(), process.env);
    if (hint) pulumi.log.info(hint);
    const cluster = clusterAccess(options.kubeconfig, options.kubeContext);
    const wave = new Wave(WAVE_NAME, { modes: appModes, limit: config.migration.maxAppsPerUpdate, selectors: selectorSources(config.apps) }, options.opts);
    const traceBackendReady = traceBackendCheck(config);
    const receiver = config.collector.skywalkingReceiver;
    const receiverAddress = receiver && skywalkingReceiverAddress(config.collector.name, config.platform.namespace, receiver);
    const apps = withoutPromiseStacks(() => Object.fromEntries(Object.entries(config.apps).map(([key, app]) => [key, new AppFlip({
        key,
        app,
        instrumentationRef,
        migration: config.migration,
        image: options.images?.[key],
        cluster,
        skywalkingReceiverAddress: receiverAddress,
        traceBackendReady,
    }, { ...options.opts, dependsOn: [wave] })])));
    return { wave, apps, appModes };
}

/**
 * Runs `declare` with V8's stack capture off (`Error.stackTraceLimit = 0`), then restores it. The Node SDK
 * records `new Error().stack` for every promise it makes while registering a resource, only for its report of
 * leaked promises (`@pulumi/pulumi` `runtime/debuggable.js`, `debuggablePromise`), and under ts-node every frame
 * of it is mapped through source-map-support: a third of the program's evaluation at 1,000 apps
 * (docs/fleet-scale.md). Source positions are kept: `Resource.callsites` (`@pulumi/pulumi` `resource.js`) raises
 * the limit for its own capture. An Error made inside `declare` has no frames; its message is unchanged.
 */
export function withoutPromiseStacks<T>(declare: () => T): T {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return declare();
    } finally {
        Error.stackTraceLimit = limit;
    }
}

/** From this many apps on, most of a default preview's time is the engine's snapshot serialization (docs/fleet-scale.md). */
export const LARGE_FLEET_APPS = 500;

/**
 * A preview of a large fleet tells how to make it cheaper. Pulumi's engine serializes its whole in-memory
 * snapshot after every step even in a preview, which then discards it (pulumi v3.274.1
 * `pkg/backend/diy/backend.go` gives dry runs a `DiscardPersister`; `pkg/backend/snapshot.go`
 * `defaultServiceLoop`), so a preview's cost grows with apps². `PULUMI_SKIP_CHECKPOINTS=true` makes the engine
 * serialize once at the end; a preview writes nothing either way, so it loses nothing. An `up` that only adopts
 * or flips apps loses nothing either: a killed one records none of its AppFlips, and every AppFlip operation is
 * idempotent, so the next `up` re-runs them (test/e2e/interrupt.e2e.test.ts).
 * @param env the program's environment, which the engine's own (the CLI's) is passed on to.
 */
export function largeFleetPreviewHint(apps: number, dryRun: boolean, env: NodeJS.ProcessEnv): string | undefined {
    const skipping = /^(1|true)$/i.test(env.PULUMI_SKIP_CHECKPOINTS ?? "");
    if (!dryRun || skipping || apps < LARGE_FLEET_APPS) return undefined;
    return `${apps} apps: this preview is faster as \`PULUMI_SKIP_CHECKPOINTS=true pulumi preview\` (the engine then serializes its ` +
        "snapshot once instead of after every step; a preview saves nothing either way), and so is an `up` that only adopts or " +
        "flips apps. Not for an `up` that changes the platform: README, \"Sizing\".";
}

/**
 * When an app in otel mode is covered by `migration.verifyTraces`, the backend must answer before any flip is
 * applied: every AppFlip's spec waits for this, so a wrong or unreachable URL fails the preview naming the key.
 */
function traceBackendCheck(config: StackConfig): Promise<void> | undefined {
    const { verifyTraces } = config.migration;
    if (!verifyTraces || !Object.entries(config.apps).some(([key, app]) => app.mode === AppMode.otel && tracesChecked(verifyTraces, key))) return undefined;
    return traceBackendProblem(verifyTraces.backend.url).then(problem => {
        if (problem) throw new pulumi.RunError(`migration.verifyTraces.backend.url: ${problem}`);
    });
}
