import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig, AppMode, MigrationConfig, splitAppKey, tracesChecked } from "../../config";
import { LANGUAGES } from "../../languages";
import { TYPE_PREFIX } from "../constants";
import type * as ops from "./app-flip-ops";
import { delegatingProvider } from "./provider-runtime";
import { workloadPatch } from "./workload-patch";

/** Calls `appFlipMethods` in the provider process: the serialized provider stays ~1.9 kB (provider-runtime.ts). */
export const appFlipProvider = delegatingProvider<typeof ops>(require.resolve("./app-flip-ops"), "appFlipMethods", ["create", "diff", "update", "read"]);

export interface AppFlipArgs {
    /** The app's key in the inventory, `namespace/workload`: also the resource's name. */
    readonly key: string;
    /** The app's validated config; `appFlipProblems` must report nothing for it. */
    readonly app: AppConfig;
    /** `namespace/name` of the Instrumentation the inject annotation points at. */
    readonly instrumentationRef: pulumi.Input<string>;
    /** The `migration` section: field manager, soak, poll, rollout timeout, verifyInjection. */
    readonly migration: MigrationConfig;
    /** The rebuilt image for `rebuildImage: true` apps; required for those in otel mode. */
    readonly image?: pulumi.Input<string>;
    /** The kubeconfig and context for the apply and the gate, one secret Output shared by every app (`clusterAccess`); absent: the defaults. */
    readonly cluster?: pulumi.Input<ops.ClusterAccess>;
    /** `host:port` of the collector's `skywalking` receiver; required for an app in bridge mode. */
    readonly skywalkingReceiverAddress?: string;
    /** Settles once the trace backend answered (rejects naming the key when it does not); only with the trace check. */
    readonly traceBackendReady?: Promise<void>;
}

/** The type token a preview shows: `pulumi-nodejs:dynamic/skyshift:AppFlip`. */
export const APP_FLIP_TYPE = { module: "skyshift", type: "AppFlip" } as const;

/**
 * One app's flip as one resource: a Server-Side Apply of its workload's owned fields and the health gate that
 * holds the update until the new pods rolled out and soaked. The state changes only when both succeeded, so a
 * failed gate is re-run by the next `up`.
 *
 * Stacks from before this resource hold the same app as a `skyshift:index:AppMigration` component `<key>`
 * with a WorkloadApply `<key>-patch` and a RolloutGate `<key>-gate` (`pulumi-nodejs:dynamic:Resource`). The
 * alias adopts the patch's state, so the upgrade neither re-creates nor re-applies anything; the old gate and
 * component are deleted, which does nothing outside the state.
 */
export class AppFlip extends pulumi.dynamic.Resource {
    constructor(args: AppFlipArgs, opts: pulumi.CustomResourceOptions = {}) {
        const { key, app, migration } = args;
        const { namespace, name } = splitAppKey(key);
        const otel = app.mode === AppMode.otel;
        // Bridge rolls the pods like otel and is certified the same way, minus injection: the SkyWalking agent stays.
        const gate: ops.GateSettings = {
            watch: app.mode !== AppMode.skywalking, soakSeconds: migration.soakSeconds, pollSeconds: migration.pollSeconds, rolloutTimeoutSeconds: migration.rolloutTimeoutSeconds,
            injectedInitContainer: otel && migration.verifyInjection ? LANGUAGES[app.language].otel.initContainer : "",
            ...(otel && { skywalkingCheck: { language: app.language, container: app.container ?? "", agents: app.agents ?? {} } }),
            // parseStackConfig has checked that an app the trace check covers has a serviceName.
            ...(otel && migration.verifyTraces && tracesChecked(migration.verifyTraces, key) && { traces: {
                service: app.serviceName ?? "", backendUrl: migration.verifyTraces.backend.url, timeoutSeconds: migration.verifyTraces.timeoutSeconds } }),
        };
        // One Output per app: the body waits for the Instrumentation's ref (and a rebuilt image), the rest rides along.
        const spec = pulumi.all([args.instrumentationRef, args.image, args.traceBackendReady]).apply(([instrumentationRef, image]) => {
            const body = workloadPatch({ key, app, instrumentationRef, image, skywalkingReceiverAddress: args.skywalkingReceiverAddress });
            const flip: ops.FlipSpec = { target: { kind: app.kind, namespace, name }, fieldManager: migration.fieldManager, body, patchHash: hashOf(body), gate };
            return JSON.stringify(flip);
        });
        super(appFlipProvider, key, { app: key, spec, ...(args.cluster && { cluster: args.cluster }) }, {
            ...opts,
            retainOnDelete: true,
            additionalSecretOutputs: ["cluster"],
            aliases: [...(opts.aliases ?? []), { name: `${key}-patch`, type: LEGACY_DYNAMIC_TYPE, parent: legacyComponentUrn(key) }],
        }, APP_FLIP_TYPE.module, APP_FLIP_TYPE.type);
    }
}

const LEGACY_DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

/** The URN of the `AppMigration` component that parented an app's resources before AppFlip. */
function legacyComponentUrn(key: string): string {
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${TYPE_PREFIX}:AppMigration::${key}`;
}

/**
 * The cluster every AppFlip reaches, as one secret Output (a kubeconfig may hold credentials inline); undefined
 * when neither is set, so the defaults apply and no AppFlip carries a secret the engine re-encrypts at every step.
 */
export function clusterAccess(kubeconfig?: string, kubeContext?: string): pulumi.Output<ops.ClusterAccess> | undefined {
    return kubeconfig === undefined && kubeContext === undefined ? undefined : pulumi.secret(pulumi.output({ kubeconfig, kubeContext }));
}

/** A short, stable digest of the patch body: changes exactly when the applied template would. */
export function hashOf(value: unknown): string {
    return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}
