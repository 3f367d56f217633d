// The stretch proof's program: one AgentImageRebuild, by default with docker-build, built by the lab's buildkitd
// through a buildx "remote" builder (no Docker daemon); with `builder: layer-append`, through the dynamic provider.
// Run by ../prove.sh.
import * as pulumi from "@pulumi/pulumi";
import { AgentImageRebuild } from "../../../../../components/image-rebuild/agent-image-rebuild";
import { imageRebuildSchema } from "../../../../../config/image-rebuild";

const config = new pulumi.Config();
const registry = config.get("registry") ?? "127.0.0.1:5000";
// The password as the README has users keep it: a secret config key outside the project's namespace. Without
// one, the registry is the open one (SKYSHIFT_REGISTRY_AUTH=none) on plain HTTP.
const password = new pulumi.Config("skyshift-secrets").getSecret("imageRegistryPassword");
// The section's defaults and rules come from the config schema, as the stack's composition takes them.
const settings = imageRebuildSchema.parse({ builder: config.get("builder") ?? "docker-build", jvmOptions: ["-Dotel.resource.attributes=team=it's ours"] });
const rebuild = new AgentImageRebuild("lab", {
    app: "lab/order-service",
    sourceImage: config.require("sourceImage"),
    javaAgentImage: `${registry}/lab/autoinstrumentation-java:2.x`,
    extensions: [{ image: `${registry}/lab/otel-extension:1.0`, dir: "/extensions" }],
    agentDir: settings.agentDir,
    removeAgentDir: settings.removeAgentDir,
    jvmOptions: settings.jvmOptions,
    repositoryPrefix: settings.repositoryPrefix,
    builder: settings.builder,
    cache: settings.cache.enabled,
    registry: { server: registry, insecure: password === undefined, username: config.get("registryUsername"), password },
    buildxBuilder: "skyshift-buildkit",
});

export const imageRef = rebuild.imageRef;
export const tag = rebuild.tag;
