/** Runs migrateApps under Pulumi mocks and records every registration. */
import type * as pulumiModule from "@pulumi/pulumi";
import type { MigratedApps } from "../../components/migration";

export interface Registered {
    readonly type: string;
    readonly name: string;
    /** Resolved inputs as the engine would receive them (set once the mock monitor saw the resource). */
    inputs: Record<string, any>;
    readonly retainOnDelete?: boolean;
    readonly dependsOn: readonly string[];
    readonly aliases: readonly unknown[];
}

export interface MockRun {
    readonly registered: Registered[];
    /** migrateApps' result: rejects on invalid config. */
    readonly result: Promise<MigratedApps>;
}

/**
 * Mocks are set before the components are required (each run in a fresh module registry), as Pulumi's docs
 * ask.
 */
export async function runMigration(rawConfig: Record<string, unknown>,
    access: { kubeconfig?: string; kubeContext?: string } = { kubeconfig: "/lab/kubeconfig", kubeContext: "lab" }): Promise<MockRun> {
    let run!: MockRun;
    let body: Promise<void> = Promise.resolve();
    jest.isolateModules(() => {
        const pulumi = require("@pulumi/pulumi") as typeof pulumiModule;
        const registered: Registered[] = [];
        body = (async () => {
            await pulumi.runtime.setMocks({
                newResource: args => {
                    const registration = registered.find(r => r.type === args.type && r.name === args.name);
                    if (registration) registration.inputs = args.inputs;
                    return { id: `${args.name}-id`, state: { ...args.inputs } };
                },
                call: args => args.inputs,
            }, "skyshift", "unit", true, "organization");
            await pulumi.runtime.runInPulumiStack(async () => {
                pulumi.runtime.registerStackTransformation(args => {
                    const dependsOn = ([] as unknown[]).concat(args.opts.dependsOn ?? []) as Array<{ __name?: string }>;
                    registered.push({ type: args.type, name: args.name, inputs: {}, retainOnDelete: args.opts.retainOnDelete,
                        dependsOn: dependsOn.map(d => d.__name ?? "?"), aliases: args.opts.aliases ?? [] });
                    return undefined;
                });
                const { migrateApps } = require("../../components/migration");
                const { parseStackConfig } = require("../../config");
                const { withInventory } = require("../support/inventory");
                // Config problems reject the result.
                const result = (async () => {
                    const { config } = parseStackConfig(...withInventory({ collector: { exporters: [{ name: "debug", kind: "debug" }] }, ...rawConfig }));
                    return migrateApps(config, "observability/skyshift", access);
                })();
                run = { registered, result };
                await result.catch(() => undefined);
            });
        })();
    });
    await body;
    return run;
}

/** The value of an Output, or its error. */
export function valueOf<T>(output: pulumiModule.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}
