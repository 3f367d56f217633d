import { ConfigError, parseStackConfig, sw8Propagator, DEFAULT_SW8_JAR } from "../../config";

const REGISTRY = { server: "registry.corp" };
const JAVA_IMAGE = "registry.corp/otel/autoinstrumentation-java:2.10.0";

function problemsOf(instrumentation: Record<string, unknown>, imageRebuild: Record<string, unknown> = { registry: REGISTRY }): readonly string[] {
    try {
        parseStackConfig({ collector: { exporters: [{ name: "debug", kind: "debug" }] }, instrumentation, imageRebuild });
        return [];
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
}

describe("instrumentation.java.sw8Propagator", () => {
    test.each([
        { name: "unset", value: undefined, expected: { enabled: false, jar: DEFAULT_SW8_JAR } },
        { name: "true", value: true, expected: { enabled: true, jar: DEFAULT_SW8_JAR } },
        { name: "an object, on unless it says so", value: { jar: "/opt/sw8.jar", baseImage: "r.corp/busybox:1" }, expected: { enabled: true, jar: "/opt/sw8.jar", baseImage: "r.corp/busybox:1" } },
        { name: "an object switched off", value: { enabled: false }, expected: { enabled: false, jar: DEFAULT_SW8_JAR } },
    ])("$name reads as its object form", ({ value, expected }) => {
        const java = value === undefined ? { image: JAVA_IMAGE } : { image: JAVA_IMAGE, sw8Propagator: value };
        const { config } = parseStackConfig({ collector: { exporters: [{ name: "debug", kind: "debug" }] }, instrumentation: { java }, imageRebuild: { registry: REGISTRY } });
        expect(sw8Propagator(config.instrumentation.java.sw8Propagator)).toEqual(expected);
    });

    test("a complete setup has no problem", () => {
        expect(problemsOf({ java: { image: JAVA_IMAGE, sw8Propagator: true } })).toEqual([]);
    });

    test.each([
        { name: "no imageRebuild.registry", instrumentation: { java: { image: JAVA_IMAGE, sw8Propagator: true } }, imageRebuild: {},
            problem: 'instrumentation.java.sw8Propagator: needs imageRebuild.registry, where skyshift pushes the extension image — set imageRebuild.registry: {server: "registry.corp"} or turn the propagator off' },
        { name: "no base image and no Java image", instrumentation: { java: { sw8Propagator: true } }, imageRebuild: undefined,
            problem: "instrumentation.java.sw8Propagator.baseImage: is required when instrumentation.java.image is unset — name an image with cp in it, ideally by setting instrumentation.java.image (the operator's Java image has cp)" },
        { name: "Java switched off", instrumentation: { java: { enabled: false, image: JAVA_IMAGE, sw8Propagator: true } }, imageRebuild: undefined,
            problem: "instrumentation.java.sw8Propagator: is on but instrumentation.java.enabled is false — enable Java or turn the propagator off" },
        { name: "propagators none", instrumentation: { propagators: ["none"], java: { image: JAVA_IMAGE, sw8Propagator: true } }, imageRebuild: undefined,
            problem: "instrumentation.java.sw8Propagator: is on but instrumentation.propagators is [none] — list the propagators to keep (e.g. tracecontext, baggage); sw8 is added to them" },
        { name: "OTEL_PROPAGATORS set by hand", instrumentation: { java: { image: JAVA_IMAGE, env: { OTEL_PROPAGATORS: "sw8" }, sw8Propagator: true } }, imageRebuild: undefined,
            problem: "instrumentation.java.env.OTEL_PROPAGATORS: is set while instrumentation.java.sw8Propagator is on, which writes it from instrumentation.propagators plus sw8 — remove it and list the propagators in instrumentation.propagators" },
    ])("$name is a problem naming the keys", ({ instrumentation, imageRebuild, problem }) => {
        expect(problemsOf(instrumentation, imageRebuild)).toEqual([problem]);
    });

    test("off, nothing is checked", () => {
        expect(problemsOf({ java: { env: { OTEL_PROPAGATORS: "b3" }, sw8Propagator: false } }, {})).toEqual([]);
    });

    test("a string is refused with the key", () => {
        expect(problemsOf({ java: { sw8Propagator: "yes" } }).join("\n")).toContain("instrumentation.java.sw8Propagator");
    });
});
