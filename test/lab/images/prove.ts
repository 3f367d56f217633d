/**
 * The real-parts proof of the image rebuild: builds the lab app image with both builders against a real registry and
 * runs the result. docker-build's part runs the GENERATED Dockerfile and launcher through buildah (BuildKit through
 * Pulumi is the stretch in test/lab/images/buildkit/); layer-append runs the component's own code.
 * Run by prove.sh, which installs the tools and makes the images first. Fails loudly; prints "N passed, N failed".
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { appendLayer, type LayerAppendRequest } from "../../../components/image-rebuild/layer-append/append";
import { parseImageRef, type ImageRef } from "../../../components/image-rebuild/image-ref";
import { DOCKER_BUILD_CONTEXT_DIR } from "../../../components/image-rebuild/launcher-image";
import { LABEL_INPUTS, LABEL_SOURCE, rebuildSpec } from "../../../components/image-rebuild/spec";
import { buildah, byDigest, Checks, expectedFiles, labInputs, ociConfig, pushLauncherImage, REGISTRY, REGISTRY_CREDENTIALS, REGISTRY_FLAGS, registryDigest, runImage, verifyRebuilt } from "./lab-checks";

const checks = new Checks();

function ref(text: string): ImageRef {
    const parsed = parseImageRef(text);
    if ("error" in parsed) throw new Error(parsed.error);
    return parsed;
}

async function main(): Promise<void> {
    const { inputs, sourceDigest } = await labInputs();
    const expected = expectedFiles(inputs);

    // The fixture really is a SkyWalking app: before the rebuild its start script loads the agent.
    const before = runImage(byDigest(`${REGISTRY}/lab/order-service`, sourceDigest), []);
    checks.check("control: the original image starts java with the SkyWalking agent",
        before.argv[0] === "-javaagent:/skywalking/agent/skywalking-agent.jar" && before.argv.includes("-Dskywalking.collector.backend_service=oap:11800"), before.argv);

    const spec = rebuildSpec({ ...inputs, builder: "docker-build" });
    // As AgentImageRebuild does: the launcher image first (pushed registry-side), then the build in the committed, empty context.
    const launcherDigest = await pushLauncherImage(spec);
    console.log(`launcher image: ${spec.repository}:${spec.launcherTag}@${launcherDigest}`);
    const dockerfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-rebuild-")), "Dockerfile");
    fs.writeFileSync(dockerfile, spec.dockerfile);
    console.log(`generated Dockerfile:\n${spec.dockerfile}`);
    const target = `${spec.repository}:${spec.tag}`;
    buildah("bud", "--quiet", ...REGISTRY_FLAGS, "--isolation", "chroot", "-f", dockerfile, "-t", target, DOCKER_BUILD_CONTEXT_DIR);
    buildah("push", "--quiet", ...REGISTRY_FLAGS, target, `docker://${target}`);
    const built = byDigest(spec.repository, await registryDigest(spec.repository.slice(REGISTRY.length + 1), spec.tag));
    console.log(`generated Dockerfile built by buildah: ${built}`);
    verifyRebuilt(checks, "generated Dockerfile (buildah)", built, expected);
    const labels = ociConfig(target, "image").Labels ?? {};
    checks.check("generated Dockerfile (buildah): labels name the source and the tag", labels[LABEL_SOURCE] === spec.from && labels[LABEL_INPUTS] === spec.tag, labels);

    const appendSpec = rebuildSpec({ ...inputs, builder: "layer-append" });
    const request: LayerAppendRequest = {
        source: appendSpec.source, agentImage: appendSpec.agentImage,
        extensions: appendSpec.extensions.map(e => ({ image: ref(e.image), dir: e.dir })),
        agentDir: appendSpec.agentDir, launcher: appendSpec.launcher, repository: appendSpec.repository, tag: appendSpec.tag,
        labels: { [LABEL_SOURCE]: appendSpec.from, [LABEL_INPUTS]: appendSpec.tag },
        target: { server: REGISTRY, insecure: REGISTRY_CREDENTIALS === undefined, ...REGISTRY_CREDENTIALS },
    };
    if (REGISTRY_CREDENTIALS) {
        // Control: the registry really asks for the password, so the pushes below prove the credentials work.
        const anonymous = await appendLayer({ ...request, target: { server: REGISTRY } }).then(() => "pushed", (error: Error) => error.message);
        checks.check("registry auth: a push without credentials is refused", anonymous.includes("asks for a username and password"), anonymous);
    }
    const appended = await appendLayer(request);
    const appendedRef = byDigest(appendSpec.repository, appended.digest);
    console.log(`layer-append: ${appendedRef} (${appended.uploadedBytes} bytes uploaded)`);
    verifyRebuilt(checks, "layer-append", appendedRef, expected);
    checks.check("layer-append: the registry serves the digest the builder computed",
        await registryDigest(appendSpec.repository.slice(REGISTRY.length + 1), appendSpec.tag) === appended.digest, appended.digest);
    const again = await appendLayer(request);
    checks.check("layer-append: running it again gives the same digest and uploads nothing", again.digest === appended.digest && again.uploadedBytes < 2048, again);
    const secondApp = await appendLayer({ ...request, repository: `${request.repository}-2` });
    checks.check("layer-append: a second app with the same agent mounts the new layer too, uploading only config and manifest",
        secondApp.uploadedBytes < 8192, secondApp);
}

main().then(() => checks.finish(), error => checks.finish(error));
