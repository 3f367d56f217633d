import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

interface Seen { type: string; name: string; inputs: Record<string, unknown> }
const seen: Seen[] = [];
const PUSHED = `sha256:${"f".repeat(64)}`;
const PASSWORD = "hunter2-sw8-s3cret";
const SECRET_KEY = "skyshift-secrets:imageRegistryPassword";

pulumi.runtime.setMocks({
    newResource: args => {
        seen.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, digest: PUSHED } };
    },
    call: args => args.inputs,
}, "skyshift", "unit", false);

// Imported after setMocks, as Pulumi's testing guide requires.
import { Instrumentation } from "../../../components/instrumentation/instrumentation";
import { readSw8PropagatorJar, SW8_EXTENSION_DIR, sw8ImageName, sw8PropagatorExtension } from "../../../components/instrumentation/sw8-extension";
import { parseStackConfig } from "../../../config";

const JAR = Buffer.from("PK\u0003\u0004 a jar");
const JAVA_IMAGE = "registry.corp/otel/autoinstrumentation-java:2.10.0";

function stack(java: Record<string, unknown> = { image: JAVA_IMAGE, sw8Propagator: true }) {
    return parseStackConfig({
        collector: { exporters: [{ name: "debug", kind: "debug" }] },
        instrumentation: { propagators: ["tracecontext", "baggage"], java },
        imageRebuild: { registry: { server: "registry.corp", username: "ci", passwordSecret: SECRET_KEY }, repositoryPrefix: "platform" },
    }).config;
}

function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise(resolve => output.apply(value => { resolve(value); return value; }));
}

describe("readSw8PropagatorJar", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sw8-jar-"));
    fs.mkdirSync(path.join(dir, "extensions/sw8-propagator/target"), { recursive: true });

    test("off: reads nothing, even with no jar anywhere", () => {
        expect(readSw8PropagatorJar(false, dir)).toBeUndefined();
    });

    test("on: reads the jar at the default path, relative to the project directory", () => {
        fs.writeFileSync(path.join(dir, "extensions/sw8-propagator/target/skyshift-sw8-propagator.jar"), JAR);
        expect(readSw8PropagatorJar(true, dir)).toEqual(JAR);
    });

    test("a missing jar stops the program naming the key, the path and how to build it", () => {
        expect(() => readSw8PropagatorJar({ enabled: true, jar: "nowhere/sw8.jar" }, dir)).toThrow(
            `invalid skyshift stack config (1 problem):\n  - instrumentation.java.sw8Propagator.jar: no jar at ${path.join(dir, "nowhere/sw8.jar")} — ` +
            "build it with `npm run lab:tools && npm run test:sw8` (Maven writes extensions/sw8-propagator/target/skyshift-sw8-propagator.jar, the default), or set the key to the jar's path");
    });
});

describe("the sw8 propagator's extension image under mocks", () => {
    beforeEach(() => {
        seen.length = 0;
        pulumi.runtime.setAllConfig({ [SECRET_KEY]: PASSWORD }, [SECRET_KEY]);
    });

    test("GIVEN the propagator on THEN one FilesImage: the jar on the Java image, in the registry imageRebuild names, password secret", async () => {
        const extension = sw8PropagatorExtension(stack(), JAR)!;
        const { repository, tag } = sw8ImageName({ jar: JAR, baseImage: JAVA_IMAGE, repositoryPrefix: "platform", server: "registry.corp" });
        expect(await valueOf(extension)).toEqual({ image: `${repository}:${tag}@${PUSHED}`, dir: SW8_EXTENSION_DIR });
        expect(repository).toBe("registry.corp/platform/sw8-propagator");
        expect(tag).toMatch(/^sw8-[0-9a-f]{16}$/);
        const image = seen.find(s => s.name === "sw8-propagator-image")!;
        expect(image.type).toBe("pulumi-nodejs:dynamic/skyshift:FilesImage");
        expect(image.inputs).toMatchObject({ base: JAVA_IMAGE, repository, tag, server: "registry.corp", insecure: false, username: "ci" });
        expect(image.inputs.files).toEqual([{ path: "/opt/skyshift/sw8-propagator/skyshift-sw8-propagator.jar", mode: 0o644, content: JAR.toString("base64") }]);
        expect(pulumi.runtime.isRpcSecret(image.inputs.password)).toBe(true);
    });

    test("the tag follows the jar and the base, not the registry", () => {
        const name = (change: object) => sw8ImageName({ jar: JAR, baseImage: JAVA_IMAGE, repositoryPrefix: "p", server: "r", ...change }).tag;
        expect(name({ server: "mirror" })).toBe(name({}));
        expect(name({ jar: Buffer.from("another build") })).not.toBe(name({}));
        expect(name({ baseImage: "registry.corp/busybox:1" })).not.toBe(name({}));
    });

    test("an explicit base image wins over the Java image", async () => {
        await valueOf(sw8PropagatorExtension(stack({ image: JAVA_IMAGE, sw8Propagator: { baseImage: "registry.corp/busybox:1.37" } }), JAR)!);
        expect(seen.find(s => s.name === "sw8-propagator-image")!.inputs.base).toBe("registry.corp/busybox:1.37");
    });

    test("off: nothing is declared", () => {
        expect(sw8PropagatorExtension(stack({ image: JAVA_IMAGE }), undefined)).toBeUndefined();
        expect(seen).toEqual([]);
    });

    test("the Instrumentation gets the pushed image as an extension and OTEL_PROPAGATORS with sw8 for Java", async () => {
        const config = stack();
        const instrumentation = new Instrumentation("instrumentation", {
            namespace: "observability", instrumentation: config.instrumentation,
            otlpGrpcEndpoint: "http://c:4317", otlpHttpEndpoint: "http://c:4318",
            sw8Extension: sw8PropagatorExtension(config, JAR),
        });
        await valueOf(instrumentation.ref);
        await new Promise(resolve => setTimeout(resolve, 50));
        const cr = seen.find(s => s.name === "instrumentation-cr")!;
        const java = (cr.inputs.spec as { java: { env: { name: string; value: string }[]; extensions: unknown[] } }).java;
        expect(java.extensions).toEqual([{ image: expect.stringMatching(new RegExp(`^registry\\.corp/platform/sw8-propagator:sw8-[0-9a-f]{16}@${PUSHED}$`)), dir: SW8_EXTENSION_DIR }]);
        expect(java.env).toContainEqual({ name: "OTEL_PROPAGATORS", value: "tracecontext,baggage,sw8" });
        expect((cr.inputs.spec as { propagators: string[] }).propagators).toEqual(["tracecontext", "baggage"]);
    });
});
