import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** What the mock monitor received: inputs as the engine would store them (secrets still wrapped). */
interface Seen { type: string; name: string; inputs: Record<string, unknown> }
const seen: Seen[] = [];
const PASSWORD = "hunter2-registry-s3cret";
const DIGEST = `sha256:${"e".repeat(64)}`;
const PUSHED = `sha256:${"f".repeat(64)}`;

pulumi.runtime.setMocks({
    newResource: args => {
        seen.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, digest: PUSHED } };
    },
    call: args => args.inputs,
}, "skyshift", "unit", false);

// Imported after setMocks, as Pulumi's testing guide requires.
import { parseStackConfig } from "../../../config/stack";
import { ConfigError } from "../../../config/problems";
import { withInventory } from "../../support/inventory";
import { imageRebuilds } from "../../../components/image-rebuild/compose";

const SECRET_KEY = "skyshift-secrets:imageRegistryPassword";

function rawStack(overrides: { imageRebuild?: unknown; apps?: unknown; javaImage?: string | null } = {}) {
    const javaImage = overrides.javaImage === null ? {} : { image: overrides.javaImage ?? "registry.corp/otel/autoinstrumentation-java:2.10.0" };
    return {
        collector: { exporters: [{ name: "debug", kind: "debug" }] },
        instrumentation: { java: { ...javaImage, extensions: [{ image: "registry.corp/otel/ext:1.0", dir: "/extensions" }] } },
        apps: overrides.apps ?? {
            "shop/order-service": { mode: "skywalking", container: "app", rebuildImage: true, original: { image: `registry.corp/shop/order-service:1.4@${DIGEST}` } },
            "shop/produce": { mode: "otel", container: "app" },
        },
        imageRebuild: overrides.imageRebuild ?? { registry: { server: "registry.corp", username: "ci", passwordSecret: SECRET_KEY } },
    };
}

const stack = (overrides: Parameters<typeof rawStack>[0] = {}) => parseStackConfig(...withInventory(rawStack(overrides))).config;

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise(resolve => output.apply(value => { resolve(value); return value; }));
}

/** Walks inputs the way state stores them, skipping secret-wrapped values, and collects every plain string. */
function plainStrings(value: unknown, out: string[] = []): string[] {
    if (pulumi.runtime.isRpcSecret(value)) return out;
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) value.forEach(v => plainStrings(v, out));
    else if (value && typeof value === "object") Object.values(value).forEach(v => plainStrings(v, out));
    return out;
}

async function settle(): Promise<void> {
    await new Promise(resolve => setTimeout(resolve, 50));
}

describe("imageRebuilds under mocks", () => {
    const cwd = process.cwd();
    beforeEach(() => {
        seen.length = 0;
        process.chdir(fs.mkdtempSync(path.join(os.tmpdir(), "rebuild-")));
        pulumi.runtime.setAllConfig({ [SECRET_KEY]: PASSWORD }, [SECRET_KEY]);
    });
    afterEach(() => process.chdir(cwd));

    test("GIVEN docker-build (the default) THEN one pushed Image FROM the pinned source, tagged from its inputs, with cache, and no file written", async () => {
        const images = imageRebuilds(stack());
        expect(Object.keys(images)).toEqual(["shop/order-service"]);
        const ref = await valueOf(images["shop/order-service"]);
        await settle();
        const image = seen.find(s => s.type === "docker-build:index:Image")!;
        expect(image.name).toBe("rebuild-shop/order-service-image");
        const tag = (image.inputs.tags as string[])[0];
        expect(tag).toMatch(/^registry\.corp\/skyshift\/shop\/order-service:otel-[0-9a-f]{16}$/);
        expect(ref).toBe(`${tag}@${PUSHED}`);
        expect(image.inputs.push).toBe(true);
        expect((image.inputs.dockerfile as { inline: string }).inline).toContain(`FROM registry.corp/shop/order-service@${DIGEST}`);
        // The committed, empty context, relative to the program directory (here a fresh temp dir, which stays empty).
        expect(image.inputs.context).toEqual({ location: path.relative(process.cwd(), path.join(cwd, "components/image-rebuild/docker-build-context")) });
        expect(fs.readdirSync(process.cwd())).toEqual([]);
        // The launcher comes from its own one-layer image, pushed first and named in the Dockerfile.
        const launcher = seen.find(s => s.name === "rebuild-shop/order-service-launcher")!;
        expect(launcher.type).toBe("pulumi-nodejs:dynamic/skyshift:FilesImage");
        expect(launcher.inputs).toMatchObject({ base: "", repository: "registry.corp/skyshift/shop/order-service", labels: {} });
        const files = launcher.inputs.files as { path: string; mode: number; content: string }[];
        expect(files.map(f => [f.path, f.mode])).toEqual([["/opt/skyshift/bin/java", 0o755]]);
        expect(Buffer.from(files[0].content, "base64").toString()).toMatch(/^#!\/bin\/sh\n# Generated by skyshift/);
        expect((image.inputs.dockerfile as { inline: string }).inline)
            .toContain(`COPY --from=registry.corp/skyshift/shop/order-service:${launcher.inputs.tag as string} /opt/skyshift/bin/java /opt/skyshift/bin/java`);
        expect(image.inputs.cacheFrom).toEqual([{ registry: { ref: "registry.corp/skyshift/shop/order-service:buildcache" } }]);
        expect(image.inputs.cacheTo).toEqual([{ registry: { ref: "registry.corp/skyshift/shop/order-service:buildcache", mode: "max", imageManifest: true, ociMediaTypes: true } }]);
    });

    test("the registry password reaches the Image only as a secret, never as a plain input", async () => {
        await valueOf(imageRebuilds(stack())["shop/order-service"]);
        await settle();
        const image = seen.find(s => s.type === "docker-build:index:Image")!;
        expect(pulumi.runtime.isRpcSecret(image.inputs.registries)).toBe(true);
        expect(pulumi.runtime.unwrapRpcSecret(image.inputs.registries)).toEqual([{ address: "registry.corp", username: "ci", password: PASSWORD }]);
        const launcher = seen.find(s => s.type === "pulumi-nodejs:dynamic/skyshift:FilesImage")!;
        expect(pulumi.runtime.isRpcSecret(launcher.inputs.password)).toBe(true);
        for (const resource of seen) expect(plainStrings(resource.inputs).filter(s => s.includes(PASSWORD))).toEqual([]);
    });

    test("GIVEN layer-append THEN a LayerAppendImage under its own tag, its password secret", async () => {
        const dockerBuildRef = await valueOf(imageRebuilds(stack())["shop/order-service"]);
        seen.length = 0;
        const ref = await valueOf(imageRebuilds(stack({ imageRebuild: { builder: "layer-append", registry: { server: "registry.corp", username: "ci", passwordSecret: SECRET_KEY } } }))["shop/order-service"]);
        await settle();
        const image = seen.find(s => s.name === "rebuild-shop/order-service-image")!;
        expect(image.type).toBe("pulumi-nodejs:dynamic/skyshift:LayerAppendImage");
        expect(image.inputs.source).toBe(`registry.corp/shop/order-service@${DIGEST}`);
        expect(image.inputs.agentDir).toBe("/skywalking/agent");
        expect(pulumi.runtime.isRpcSecret(image.inputs.password)).toBe(true);
        expect(plainStrings(image.inputs).filter(s => s.includes(PASSWORD))).toEqual([]);
        // The builder is part of the tag: the two builders never push different bytes under one tag.
        expect(ref).not.toBe(dockerBuildRef);
    });

    test("an unchanged stack declares the same tag twice (no diff in preview)", async () => {
        const first = await valueOf(imageRebuilds(stack())["shop/order-service"]);
        const second = await valueOf(imageRebuilds(stack())["shop/order-service"]);
        expect(second).toBe(first);
    });

    test("a per-app agent directory overrides the default", async () => {
        await valueOf(imageRebuilds(stack({ imageRebuild: { registry: { server: "registry.corp" }, apps: { "shop/order-service": { agentDir: "/home/admin/skywalking-agent" } } } }))["shop/order-service"]);
        await settle();
        const image = seen.find(s => s.type === "docker-build:index:Image")!;
        expect((image.inputs.dockerfile as { inline: string }).inline).toContain(`RUN ["rm","-rf","/home/admin/skywalking-agent"]`);
        expect(image.inputs.registries).toEqual([{ address: "registry.corp" }]);
    });

    test("GIVEN rebuilds without a registry, an agent image or a source image THEN the config check lists every problem at once", () => {
        const raw = rawStack({
            imageRebuild: { apps: { "shop/nope": { agentDir: "/a" } } },
            apps: { "shop/order-service": { mode: "otel", container: "app", rebuildImage: true } },
            javaImage: null,
        });
        let error: unknown;
        try {
            parseStackConfig(...withInventory(raw));
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).problems).toEqual([
            `imageRebuild.registry: is required while 1 app(s) in otel mode have rebuildImage: true (shop/order-service) — set {server: "registry.corp"} to say where rebuilt images go`,
            "imageRebuild.javaAgentImage: is required while 1 app(s) in otel mode have rebuildImage: true (shop/order-service) and instrumentation.java.image is unset — name the agent image, ideally by setting instrumentation.java.image so both paths share it",
            `skyshift.unit.inventory.yaml: apps["shop/order-service"].original.image: is required for rebuildImage — run discovery, or set the app's current image (pinned with @sha256: when known)`,
            `imageRebuild.apps["shop/nope"]: no app shop/nope with rebuildImage: true — remove the entry or fix the key`,
        ]);
    });

    test("the password key must live outside the skyshift: namespace, whose keys are plain settings", () => {
        expect(() => stack({ imageRebuild: { registry: { server: "registry.corp", passwordSecret: "skyshift:pw" } } }))
            .toThrow("imageRebuild.registry.passwordSecret");
    });
});
