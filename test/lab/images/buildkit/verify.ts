/** Runs the real-build checks on one rebuilt image reference (argv[2]); used after the Pulumi stretch run. */
import { Checks, expectedFiles, labInputs, verifyRebuilt } from "../lab-checks";

const checks = new Checks();

async function main(): Promise<void> {
    const ref = process.argv[2];
    if (!ref) throw new Error("usage: verify.ts <repository@sha256:…>");
    const { inputs } = await labInputs();
    verifyRebuilt(checks, "AgentImageRebuild via @pulumi/docker-build + BuildKit", ref, expectedFiles(inputs));
}

main().then(() => checks.finish(), error => checks.finish(error));
