/**
 * What every real-build proof shares: buildah with the lab's storage, the registry's digests, the lab app's rebuild
 * inputs, and the checks run on a rebuilt image (pulled into a fresh container, its ENTRYPOINT run).
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { IMAGE_LAYOUT } from "../../../components/image-rebuild/layout";
import { pushFilesImage } from "../../../components/image-rebuild/layer-append/files-image";
import { launcherImageFiles } from "../../../components/image-rebuild/launcher-image";
import type { RebuildInputs, RebuildSpec } from "../../../components/image-rebuild/spec";
import { imageRebuildSchema } from "../../../config/image-rebuild";

export const REGISTRY = process.env.SKYSHIFT_REGISTRY ?? "127.0.0.1:5000";
/**
 * The lab registry's credentials and CA, from `registry.sh env` (prove.sh exports them); all unset for an open
 * registry (`SKYSHIFT_REGISTRY_AUTH=none`, the benchmark's), spoken to over plain HTTP.
 */
const AUTH_FILE = process.env.SKYSHIFT_REGISTRY_AUTH_FILE;
export const REGISTRY_CREDENTIALS = AUTH_FILE === undefined ? undefined : {
    username: process.env.SKYSHIFT_REGISTRY_USERNAME ?? "",
    password: fs.readFileSync(process.env.SKYSHIFT_REGISTRY_PASSWORD_FILE ?? "", "utf8").trim(),
};
/** buildah's flags for pulls and pushes: the lab CA and the auth file, or plain HTTP. */
export const REGISTRY_FLAGS = AUTH_FILE === undefined ? ["--tls-verify=false"] : ["--cert-dir", process.env.SKYSHIFT_REGISTRY_CERT_DIR ?? "", "--authfile", AUTH_FILE];
const REGISTRY_URL = `${AUTH_FILE === undefined ? "http" : "https"}://${REGISTRY}`;
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
export function byDigest(repository: string, digest: string): string {
    return `${repository}@${digest}`;
}

/** The manifest digest the registry serves for a tag, as a Deployment would pin it. */
export async function registryDigest(repository: string, tag: string): Promise<string> {
    const basic = REGISTRY_CREDENTIALS && Buffer.from(`${REGISTRY_CREDENTIALS.username}:${REGISTRY_CREDENTIALS.password}`).toString("base64");
    const response = await fetch(`${REGISTRY_URL}/v2/${repository}/manifests/${tag}`, {
        method: "HEAD",
        headers: { accept: "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json", ...(basic && { authorization: `Basic ${basic}` }) },
    });
    const digest = response.headers.get("docker-content-digest");
    if (!response.ok || !digest) throw new Error(`${REGISTRY}/${repository}:${tag} not found (${response.status}) — did test/lab/images/build.sh run?`);
    return digest;
}

/** The lab app's rebuild inputs, as the composition derives them from stack config (the schema's defaults). */
export async function labInputs(): Promise<{ inputs: RebuildInputs; sourceDigest: string }> {
    const sourceDigest = await registryDigest("lab/order-service", SOURCE_TAG);
    const settings = imageRebuildSchema.parse({ jvmOptions: [AWKWARD_OPTION] });
    return {
        sourceDigest,
        inputs: {
            builder: settings.builder,
            removeAgentDir: settings.removeAgentDir,
            repositoryPrefix: settings.repositoryPrefix,
            app: "lab/order-service",
            sourceImage: `${REGISTRY}/lab/order-service:${SOURCE_TAG}@${sourceDigest}`,
            javaAgentImage: `${REGISTRY}/lab/autoinstrumentation-java:2.x`,
            extensions: [{ image: `${REGISTRY}/lab/otel-extension:1.0`, dir: "/extensions" }],
            agentDir: settings.agentDir,
            jvmOptions: settings.jvmOptions,
            registryServer: REGISTRY,
        },
    };
}

/**
 * Pushes docker-build's launcher image with the code AgentImageRebuild's FilesImage runs at create, so a Dockerfile
 * build can `COPY --from` it. `server` is the registry as the spec's repository names it.
 */
export async function pushLauncherImage(spec: Pick<RebuildSpec, "launcher" | "repository" | "launcherTag">, server = REGISTRY): Promise<string> {
    const result = await pushFilesImage({
        base: "", files: launcherImageFiles(spec.launcher), labels: {}, repository: spec.repository, tag: spec.launcherTag,
        server, insecure: REGISTRY_CREDENTIALS === undefined, ...REGISTRY_CREDENTIALS,
    });
    return result.digest;
}

/** Counts checks and prints the closing line CI reads: "N passed, N failed". */
export class Checks {
    private passed = 0;
    private failed = 0;

    check(name: string, ok: boolean, detail: unknown): void {
        if (ok) this.passed++;
        else this.failed++;
        console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok ? "" : `\n     got: ${JSON.stringify(detail)}`}`);
    }

    /** Prints the summary and sets the exit code; an error thrown on the way counts as one more failure. */
    finish(error?: unknown): void {
        if (error !== undefined) {
            console.error(error);
            this.failed++;
        }
        console.log(`\n${this.passed} passed, ${this.failed} failed`);
        if (this.failed > 0) process.exitCode = 1;
    }
}

interface RunResult { argv: string[]; alwaysArgv: string[]; files: Map<string, string | undefined> }

/** buildah 1.28's --format has no json function: read the whole inspect document. */
export function ociConfig(name: string, type = "container"): { Entrypoint?: string[]; Labels?: Record<string, string> } {
    return (JSON.parse(buildah("inspect", "--type", type, name)) as { OCIv1: { config: { Entrypoint?: string[]; Labels?: Record<string, string> } } }).OCIv1.config;
}

function sha256(data: Buffer): string {
    return createHash("sha256").update(data).digest("hex");
}

/** Pulls the image into a fresh container, runs its ENTRYPOINT (the app's start script) and hashes a few paths. */
export function runImage(ref: string, paths: readonly string[]): RunResult {
    const container = buildah("from", "--quiet", ...REGISTRY_FLAGS, `docker://${ref}`).trim();
    try {
        const out = buildah("run", container, "--", ...(ociConfig(container).Entrypoint ?? []));
        const always = buildah("run", container, "--", "/bin/sh", "/home/admin/start-always.sh");
        const root = buildah("mount", container).trim();
        const files = new Map(paths.map(p => [p, fs.existsSync(root + p) ? (fs.statSync(root + p).isDirectory() ? "dir" : sha256(fs.readFileSync(root + p))) : undefined]));
        const argv = (text: string) => text.split("\n").filter(l => l.startsWith("ARG=")).map(l => l.slice(4));
        return { argv: argv(out), alwaysArgv: argv(always), files };
    } finally {
        buildah("rm", container);
    }
}

/** sha256 of one file in an image. */
export function fileOf(ref: string, file: string): string {
    const container = buildah("from", "--quiet", ...REGISTRY_FLAGS, `docker://${ref}`).trim();
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

/** The checks the issue asks for, on one rebuilt image. */
export function verifyRebuilt(checks: Checks, builder: string, ref: string, expected: { agentSha: string; extensionSha: string }): void {
    const extension = `${IMAGE_LAYOUT.extensionsDir}/skyshift-ext.jar`;
    const result = runImage(ref, ["/skywalking/agent", IMAGE_LAYOUT.agentJar, extension, "/home/admin/app.jar"]);
    checks.check(`${builder}: the SkyWalking agent directory is gone`, result.files.get("/skywalking/agent") === undefined, [...result.files]);
    checks.check(`${builder}: the OTel agent is the agent image's /javaagent.jar`, result.files.get(IMAGE_LAYOUT.agentJar) === expected.agentSha, result.files.get(IMAGE_LAYOUT.agentJar));
    checks.check(`${builder}: the extension pack is in place`, result.files.get(extension) === expected.extensionSha, result.files.get(extension));
    checks.check(`${builder}: the app itself is untouched`, result.files.get("/home/admin/app.jar") !== undefined, [...result.files]);
    checks.check(`${builder}: the original start script calls java with the OTel agent, without SkyWalking, other flags intact`,
        JSON.stringify(result.argv) === JSON.stringify(EXPECTED_ARGV), result.argv);
    checks.check(`${builder}: a script that always adds SkyWalking still starts, with the OTel agent only`,
        JSON.stringify(result.alwaysArgv) === JSON.stringify(EXPECTED_ARGV), result.alwaysArgv);
}

/** The agent and extension files as their images hold them, to compare with what the rebuild copied. */
export function expectedFiles(inputs: RebuildInputs): { agentSha: string; extensionSha: string } {
    return {
        agentSha: fileOf(inputs.javaAgentImage, "/javaagent.jar"),
        extensionSha: fileOf(inputs.extensions?.[0]?.image ?? "", "/extensions/skyshift-ext.jar"),
    };
}
