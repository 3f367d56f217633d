import { InputPropertyError } from "@pulumi/pulumi";
import { rebuildSpec, type RebuildInputs } from "../../../components/image-rebuild/spec";
import { imageRebuildSchema } from "../../../config/image-rebuild";

const DIGEST = `sha256:${"c".repeat(64)}`;
/** The inputs compose.ts passes with the imageRebuild section's defaults, taken from the schema. */
const SETTINGS = imageRebuildSchema.parse({});
const BASE: RebuildInputs = {
    builder: SETTINGS.builder,
    removeAgentDir: SETTINGS.removeAgentDir,
    jvmOptions: SETTINGS.jvmOptions,
    repositoryPrefix: SETTINGS.repositoryPrefix,
    agentDir: SETTINGS.agentDir,
    app: "shop/order-service",
    sourceImage: `registry.corp/shop/order-service:1.4@${DIGEST}`,
    javaAgentImage: "registry.corp/otel/autoinstrumentation-java:2.10.0",
    extensions: [{ image: "registry.corp/otel/ext:1.0", dir: "/extensions" }],
    registryServer: "registry.corp",
};

describe("rebuildSpec", () => {
    test("GIVEN a pinned source THEN FROM uses the digest and the image goes to <server>/<prefix>/<app>", () => {
        const spec = rebuildSpec(BASE);
        expect(spec.from).toBe(`registry.corp/shop/order-service@${DIGEST}`);
        expect(spec.repository).toBe("registry.corp/skyshift/shop/order-service");
        expect(spec.tag).toMatch(/^otel-[0-9a-f]{16}$/);
        expect(spec.dockerfile).toContain(`LABEL "io.skyshift.rebuild-tag"="${spec.tag}"`);
        expect(spec.dockerfile).toContain(`RUN ["rm","-rf","/skywalking/agent"]`);
        expect(spec.launcher).toContain("'-Dotel.javaagent.extensions=/opt/skyshift/otel/extensions'");
    });

    test("the same inputs give the same tag, however the objects were built", () => {
        const reordered: RebuildInputs = Object.fromEntries(Object.entries(BASE).reverse()) as unknown as RebuildInputs;
        expect(rebuildSpec(reordered).tag).toBe(rebuildSpec(BASE).tag);
        expect(rebuildSpec(BASE).tag).toBe(rebuildSpec({ ...BASE }).tag);
    });

    test.each([
        { name: "a new agent version", change: { javaAgentImage: "registry.corp/otel/autoinstrumentation-java:2.11.0" } },
        { name: "a new source digest", change: { sourceImage: `registry.corp/shop/order-service:1.4@sha256:${"d".repeat(64)}` } },
        { name: "another agent directory", change: { agentDir: "/home/admin/skywalking-agent" } },
        { name: "an extra JVM option", change: { jvmOptions: ["-Dotel.metrics.exporter=none"] } },
        { name: "the other builder", change: { builder: "layer-append" as const } },
        { name: "keeping the SkyWalking directory", change: { removeAgentDir: false } },
        { name: "no extension", change: { extensions: [] } },
    ])("$name changes the tag (a rebuild in preview)", ({ change }) => {
        expect(rebuildSpec({ ...BASE, ...change }).tag).not.toBe(rebuildSpec(BASE).tag);
    });

    test("GIVEN removeAgentDir: false THEN no directory to remove and a Dockerfile without RUN", () => {
        const spec = rebuildSpec({ ...BASE, removeAgentDir: false });
        expect(spec.agentDir).toBeUndefined();
        expect(spec.dockerfile).not.toContain("RUN ");
        expect(spec.dockerfile).toContain(`COPY --link --from=registry.corp/skyshift/shop/order-service:${spec.launcherTag} /opt/skyshift/bin/java /opt/skyshift/bin/java`);
    });

    test("the launcher image is tagged by the launcher's text: another JVM option, another launcher image", () => {
        const spec = rebuildSpec(BASE);
        expect(spec.launcherTag).toMatch(/^launcher-[0-9a-f]{16}$/);
        expect(rebuildSpec({ ...BASE, app: "shop/other" }).launcherTag).toBe(spec.launcherTag);
        expect(rebuildSpec({ ...BASE, jvmOptions: ["-Dx=1"] }).launcherTag).not.toBe(spec.launcherTag);
    });

    test("the push registry is not part of the tag: moving registries re-pushes the same build", () => {
        expect(rebuildSpec({ ...BASE, registryServer: "mirror.corp" }).tag).toBe(rebuildSpec(BASE).tag);
    });

    test.each([
        { name: "source image", change: { sourceImage: "Registry/X" }, field: "sourceImage", reason: `"Registry/X" has an invalid repository "Registry/X" — use lowercase letters, digits, '.', '_', '-' and '/'` },
        { name: "agent image", change: { javaAgentImage: "r.corp/a:" }, field: "javaAgentImage", reason: expect.stringContaining(`"r.corp/a:"`) },
        { name: "extension image", change: { extensions: [{ image: "Ext", dir: "/e" }] }, field: "extensions[0].image", reason: expect.stringContaining(`"Ext"`) },
    ])("rejects a bad $name, naming the field", ({ change, field, reason }) => {
        let error: unknown;
        try {
            rebuildSpec({ ...BASE, ...change });
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(InputPropertyError);
        expect({ field: (error as InputPropertyError).propertyPath, reason: (error as InputPropertyError).reason }).toEqual({ field, reason });
    });
});
