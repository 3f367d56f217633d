import { z } from "zod";
import type { AppConfig, InventoryEntry } from "./apps";
import type { InstrumentationConfig } from "./instrumentation";
import { AppMode } from "./migration";
import { imagePath } from "./paths";
import { formatPath } from "./problems";

/** How a rebuilt image is produced. `docker-build` is the declared default; `layer-append` is the registry-side fast path. */
export const ImageBuilder = { dockerBuild: "docker-build", layerAppend: "layer-append" } as const;
export type ImageBuilder = (typeof ImageBuilder)[keyof typeof ImageBuilder];

/** Where SkyWalking's Java agent image and most Dockerfiles put the agent. */
export const DEFAULT_SKYWALKING_AGENT_DIR = "/skywalking/agent";
export const DEFAULT_REPOSITORY_PREFIX = "skyshift";

const absolutePath = imagePath(DEFAULT_SKYWALKING_AGENT_DIR);
/** `host[:port]`, as in an image reference. */
const registryServer = z.string().regex(/^[A-Za-z0-9.-]+(:[0-9]+)?$/, "must be host[:port] with no scheme — e.g. registry.corp:5000");
/** Secrets live in their own namespace: the `skyshift:` keys are parsed as plain settings, and a password must never be one. */
const secretKey = z.string().regex(/^[A-Za-z0-9_-]+:[A-Za-z0-9_.-]+$/, "must be a full config key namespace:name — e.g. skyshift-secrets:imageRegistryPassword")
    .refine(key => !key.startsWith("skyshift:"), "must not be in the skyshift: namespace (its keys are plain settings) — use e.g. skyshift-secrets:imageRegistryPassword");

export const imageRebuildSchema = z.strictObject({
    builder: z.enum(ImageBuilder).default(ImageBuilder.dockerBuild).describe(
        "`docker-build` (BuildKit through @pulumi/docker-build, the declared default) or `layer-append` (mounts the base layers " +
        "registry-side and uploads only the new layer)."),
    registry: z.strictObject({
        server: registryServer.describe("`host[:port]` rebuilt images are pushed to."),
        username: z.string().min(1).optional(),
        passwordSecret: secretKey.optional().describe(
            "The name of the stack config key holding the password, outside `skyshift:` (e.g. `skyshift-secrets:imageRegistryPassword`), " +
            "set with `pulumi config set --secret`; read with `getSecret`, so it stays a Pulumi secret end to end. Omit for a registry without auth."),
        insecure: z.boolean().default(false)
            .describe("Speak plain HTTP to the registry (layer-append only; BuildKit's own config decides for docker-build)."),
    }).optional().describe("Where rebuilt images are pushed. Required once any app has `rebuildImage: true`."),
    repositoryPrefix: z.string().regex(/^[a-z0-9]+([._/-][a-z0-9]+)*$/, "must be a lowercase repository path — e.g. skyshift or platform/otel")
        .default(DEFAULT_REPOSITORY_PREFIX).describe("Rebuilt images go to `<server>/<repositoryPrefix>/<namespace>/<workload>`."),
    javaAgentImage: z.string().min(1).optional()
        .describe("The OTel Java agent image; defaults to `instrumentation.java.image` so both migration paths run the same agent. One of the two is required when an app is rebuilt."),
    agentDir: absolutePath.default(DEFAULT_SKYWALKING_AGENT_DIR)
        .describe("The SkyWalking agent directory to remove from every rebuilt image; per-app overrides in `apps`."),
    removeAgentDir: z.boolean().default(true).describe(
        "Delete the SkyWalking directory (docker-build: a RUN, so the base is unpacked; layer-append: a whiteout, free). " +
        "`false` keeps the unused files and gives docker-build a Dockerfile with no RUN and `COPY --link`, which BuildKit " +
        "builds without downloading the base; the launcher still keeps SkyWalking off every `java` it sees."),
    jvmOptions: z.array(z.string().startsWith("-", "is not a JVM option — start it with '-'")).default([]).describe("Extra JVM options added with the agent, e.g. `-Dotel.instrumentation.jdbc.enabled=false`."),
    apps: z.record(z.string(), z.strictObject({ agentDir: absolutePath })).default({})
        .describe("Per-app settings, keyed like `apps`: where discovery found the agent directory in that image."),
    cache: z.strictObject({ enabled: z.boolean().default(true) }).prefault({})
        .describe("Registry build cache (docker-build's cacheFrom/cacheTo, mode=max), at `<repository>:buildcache`."),
    buildxBuilder: z.string().min(1).optional()
        .describe("A buildx builder for docker-build (docker-container, kubernetes or remote driver); default: the local one."),
}).describe("Rebuilt images for apps with `rebuildImage: true` (the image itself loads SkyWalking): the OTel agent baked in instead.");

export type ImageRebuildConfig = z.output<typeof imageRebuildSchema>;

const REGISTRY_FIX = 'set {server: "registry.corp"} to say where rebuilt images go';
const AGENT_IMAGE_FIX = "name the agent image, ideally by setting instrumentation.java.image so both paths share it";

/**
 * What one app's rebuild lacks (nothing when it has `rebuildImage: false`), whatever its mode. `where` prefixes
 * the inventory fields, e.g. `skyshift.prod.inventory.yaml: `.
 */
export function rebuildNeeds(key: string, app: InventoryEntry, settings: ImageRebuildConfig, instrumentation: InstrumentationConfig, where = ""): string[] {
    if (!app.rebuildImage) return [];
    const needs: string[] = [];
    if (!settings.registry) needs.push(`imageRebuild.registry: is required for rebuildImage: true — ${REGISTRY_FIX}`);
    if (!settings.javaAgentImage && !instrumentation.java.image) needs.push(`imageRebuild.javaAgentImage: is required for rebuildImage: true when instrumentation.java.image is unset — ${AGENT_IMAGE_FIX}`);
    return [...needs, ...sourceImageNeed(key, app, where)];
}

function sourceImageNeed(key: string, app: InventoryEntry, where: string): string[] {
    if (app.original.image) return [];
    return [`${where}${formatPath(["apps", key, "original", "image"])}: is required for rebuildImage — run discovery, or set the app's current image (pinned with @sha256: when known)`];
}

/**
 * Problems of the imageRebuild section read with the apps: only apps in otel mode need their rebuilt image now
 * (an app in skywalking mode with a need is left out of the update by the caller, not failed). `apps` are all
 * inventory apps with their modes.
 */
export function imageRebuildProblems(settings: ImageRebuildConfig, instrumentation: InstrumentationConfig, apps: Readonly<Record<string, AppConfig>>, where = ""): string[] {
    const rebuilt = Object.entries(apps).filter(([, app]) => app.rebuildImage && app.mode === AppMode.otel);
    const problems: string[] = [];
    const names = rebuilt.map(([key]) => key).join(", ");
    if (rebuilt.length > 0 && !settings.registry) {
        problems.push(`imageRebuild.registry: is required while ${rebuilt.length} app(s) in otel mode have rebuildImage: true (${names}) — ${REGISTRY_FIX}`);
    }
    if (rebuilt.length > 0 && !settings.javaAgentImage && !instrumentation.java.image) {
        problems.push(`imageRebuild.javaAgentImage: is required while ${rebuilt.length} app(s) in otel mode have rebuildImage: true (${names}) and instrumentation.java.image is unset — ${AGENT_IMAGE_FIX}`);
    }
    for (const [key, app] of rebuilt) problems.push(...sourceImageNeed(key, app, where));
    for (const key of Object.keys(settings.apps)) {
        if (!apps[key]?.rebuildImage) problems.push(`${formatPath(["imageRebuild", "apps", key])}: no app ${key} with rebuildImage: true — remove the entry or fix the key`);
    }
    return problems;
}
