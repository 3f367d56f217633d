import { ConfigError, parseStackConfig } from "../../config";

const jaeger = { name: "jaeger", kind: "otlp", endpoint: "jaeger-collector.tracing:4317" };
const releases = "ghcr.io/open-telemetry/opentelemetry-collector-releases";

function check(collector: Record<string, unknown>, platform: Record<string, unknown> = {}): { problems: readonly string[]; warnings: string[] } {
    try {
        const { warnings } = parseStackConfig({ platform, collector: { exporters: [jaeger], ...collector } });
        return { problems: [], warnings: warnings.map(w => `${w.path}: ${w.message}`) };
    } catch (error) {
        if (error instanceof ConfigError) return { problems: error.problems, warnings: [] };
        throw error;
    }
}

describe("the collector image with collector.skywalkingReceiver on", () => {
    test.each<[string, string, string]>([
        ["the k8s distribution", `${releases}/opentelemetry-collector-k8s:0.138.0`, "otelcol-k8s"],
        ["core, on Docker Hub", "otel/opentelemetry-collector:0.140.1", "otelcol (core)"],
        ["the otlp distribution, by digest", `${releases}/opentelemetry-collector-otlp@sha256:abc`, "otelcol-otlp"],
    ])("rejects %s, naming the image and the contrib image to set instead", (_name, image, distribution) => {
        const contrib = image.replace(/opentelemetry-collector(-k8s|-otlp)?(?=[:@]|$)/, "opentelemetry-collector-contrib").replace(/@sha256:abc$/, "");
        expect(check({ image, skywalkingReceiver: {} }).problems).toEqual([
            `collector.image: "${image}" is the ${distribution} distribution, which has no skywalking receiver, so the collector ` +
            `would not start with collector.skywalkingReceiver on — set collector.image to "${contrib}"`,
        ]);
    });

    it("rejects the Helm-installed operator's default (otelcol-k8s) when collector.image is unset", () => {
        expect(check({ skywalkingReceiver: {} }, { operator: { source: "helm" } }).problems).toEqual([
            `platform.operator.collectorImage: "${releases}/opentelemetry-collector-k8s:0.138.0" is the otelcol-k8s distribution, which has no ` +
            "skywalking receiver, so the collector would not start with collector.skywalkingReceiver on — set collector.image (or " +
            `platform.operator.collectorImage.repository) to the contrib distribution, "${releases}/opentelemetry-collector-contrib:0.138.0"`,
        ]);
    });

    it("warns when the image is an operator default it cannot see", () => {
        expect(check({ skywalkingReceiver: {} }, { operator: { source: "existing" } }).warnings).toEqual([
            "collector.image: is unset and the operator is existing, so the operator's default collector image runs; the operator's own " +
            "default (core otelcol) and its Helm chart's (otelcol-k8s) have no skywalking receiver — set collector.image to an " +
            "otelcol-contrib image (…/opentelemetry-collector-contrib:<version>) unless that operator's --collector-image has it",
        ]);
    });

    it.each([
        `${releases}/opentelemetry-collector-contrib:0.140.1`,
        "registry.corp/observability/otelcol-skyshift:1.2",
    ])("accepts %s", image => {
        expect(check({ image, skywalkingReceiver: {} })).toEqual({ problems: [], warnings: [] });
    });

    it("says nothing about the image while the receiver is off", () => {
        expect(check({ image: "otel/opentelemetry-collector-k8s:0.140.1" }, { operator: { source: "existing" } })).toEqual({ problems: [], warnings: [] });
        expect(check({}, { operator: { source: "helm" } })).toEqual({ problems: [], warnings: [] });
    });
});
