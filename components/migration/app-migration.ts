import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { AppConfig, AppMode, MigrationConfig, splitAppKey, tracesChecked } from "../../config";
import { LANGUAGES } from "../../languages";
import { TYPE_PREFIX } from "../constants";
import { RolloutGate } from "./rollout-gate";
import { WorkloadApply } from "./workload-apply";
import { workloadPatch } from "./workload-patch";

export interface AppMigrationArgs {
    /** The app's key in stack config, `namespace/workload`; also the stable base of the children's names. */
    readonly key: string;
    /** The app's validated config (`apps["<key>"]`); `appFlipProblems` must report nothing for it. */
    readonly app: AppConfig;
    /** `namespace/name` of the Instrumentation, from the Instrumentation component's `ref`. */
    readonly instrumentationRef: pulumi.Input<string>;
    /** The `migration` section: field manager, soak, poll and rollout timeout. */
    readonly migration: MigrationConfig;
    /** The rebuilt image (issue 6's image-rebuild component) for `rebuildImage: true` apps; required for those in otel mode. */
    readonly image?: pulumi.Input<string>;
    /** The Kubernetes provider's kubeconfig (contents or path) for the health gate; default `$KUBECONFIG`. */
    readonly kubeconfig?: pulumi.Input<string>;
    /** The Kubernetes provider's context (`kubernetes:context`) in that kubeconfig; default its current context. */
    readonly kubeContext?: pulumi.Input<string>;
    /**
     * In otel mode the gate also requires the operator's init container (`opentelemetry-auto-instrumentation-<lang>`)
     * in every new pod: the operator's webhook is fail-open, so a pod created while it is down runs with no agent
     * at all (`migration.verifyInjection`).
     */
    readonly verifyInjection: boolean;
}

/**
 * One app's flip: a Server-Side Apply of its workload's pod template (never undone on delete, so removing the
 * app from the inventory leaves the workload as it is) and the RolloutGate that holds the update until the
 * new pods have rolled out and soaked.
 */
export class AppMigration extends pulumi.ComponentResource {
    public readonly mode: AppMode;
    /** The patch body, for reviews and tests. */
    public readonly patchSpec: pulumi.Output<Record<string, unknown>>;
    public readonly patch: WorkloadApply;
    public readonly gate: RolloutGate;

    constructor(name: string, args: AppMigrationArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${TYPE_PREFIX}:AppMigration`, name, {}, opts);
        const { key, app, migration } = args;
        this.mode = app.mode;
        this.patchSpec = pulumi.all([args.instrumentationRef, args.image]).apply(([instrumentationRef, image]) =>
            workloadPatch({ key, app, instrumentationRef, image }));
        const { namespace, name: workload } = splitAppKey(key);
        const kubeconfig = args.kubeconfig && pulumi.secret(args.kubeconfig);
        // A dynamic resource rather than the provider's DeploymentPatch: that one diffs lists by position and so
        // reports most apps as changed on every preview (docs/migration.md). retainOnDelete states the intent;
        // its delete does nothing either way.
        this.patch = new WorkloadApply(`${name}-patch`, {
            kind: app.kind, namespace, name: workload, fieldManager: migration.fieldManager, body: this.patchSpec, kubeconfig,
            kubeContext: args.kubeContext,
        }, { parent: this, retainOnDelete: true });
        this.gate = new RolloutGate(`${name}-gate`, {
            app: key,
            kind: app.kind,
            namespace,
            name: workload,
            watch: app.mode === AppMode.otel,
            patchHash: this.patchSpec.apply(hashOf),
            soakSeconds: migration.soakSeconds,
            pollSeconds: migration.pollSeconds,
            rolloutTimeoutSeconds: migration.rolloutTimeoutSeconds,
            injectedInitContainer: app.mode === AppMode.otel && args.verifyInjection ? LANGUAGES[app.language].otel.initContainer : "",
            skywalkingCheck: app.mode === AppMode.otel ? { language: app.language, container: app.container ?? "", agents: app.agents ?? {} } : undefined,
            // parseStackConfig has checked that an app the trace check covers has a serviceName.
            traceService: app.mode === AppMode.otel && tracesChecked(migration.verifyTraces, key) ? app.serviceName ?? "" : "",
            traceBackendUrl: migration.verifyTraces?.backend.url ?? "",
            traceTimeoutSeconds: migration.verifyTraces?.timeoutSeconds ?? 0,
            kubeconfig,
            kubeContext: args.kubeContext,
        }, { parent: this, dependsOn: [this.patch] });
        this.registerOutputs({ mode: this.mode, patchSpec: this.patchSpec });
    }
}

/** A short, stable digest of the patch body: changes exactly when the applied template would. */
export function hashOf(value: unknown): string {
    return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}
