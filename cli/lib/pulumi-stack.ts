import * as fs from "fs";
import * as path from "path";
import type { StateResource, UpdateRecord } from "./rollback-plan";

/** What rollback needs from a Pulumi stack; the Automation API implementation is below, tests use a fake. */
export interface RollbackStack {
    history(): Promise<UpdateRecord[]>;
    resources(): Promise<StateResource[]>;
    /** `pulumi preview --diff`; output streams to `onOutput`. Returns the change counts. */
    preview(onOutput: (text: string) => void): Promise<Record<string, number>>;
    /** `pulumi up`; output streams to `onOutput`. Rejects when the update fails. */
    up(onOutput: (text: string) => void): Promise<Record<string, number>>;
}

/**
 * Selects an existing stack of the project in `workDir` through the Automation API. The stack's config is
 * read from `Pulumi.<stack>.yaml` at each operation, so edits written before `preview` are what runs.
 * The backend and passphrase come from the environment (`PULUMI_BACKEND_URL`, `PULUMI_CONFIG_PASSPHRASE`).
 */
export async function selectStack(stackName: string, workDir: string): Promise<RollbackStack> {
    requirePulumiCli();
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    const stack = await LocalWorkspace.selectStack({ stackName, workDir });
    return {
        history: async () => (await stack.history()) as unknown as UpdateRecord[],
        resources: async () => ((await stack.exportStack()).deployment?.resources ?? []) as StateResource[],
        async preview(onOutput) {
            const result = await stack.preview({ diff: true, onOutput });
            return result.changeSummary as Record<string, number>;
        },
        async up(onOutput) {
            const result = await stack.up({ diff: true, onOutput });
            return (result.summary.resourceChanges ?? {}) as Record<string, number>;
        },
    };
}

/**
 * The Automation API runs the `pulumi` CLI found on PATH; without one it fails with a bare `spawn pulumi ENOENT`.
 * Says what is missing and how to get it instead.
 */
export function requirePulumiCli(searchPath = process.env.PATH ?? ""): void {
    const found = searchPath.split(path.delimiter).filter(dir => dir !== "").some(dir => {
        try {
            fs.accessSync(path.join(dir, "pulumi"), fs.constants.X_OK);
            return true;
        } catch {
            return false;
        }
    });
    if (!found) {
        throw new Error("the pulumi CLI is not on PATH — install it (https://www.pulumi.com/docs/iac/download-install/), " +
            "or for the local lab run: source test/lab/env.sh");
    }
}
