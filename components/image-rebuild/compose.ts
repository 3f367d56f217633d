import * as pulumi from "@pulumi/pulumi";
import { ConfigError, formatPath } from "../../config/problems";
import type { StackConfig } from "../../config/stack";
import { AgentImageRebuild } from "./agent-image-rebuild";

/** Config problems that only show once apps and the imageRebuild section are read together. */
export function imageRebuildProblems(config: StackConfig): string[] {
    const rebuilt = Object.entries(config.apps).filter(([, app]) => app.rebuildImage);
    if (rebuilt.length === 0) return [];
    const problems: string[] = [];
    if (!config.imageRebuild.registry) {
        problems.push(`imageRebuild.registry: is required while ${rebuilt.length} app(s) have rebuildImage: true — set {server: "registry.corp"} to say where rebuilt images go`);
    }
    if (!config.imageRebuild.javaAgentImage && !config.instrumentation.java.image) {
        problems.push("imageRebuild.javaAgentImage: is required when instrumentation.java.image is unset — name the agent image, ideally by setting instrumentation.java.image so both paths share it");
    }
    for (const [key, app] of rebuilt) {
        if (!app.original.image) problems.push(`${formatPath(["apps", key, "original", "image"])}: is required for rebuildImage — run discovery, or set the app's current image (pinned with @sha256: when known)`);
    }
    for (const key of Object.keys(config.imageRebuild.apps)) {
        if (!config.apps[key]?.rebuildImage) problems.push(`${formatPath(["imageRebuild", "apps", key])}: no app ${key} with rebuildImage: true — remove the entry or fix the key`);
    }
    return problems;
}

/**
 * Declares one AgentImageRebuild per app with `rebuildImage: true`, whatever its mode: the image is ready before the
 * flip, so flipping is only a Deployment change, and flipping back keeps it for the next time. Returns each app's
 * rebuilt image by digest, keyed like `apps`: pass it as `migrateApps(…, { images })`, whose AppMigration uses it
 * while the app's mode is otel.
 * The registry password is read here as a Pulumi secret, never from the plain `skyshift:` settings.
 */
export function imageRebuilds(config: StackConfig, opts?: pulumi.ComponentResourceOptions): Record<string, pulumi.Output<string>> {
    const problems = imageRebuildProblems(config);
    if (problems.length > 0) throw new ConfigError(problems);
    const images: Record<string, pulumi.Output<string>> = {};
    const settings = config.imageRebuild;
    const javaAgentImage = settings.javaAgentImage ?? config.instrumentation.java.image;
    for (const [key, app] of Object.entries(config.apps)) {
        // The problem check above guarantees the registry, agent and source image; this narrows their types.
        if (!app.rebuildImage || !settings.registry || !javaAgentImage || !app.original.image) continue;
        const registry = settings.registry;
        // The key itself, slash included: replacing the slash could make "a-b/c" and "a/b-c" collide.
        const rebuild = new AgentImageRebuild(`rebuild-${key}`, {
            app: key,
            sourceImage: app.original.image,
            javaAgentImage,
            extensions: config.instrumentation.java.extensions,
            agentDir: settings.apps[key]?.agentDir ?? settings.agentDir,
            removeAgentDir: settings.removeAgentDir,
            jvmOptions: settings.jvmOptions,
            registry: {
                server: registry.server,
                username: registry.username,
                password: registry.passwordSecret ? readSecret(registry.passwordSecret) : undefined,
                insecure: registry.insecure,
            },
            repositoryPrefix: settings.repositoryPrefix,
            builder: settings.builder,
            cache: settings.cache.enabled,
            buildxBuilder: settings.buildxBuilder,
        }, opts);
        images[key] = rebuild.imageRef;
    }
    return images;
}

/** `namespace:name` → the secret's value as a secret Output; fails at preview, naming the key, when it is unset. */
function readSecret(key: string): pulumi.Output<string> {
    const colon = key.indexOf(":");
    return new pulumi.Config(key.slice(0, colon)).requireSecret(key.slice(colon + 1));
}
