import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../../config/stack";
import { AgentImageRebuild, type RegistryArgs } from "./agent-image-rebuild";

/**
 * Declares one AgentImageRebuild per app with `rebuildImage: true`, whatever its mode: the image is ready before the
 * flip, so flipping is only a Deployment change, and flipping back keeps it for the next time. Returns each app's
 * rebuilt image by digest, keyed like `apps`: pass it as `migrateApps(…, { images })`, whose AppFlip uses it
 * while the app's mode is otel. Takes a validated config: `parseStackConfig` reports what a rebuild would lack.
 * The registry password is read here as a Pulumi secret, never from the plain `skyshift:` settings.
 */
export function imageRebuilds(config: StackConfig, opts?: pulumi.ComponentResourceOptions): Record<string, pulumi.Output<string>> {
    const images: Record<string, pulumi.Output<string>> = {};
    const settings = config.imageRebuild;
    const javaAgentImage = settings.javaAgentImage ?? config.instrumentation.java.image;
    for (const [key, app] of Object.entries(config.apps)) {
        // parseStackConfig (imageRebuildProblems) guarantees the registry, agent and source image; this narrows their types.
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
            registry: registryArgs(registry),
            repositoryPrefix: settings.repositoryPrefix,
            builder: settings.builder,
            cache: settings.cache.enabled,
            buildxBuilder: settings.buildxBuilder,
        }, opts);
        images[key] = rebuild.imageRef;
    }
    return images;
}

/** The push registry as the builders take it, the password read as a Pulumi secret (never from the plain `skyshift:` settings). */
export function registryArgs(registry: NonNullable<StackConfig["imageRebuild"]["registry"]>): RegistryArgs {
    return {
        server: registry.server,
        username: registry.username,
        password: registry.passwordSecret ? readSecret(registry.passwordSecret) : undefined,
        insecure: registry.insecure,
    };
}

/** `namespace:name` → the secret's value as a secret Output; fails at preview, naming the key, when it is unset. */
function readSecret(key: string): pulumi.Output<string> {
    const colon = key.indexOf(":");
    return new pulumi.Config(key.slice(0, colon)).requireSecret(key.slice(colon + 1));
}
