/** Runs the real-build checks on one rebuilt image reference (argv[2], built by argv[3]); used after the Pulumi run. */
import { Checks, expectedFiles, labInputs, verifyRebuilt } from "../lab-checks";

const checks = new Checks();

async function main(): Promise<void> {
    const ref = process.argv[2];
    if (!ref) throw new Error("usage: verify.ts <repository@sha256:…>");
    const { inputs } = await labInputs();
    verifyRebuilt(checks, `AgentImageRebuild under pulumi up (${process.argv[3] ?? "docker-build"})`, ref, expectedFiles(inputs));
}

main().then(() => checks.finish(), error => checks.finish(error));
