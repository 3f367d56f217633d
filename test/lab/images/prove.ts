/**
 * The real-parts proof of the image rebuild: builds the lab app image with both builders against a real registry and
 * runs the result. docker-build's part runs the GENERATED Dockerfile and launcher through buildah (BuildKit needs a
 * daemon this machine cannot run: docs/image-rebuild.md); layer-append runs the component's own code.
 * Run by prove.sh, which installs the tools and makes the images first. Fails loudly; prints "N passed, N failed".
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { appendLayer } from "../../../components/image-rebuild/layer-append/append";
import { parseImageRef, type ImageRef } from "../../../components/image-rebuild/image-ref";
import { IMAGE_LAYOUT, LAUNCHER_CONTEXT_FILE } from "../../../components/image-rebuild/layout";
import { LABEL_INPUTS, LABEL_SOURCE, rebuildSpec, type RebuildInputs } from "../../../components/image-rebuild/spec";

const REGISTRY = process.env.SKYSHIFT_REGISTRY ?? "127.0.0.1:5000";
const SOURCE_TAG = process.env.SKYSHIFT_SOURCE_TAG ?? "1.0-0m";
const CACHE = process.env.SKYSHIFT_CACHE ?? path.join(os.homedir(), ".cache/skyshift");
const BUILDAH_ROOT = process.env.LAB_BUILDAH_ROOT ?? path.join(CACHE, "buildah");
/** An option with a quote and spaces: it must reach java as one argument through busybox sh in the image. */
const AWKWARD_OPTION = "-Dotel.resource.attributes=team=it's ours";

export function buildah(...args: string[]): string {
    try {
        return execFileSync("buildah", ["--storage-driver", "vfs", "--root", `${BUILDAH_ROOT}/root`, "--runroot", `${BUILDAH_ROOT}/run`, ...args], {
            env: { ...process.env, BUILDAH_ISOLATION: "chroot" },
            stdio: ["ignore", "pipe", "pipe"],
            maxBuffer: 64 * 1024 * 1024,
        }).toString();
    } catch (error) {
        const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
        throw new Error(`buildah ${args.join(" ")} failed: ${stderr || String(error)}`);
    }
}

/** buildah 1.28 rejects name:tag@digest; name@digest is the same image. */
function byDigest(repository: string, digest: string): string {
    return `${repository}@${digest}`;
}

/** The manifest digest the registry serves for a tag, as a Deployment would pin it. */
export async function registryDigest(repository: string, tag: string): Promise<string> {
    const response = await fetch(`http://${REGISTRY}/v2/${repository}/manifests/${tag}`, {
        method: "HEAD",
        headers: { accept: "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json" },
    });
    const digest = response.headers.get("docker-content-digest");
    if (!response.ok || !digest) throw new Error(`${REGISTRY}/${repository}:${tag} not found (${response.status}) — did test/lab/images/build.sh run?`);
    return digest;
}

let passed = 0;
let failed = 0;
function check(name: string, ok: boolean, detail: unknown): void {
    if (ok) passed++;
    else failed++;
    console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `\n     got: ${JSON.stringify(detail)}`}`);
}

interface RunResult { javaToolOptions: string; argv: string[]; files: Map<string, string | undefined> }

/** Pulls the image into a fresh container, runs its ENTRYPOINT (the app's start script) and hashes a few paths. */
function runImage(ref: string, paths: readonly string[]): RunResult {
    const container = buildah("from", "--quiet", "--tls-verify=false", `docker://${ref}`).trim();
    try {
        const entrypoint = ociConfig(container).Entrypoint ?? [];
        const out = buildah("run", container, "--", ...entrypoint);
        const root = buildah("mount", container).trim();
        const files = new Map(paths.map(p => [p, fs.existsSync(root + p) ? (fs.statSync(root + p).isDirectory() ? "dir" : sha256(fs.readFileSync(root + p))) : undefined]));
        const lines = out.split("\n");
        return {
            javaToolOptions: lines.find(l => l.startsWith("JAVA_TOOL_OPTIONS="))?.slice("JAVA_TOOL_OPTIONS=".length) ?? "<none>",
            argv: lines.filter(l => l.startsWith("ARG=")).map(l => l.slice(4)),
            files,
        };
    } finally {
        buildah("rm", container);
    }
}

/** buildah 1.28's --format has no json function: read the whole inspect document. */
function ociConfig(name: string, type = "container"): { Entrypoint?: string[]; Labels?: Record<string, string> } {
    return (JSON.parse(buildah("inspect", "--type", type, name)) as { OCIv1: { config: { Entrypoint?: string[]; Labels?: Record<string, string> } } }).OCIv1.config;
}

function sha256(data: Buffer): string {
    return createHash("sha256").update(data).digest("hex");
}

function fileOf(ref: string, file: string): string {
    const container = buildah("from", "--quiet", "--tls-verify=false", `docker://${ref}`).trim();
    try {
        return sha256(fs.readFileSync(buildah("mount", container).trim() + file));
    } finally {
        buildah("rm", container);
    }
}

const EXPECTED_ARGV = [
    `-javaagent:${IMAGE_LAYOUT.agentJar}`, `-Dotel.javaagent.extensions=${IMAGE_LAYOUT.extensionsDir}`, AWKWARD_OPTION,
    "-Xss512k", "-Xmx512m", "-Dfile.encoding=UTF-8", "-jar", "/home/admin/app.jar", "--server.port=8080",
];

function verify(builder: string, ref: string, agentSha: string, extensionSha: string): void {
    const result = runImage(ref, ["/skywalking/agent", "/skywalking/agent/skywalking-agent.jar", IMAGE_LAYOUT.agentJar, `${IMAGE_LAYOUT.extensionsDir}/skyshift-ext.jar`, IMAGE_LAYOUT.launcher, "/home/admin/app.jar"]);
    check(`${builder}: the SkyWalking agent directory is gone`, result.files.get("/skywalking/agent") === undefined, [...result.files]);
    check(`${builder}: the OTel agent is the agent image's /javaagent.jar`, result.files.get(IMAGE_LAYOUT.agentJar) === agentSha, result.files.get(IMAGE_LAYOUT.agentJar));
    check(`${builder}: the extension pack is in place`, result.files.get(`${IMAGE_LAYOUT.extensionsDir}/skyshift-ext.jar`) === extensionSha, result.files.get(`${IMAGE_LAYOUT.extensionsDir}/skyshift-ext.jar`));
    check(`${builder}: the app itself is untouched`, result.files.get("/home/admin/app.jar") !== undefined, [...result.files]);
    check(`${builder}: the original start script calls java with the OTel agent, without SkyWalking, other flags intact`,
        JSON.stringify(result.argv) === JSON.stringify(EXPECTED_ARGV), result.argv);
    check(`${builder}: no SkyWalking anywhere in what java sees`, !JSON.stringify(result).toLowerCase().includes("skywalking-agent.jar") && !result.argv.some(a => a.startsWith("-Dskywalking")), result);
}

async function main(): Promise<void> {
    const sourceDigest = await registryDigest("lab/order-service", SOURCE_TAG);
    const inputs: RebuildInputs = {
        app: "lab/order-service",
        sourceImage: `${REGISTRY}/lab/order-service:${SOURCE_TAG}@${sourceDigest}`,
        javaAgentImage: `${REGISTRY}/lab/autoinstrumentation-java:2.x`,
        extensions: [{ image: `${REGISTRY}/lab/otel-extension:1.0`, dir: "/extensions" }],
        agentDir: "/skywalking/agent",
        jvmOptions: [AWKWARD_OPTION],
        registryServer: REGISTRY,
    };
    const agentSha = fileOf(inputs.javaAgentImage, "/javaagent.jar");
    const extensionSha = fileOf(`${REGISTRY}/lab/otel-extension:1.0`, "/extensions/skyshift-ext.jar");

    // The fixture really is a SkyWalking app: before the rebuild its start script loads the agent.
    const before = runImage(byDigest(`${REGISTRY}/lab/order-service`, sourceDigest), []);
    check("control: the original image starts java with the SkyWalking agent",
        before.argv[0] === "-javaagent:/skywalking/agent/skywalking-agent.jar" && before.argv.includes("-Dskywalking.collector.backend_service=oap:11800"), before.argv);

    const spec = rebuildSpec({ ...inputs, builder: "docker-build" });
    const context = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-rebuild-"));
    fs.writeFileSync(path.join(context, "Dockerfile"), spec.dockerfile);
    fs.writeFileSync(path.join(context, LAUNCHER_CONTEXT_FILE), spec.launcher, { mode: 0o755 });
    console.log(`generated Dockerfile:\n${spec.dockerfile}`);
    const target = `${spec.repository}:${spec.tag}`;
    buildah("bud", "--quiet", "--tls-verify=false", "--isolation", "chroot", "-f", path.join(context, "Dockerfile"), "-t", target, context);
    buildah("push", "--quiet", "--tls-verify=false", target, `docker://${target}`);
    const built = byDigest(spec.repository, await registryDigest(spec.repository.slice(REGISTRY.length + 1), spec.tag));
    console.log(`docker-build path (generated Dockerfile via buildah): ${built}`);
    verify("generated Dockerfile (buildah)", built, agentSha, extensionSha);
    const labels = ociConfig(target, "image").Labels ?? {};
    check("generated Dockerfile (buildah): labels name the source and the tag", labels[LABEL_SOURCE] === spec.from && labels[LABEL_INPUTS] === spec.tag, labels);

    const appendSpec = rebuildSpec({ ...inputs, builder: "layer-append" });
    const ref = (text: string): ImageRef => {
        const parsed = parseImageRef(text);
        if ("error" in parsed) throw new Error(parsed.error);
        return parsed;
    };
    const request = {
        source: appendSpec.source, agentImage: appendSpec.agentImage,
        extensions: appendSpec.extensions.map(e => ({ image: ref(e.image), dir: e.dir })),
        agentDir: appendSpec.agentDir, launcher: appendSpec.launcher, repository: appendSpec.repository, tag: appendSpec.tag,
        labels: { [LABEL_SOURCE]: appendSpec.from, [LABEL_INPUTS]: appendSpec.tag },
        target: { server: REGISTRY, insecure: true },
    };
    const appended = await appendLayer(request);
    const appendedRef = byDigest(appendSpec.repository, appended.digest);
    console.log(`layer-append: ${appendedRef} (${appended.uploadedBytes} bytes uploaded)`);
    verify("layer-append", appendedRef, agentSha, extensionSha);
    check("layer-append: the registry serves the digest the builder computed",
        await registryDigest(appendSpec.repository.slice(REGISTRY.length + 1), appendSpec.tag) === appended.digest, appended.digest);
    const again = await appendLayer(request);
    check("layer-append: running it again gives the same digest and uploads nothing", again.digest === appended.digest && again.uploadedBytes < 2048, again);
    const secondApp = await appendLayer({ ...request, repository: `${request.repository}-2` });
    check("layer-append: a second app with the same agent mounts the new layer too, uploading only config and manifest",
        secondApp.uploadedBytes < 8192, secondApp);

    console.log(`\n${passed} passed, ${failed} failed`);
    if (failed > 0) process.exitCode = 1;
}

main().catch(error => {
    console.error(error);
    console.log(`\n${passed} passed, ${failed + 1} failed`);
    process.exitCode = 1;
});
