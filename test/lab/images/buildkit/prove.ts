/**
 * Stretch proof: the generated Dockerfile built by BuildKit itself (buildkitd from its Go module, runc worker),
 * driven by buildctl, then the same checks as the buildah proof. Run by test/lab/images/buildkit/prove.sh.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DOCKER_BUILD_CONTEXT_DIR } from "../../../../components/image-rebuild/launcher-image";
import { rebuildSpec } from "../../../../components/image-rebuild/spec";
import { byDigest, Checks, expectedFiles, labInputs, pushLauncherImage, REGISTRY, registryDigest, verifyRebuilt } from "../lab-checks";

const ADDR = process.env.SKYSHIFT_BUILDKIT_ADDR ?? `unix://${path.join(os.homedir(), ".cache/skyshift/buildkit/buildkitd.sock")}`;
const checks = new Checks();

async function main(): Promise<void> {
    const { inputs } = await labInputs();
    const spec = rebuildSpec(inputs);
    await pushLauncherImage(spec);
    const dockerfileDir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-buildkit-"));
    fs.writeFileSync(path.join(dockerfileDir, "Dockerfile"), spec.dockerfile);
    const tag = `${spec.tag}-buildkit`;
    execFileSync("buildctl", [
        "--addr", ADDR, "build", "--frontend", "dockerfile.v0", "--local", `context=${DOCKER_BUILD_CONTEXT_DIR}`, "--local", `dockerfile=${dockerfileDir}`,
        "--output", `type=image,name=${spec.repository}:${tag},push=true,registry.insecure=true`,
    ], { stdio: ["ignore", "inherit", "inherit"] });
    const built = byDigest(spec.repository, await registryDigest(spec.repository.slice(REGISTRY.length + 1), tag));
    console.log(`generated Dockerfile built by BuildKit: ${built}`);
    verifyRebuilt(checks, "generated Dockerfile (BuildKit)", built, expectedFiles(inputs));
}

main().then(() => checks.finish(), error => checks.finish(error));
