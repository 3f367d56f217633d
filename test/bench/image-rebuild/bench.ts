/**
 * Image-rebuild benchmark: a full rebuild against skyshift's, on the same registry and the same large base image,
 * side by side in one run. Run by test/bench/image-rebuild/run.sh (npm run bench:image), which makes the images first.
 *   full rebuild     buildah pull + bud (a Dockerfile FROM the image: COPY otel.tar.gz, RUN tar, RUN rm) + push
 *   buildah          the generated Dockerfile through a full local builder (bud + push)
 *   BuildKit         the generated Dockerfile through buildkitd, as docker-build drives it; again with
 *                    removeAgentDir: false (no RUN, COPY --link). Only when SKYSHIFT_BUILDKIT_ADDR is set.
 *   layer-append     skyshift's fast path: base layers mounted registry-side, one new layer uploaded; then a second app
 *   floor            the new layer alone (gzip), which any method must upload at least once
 * Traffic is counted on the wire by a proxy in front of the registry; disk is what each method left locally.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { appendLayer } from "../../../components/image-rebuild/layer-append/append";
import { rebuildLayerEntries } from "../../../components/image-rebuild/layer-append/layer";
import { writeTar } from "../../../components/image-rebuild/layer-append/tar";
import { DOCKER_BUILD_CONTEXT_DIR } from "../../../components/image-rebuild/launcher-image";
import { parseImageRef, type ImageRef } from "../../../components/image-rebuild/image-ref";
import { LABEL_INPUTS, LABEL_SOURCE, rebuildSpec, type RebuildInputs, type RebuildSpec } from "../../../components/image-rebuild/spec";
import { imageRebuildSchema } from "../../../config/image-rebuild";
import { pushLauncherImage } from "../../lab/images/lab-checks";
import { startCountingProxy, type Traffic } from "./counting-proxy";

const UPSTREAM_PORT = Number(process.env.SKYSHIFT_REGISTRY_PORT ?? 5000);
const PROXY_PORT = Number(process.env.SKYSHIFT_BENCH_PROXY_PORT ?? UPSTREAM_PORT + 1);
const PROXY = `127.0.0.1:${PROXY_PORT}`;
const SOURCE_TAG = process.env.SKYSHIFT_SOURCE_TAG ?? "1.0-400m";
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-bench-"));
/** buildkitd's address (test/lab/images/buildkit/prove.sh starts one); without it the BuildKit rows are left out. */
const BUILDKIT = process.env.SKYSHIFT_BUILDKIT_ADDR;
const BUILDKIT_ROOT = process.env.SKYSHIFT_BUILDKIT_ROOT ?? path.join(os.homedir(), ".cache/skyshift/buildkit/root");

interface Row { method: string; seconds: number; traffic: Traffic; diskBytes: number }

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(command, args, { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
            if (error) reject(new Error(`${command} ${args.join(" ")} failed: ${stderr || error.message}`));
            else resolve(stdout);
        });
    });
}

/** buildah with a storage root of its own per method, so the disk it leaves behind is that method's alone. */
function buildah(root: string, ...args: string[]): Promise<string> {
    return run("buildah", ["--storage-driver", "vfs", "--root", `${root}/root`, "--runroot", `${root}/run`, ...args], { BUILDAH_ISOLATION: "chroot" });
}

async function diskBytes(dir: string): Promise<number> {
    if (!fs.existsSync(dir)) return 0;
    return Number((await run("du", ["-sb", dir])).split("\t")[0]);
}

async function digestOf(repository: string, tag: string): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${UPSTREAM_PORT}/v2/${repository}/manifests/${tag}`, {
        method: "HEAD", headers: { accept: "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json" },
    });
    const digest = response.headers.get("docker-content-digest");
    if (!digest) throw new Error(`127.0.0.1:${UPSTREAM_PORT}/${repository}:${tag} is missing — run test/bench/image-rebuild/run.sh`);
    return digest;
}

function ref(text: string): ImageRef {
    const parsed = parseImageRef(text);
    if ("error" in parsed) throw new Error(parsed.error);
    return parsed;
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

async function main(): Promise<void> {
    const proxy = await startCountingProxy(PROXY_PORT, UPSTREAM_PORT);
    const rows: Row[] = [];
    const measure = async (method: string, storage: string | undefined, body: () => Promise<void>) => {
        proxy.reset();
        const start = process.hrtime.bigint();
        await body();
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        rows.push({ method, seconds, traffic: proxy.reset(), diskBytes: storage ? await diskBytes(storage) : 0 });
        console.error(`${method}: ${seconds.toFixed(1)} s`);
    };
    try {
        const digest = await digestOf("lab/order-service", SOURCE_TAG);
        const source = `${PROXY}/lab/order-service@${digest}`;
        const settings = imageRebuildSchema.parse({});
        const inputs: RebuildInputs = {
            builder: settings.builder, removeAgentDir: settings.removeAgentDir, repositoryPrefix: settings.repositoryPrefix,
            agentDir: settings.agentDir, jvmOptions: settings.jvmOptions,
            app: "bench/order-service",
            sourceImage: source,
            javaAgentImage: `${PROXY}/lab/autoinstrumentation-java:2.x`,
            extensions: [{ image: `${PROXY}/lab/otel-extension:1.0`, dir: "/extensions" }],
            registryServer: PROXY,
        };
        const spec = rebuildSpec(inputs);

        // A full rebuild ships the agent and extension as a local otel.tar.gz; read them once, outside the timings.
        const helper = path.join(WORK, "helper");
        const agentJar = await extract(helper, spec.agentImage, "/javaagent.jar");
        const extensionJar = await extract(helper, ref(spec.extensions[0].image), "/extensions/skyshift-ext.jar");
        const fullRebuildContext = path.join(WORK, "full-rebuild-context");
        fs.mkdirSync(path.join(fullRebuildContext, "otel/extensions"), { recursive: true });
        fs.writeFileSync(path.join(fullRebuildContext, "otel/opentelemetry-javaagent.jar"), agentJar);
        fs.writeFileSync(path.join(fullRebuildContext, "otel/extensions/skyshift-ext.jar"), extensionJar);
        await run("tar", ["-czf", path.join(fullRebuildContext, "otel.tar.gz"), "-C", fullRebuildContext, "otel"]);
        fs.copyFileSync(path.join(__dirname, "../../lab/images/fixtures/start.sh"), path.join(fullRebuildContext, "start.sh"));
        fs.writeFileSync(path.join(fullRebuildContext, "Dockerfile"), [
            `FROM ${PROXY}/lab/order-service:${SOURCE_TAG}`,
            "COPY start.sh /home/admin/start.sh",
            "COPY otel.tar.gz /home/admin/otel.tar.gz",
            "RUN tar -zxvf /home/admin/otel.tar.gz -C /home/admin",
            "RUN rm -rf /skywalking/agent",
            `ENTRYPOINT ["/bin/sh", "/home/admin/start.sh"]`,
            "",
        ].join("\n"));

        // docker-build's launcher images, pushed registry-side before any build as AgentImageRebuild does (a few KiB, untimed).
        const launcherTags = new Set<string>();
        const pushLauncher = async (built: RebuildSpec) => {
            if (!launcherTags.has(built.launcherTag)) await pushLauncherImage(built, PROXY);
            launcherTags.add(built.launcherTag);
        };
        const measureBuildKit = async (method: string, built: RebuildSpec, target: string) => {
            await pushLauncher(built);
            const context = fs.mkdtempSync(path.join(WORK, "buildkit-"));
            fs.writeFileSync(path.join(context, "Dockerfile"), built.dockerfile);
            await run("buildctl", ["--addr", BUILDKIT ?? "", "prune", "--all"]);
            const before = await diskBytes(BUILDKIT_ROOT);
            await measure(method, undefined, () => run("buildctl", [
                "--addr", BUILDKIT ?? "", "build", "--frontend", "dockerfile.v0", "--local", `context=${DOCKER_BUILD_CONTEXT_DIR}`, "--local", `dockerfile=${context}`,
                "--output", `type=image,name=${target},push=true,registry.insecure=true`,
            ]).then(() => undefined));
            rows[rows.length - 1].diskBytes = Math.max(0, (await diskBytes(BUILDKIT_ROOT)) - before);
        };

        const fullRebuildStorage = path.join(WORK, "full-rebuild");
        await measure("full rebuild (pull + build + push)", fullRebuildStorage, async () => {
            await buildah(fullRebuildStorage, "pull", "--quiet", "--tls-verify=false", `docker://${PROXY}/lab/order-service:${SOURCE_TAG}`);
            await buildah(fullRebuildStorage, "bud", "--quiet", "--tls-verify=false", "-f", path.join(fullRebuildContext, "Dockerfile"), "-t", `${PROXY}/full-rebuild/order-service:otel`, fullRebuildContext);
            await buildah(fullRebuildStorage, "push", "--quiet", "--tls-verify=false", `${PROXY}/full-rebuild/order-service:otel`, `docker://${PROXY}/full-rebuild/order-service:otel`);
        });

        const context = path.join(WORK, "docker-build-dockerfile");
        fs.mkdirSync(context);
        fs.writeFileSync(path.join(context, "Dockerfile"), spec.dockerfile);
        await pushLauncher(spec);
        const buildStorage = path.join(WORK, "docker-build");
        await measure("skyshift Dockerfile via buildah (full local build)", buildStorage, async () => {
            await buildah(buildStorage, "bud", "--quiet", "--tls-verify=false", "-f", path.join(context, "Dockerfile"), "-t", `${spec.repository}:${spec.tag}`, DOCKER_BUILD_CONTEXT_DIR);
            await buildah(buildStorage, "push", "--quiet", "--tls-verify=false", `${spec.repository}:${spec.tag}`, `docker://${spec.repository}:${spec.tag}-full`);
        });

        if (BUILDKIT) {
            // The declared default's real builder, cold (cache pruned): as docker-build runs it, via buildctl.
            await measureBuildKit("skyshift docker-build via BuildKit (buildctl)", spec, `${spec.repository}:${spec.tag}-buildkit`);
            // removeAgentDir: false — no RUN, COPY --link: BuildKit need not unpack the base, its layers stay in the registry.
            const kept = rebuildSpec({ ...inputs, removeAgentDir: false });
            await measureBuildKit("skyshift docker-build via BuildKit, removeAgentDir: false", kept, `${kept.repository}:${kept.tag}-buildkit`);
        } else {
            console.error("BuildKit rows left out: start buildkitd (test/lab/images/buildkit/prove.sh) and set SKYSHIFT_BUILDKIT_ADDR");
        }

        let uploaded = 0;
        const append = (repository: string) => appendLayer({
            source: spec.source, agentImage: spec.agentImage,
            extensions: spec.extensions.map(e => ({ image: ref(e.image), dir: e.dir })),
            agentDir: spec.agentDir, launcher: spec.launcher, repository, tag: spec.tag,
            labels: { [LABEL_SOURCE]: spec.from, [LABEL_INPUTS]: spec.tag },
            target: { server: PROXY, insecure: true },
        });
        await measure("skyshift layer-append", undefined, async () => {
            uploaded = (await append(spec.repository)).uploadedBytes;
        });
        // In one `pulumi up` the provider process reads the agent image once; every further app pulls only manifests.
        await measure("skyshift layer-append, a second app in the same update", undefined, async () => {
            await append(`${spec.repository}-2`);
        });

        const floor = gzipSync(writeTar(rebuildLayerEntries({
            agentJar, extensions: new Map([["skyshift-ext.jar", extensionJar]]), launcher: spec.launcher, agentDir: spec.agentDir,
        }))).length;
        const base = await imageSize(`lab/order-service`, digest);
        console.log(`\nbase image ${PROXY}/lab/order-service:${SOURCE_TAG}: ${mb(base)} MiB compressed; layer-append uploaded ${mb(uploaded)} MiB of blobs\n`);
        console.log("| method | wall time (s) | pulled (MiB) | pushed (MiB) | local disk (MiB) |");
        console.log("|---|---:|---:|---:|---:|");
        for (const row of rows) {
            console.log(`| ${row.method} | ${row.seconds.toFixed(1)} | ${mb(row.traffic.pulled)} | ${mb(row.traffic.pushed)} | ${mb(row.diskBytes)} |`);
        }
        console.log(`| physical floor (the new layer alone) | – | 0.0 | ${mb(floor)} | 0.0 |`);
    } finally {
        proxy.close();
        fs.rmSync(WORK, { recursive: true, force: true });
    }
}

/** Reads one file out of an image with a throwaway buildah root (setup, not measured). */
async function extract(root: string, image: ImageRef, file: string): Promise<Buffer> {
    const container = (await buildah(root, "from", "--quiet", "--tls-verify=false", `docker://${image.registry}/${image.repository}${image.digest ? `@${image.digest}` : `:${image.tag ?? "latest"}`}`)).trim();
    const mount = (await buildah(root, "mount", container)).trim();
    return fs.readFileSync(mount + file);
}

/** Sum of the compressed layer sizes in the manifest: what a full pull downloads. */
async function imageSize(repository: string, digest: string): Promise<number> {
    const response = await fetch(`http://127.0.0.1:${UPSTREAM_PORT}/v2/${repository}/manifests/${digest}`, {
        headers: { accept: "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json" },
    });
    const manifest = await response.json() as { layers: { size: number }[] };
    return manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
}

main().catch(error => {
    console.error(error);
    process.exitCode = 1;
});
