import { ConfigError, Inventory, parseStackConfig, stackSchema } from "../../config";
import { splitApps } from "../support/inventory";

const topLevelKeys = Object.keys(stackSchema.shape).join(", ");

const debugOnly = { exporters: [{ name: "debug", kind: "debug" }] };

/** A minimal valid stack with one section replaced. */
function stack(overrides: Record<string, unknown>): Record<string, unknown> {
    return { collector: debugOnly, ...overrides };
}

function problemsOf(raw: Record<string, unknown>, inventory?: Inventory): readonly string[] {
    try {
        parseStackConfig(raw, inventory);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    throw new Error("expected the config to be rejected");
}

describe("parseStackConfig rejects bad config with the key, the problem and the fix", () => {
    test.each<[string, Record<string, unknown>, string]>([
        ["a typo in a top-level key", { collector: debugOnly, instrumentaton: {} },
            `instrumentaton: unknown key — did you mean "instrumentation"? known keys here: ${topLevelKeys}`],
        ["a typo in a nested key", stack({ collector: { ...debugOnly, batch: { sendBatchSise: 100 } } }),
            'collector.batch.sendBatchSise: unknown key — did you mean "sendBatchSize"? known keys here: sendBatchSize, timeout'],
        ["an unknown key with no near match", stack({ migration: { parallelism: 3 } }),
            "migration.parallelism: unknown key — known keys here: maxAppsPerUpdate, soakSeconds, pollSeconds, rolloutTimeoutSeconds, verifyInjection, verifyTraces, fieldManager"],
        ["a missing collector section", {},
            "collector: is required — set it (expected an object)"],
        ["no exporters at all", stack({ collector: { exporters: [] } }),
            "collector.exporters: needs at least one exporter — add e.g. {name: debug, kind: debug}"],
        ["a string where a boolean goes", stack({ platform: { certManager: { install: "no" } } }),
            "platform.certManager.install: is a string, expected a boolean — write it as a boolean"],
        ["a string where a number goes", stack({ migration: { maxAppsPerUpdate: "10" } }),
            "migration.maxAppsPerUpdate: is a string, expected a number — write it as a number"],
        ["an unknown collector mode", stack({ collector: { ...debugOnly, mode: "gateway" } }),
            'collector.mode: "gateway" is not allowed — use one of: daemonset, deployment'],
        ["an unknown exporter kind", stack({ collector: { exporters: [{ name: "x", kind: "zipkin", endpoint: "http://z:9411" }] } }),
            'collector.exporters[0].kind: "zipkin" is not allowed — use one of: otlp, otlphttp, deepflow, debug'],
        ["an exporter endpoint without a port", stack({ collector: { exporters: [{ name: "jaeger", kind: "otlp", endpoint: "jaeger-collector.tracing" }] } }),
            'collector.exporters[0].endpoint: "jaeger-collector.tracing" has no port — add one, e.g. jaeger-collector.tracing:4317'],
        ["an otlphttp endpoint without a scheme", stack({ collector: { exporters: [{ name: "tempo", kind: "otlphttp", endpoint: "tempo.tracing:4318" }] } }),
            'collector.exporters[0].endpoint: "tempo.tracing:4318" has no scheme — write http://tempo.tracing:4318 or https://tempo.tracing:4318'],
        ["Jaeger's legacy gRPC port", stack({ collector: { exporters: [{ name: "jaeger-a", kind: "otlp", endpoint: "jaeger-collector.xxx.svc.cluster.local:14250", insecure: true }] } }),
            "collector.exporters[0].endpoint: port 14250 is Jaeger's legacy gRPC, not OTLP — point it at Jaeger's OTLP port 4317 (gRPC) or 4318 (kind: otlphttp)"],
        ["gRPC exporter on the HTTP port", stack({ collector: { exporters: [{ name: "j", kind: "otlp", endpoint: "jaeger:4318" }] } }),
            "collector.exporters[0].endpoint: port 4318 is OTLP/HTTP but kind otlp speaks gRPC — use port 4317 or kind: otlphttp"],
        ["https with insecure", stack({ collector: { exporters: [{ name: "j", kind: "otlp", endpoint: "https://jaeger:4317", insecure: true }] } }),
            "collector.exporters[0].insecure: https:// contradicts insecure: true — drop insecure or use http://"],
        ["an unsupported endpoint scheme", stack({ collector: { exporters: [{ name: "j", kind: "otlp", endpoint: "grpc://jaeger:4317" }] } }),
            'collector.exporters[0].endpoint: scheme "grpc" is not supported — use http:// or https://'],
        ["duplicate exporter names", stack({ collector: { exporters: [{ name: "debug", kind: "debug" }, { name: "debug", kind: "debug" }] } }),
            'collector.exporters[1].name: "debug" is already used by exporters[0] — give each exporter a unique name'],
        ["an exporter name that cannot be a component id", stack({ collector: { exporters: [{ name: "Jaeger A", kind: "debug" }] } }),
            "collector.exporters[0].name: must be lowercase letters, digits, '-' or '_' — it becomes part of the collector component id"],
        ["a wildcard CORS origin", stack({ collector: { ...debugOnly, cors: { allowedOrigins: ["*"] } } }),
            'collector.cors.allowedOrigins[0]: "*" lets any web page send telemetry — list your origins (e.g. https://*.corp.example) or set cors.allowInsecureCors: true'],
        ["replicas on a daemonset", stack({ collector: { ...debugOnly, replicas: 2 } }),
            "collector.replicas: is ignored by mode daemonset (one pod per node) — remove it or set mode: deployment"],
        ["a spike limit above the limit", stack({ collector: { ...debugOnly, memoryLimiter: { limitPercentage: 50, spikeLimitPercentage: 60 } } }),
            "collector.memoryLimiter.spikeLimitPercentage: must be below limitPercentage — e.g. 75 and 15, the defaults"],
        ["a sampler outside the CRD's enum", stack({ instrumentation: { sampler: { type: "ratio" } } }),
            'instrumentation.sampler.type: "ratio" is not allowed — use one of: always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio, jaeger_remote, xray'],
        ["a ratio above 1", stack({ instrumentation: { sampler: { type: "parentbased_traceidratio", argument: "25" } } }),
            'instrumentation.sampler.argument: "25" is not a ratio in [0,1] — write e.g. "0.25"'],
        ["a ratio that is not a number", stack({ instrumentation: { sampler: { type: "traceidratio", argument: "half" } } }),
            'instrumentation.sampler.argument: "half" is not a ratio in [0,1] — write e.g. "0.25"'],
        ["an unknown propagator", stack({ instrumentation: { propagators: ["tracecontext", "w3c"] } }),
            'instrumentation.propagators[1]: "w3c" is not allowed — use one of: tracecontext, baggage, b3, b3multi, jaeger, xray, ottrace, none'],
        ["a propagator listed twice", stack({ instrumentation: { propagators: ["b3", "b3"] } }),
            'instrumentation.propagators[1]: "b3" is listed twice — list each propagator once'],
        ["an Instrumentation on the gRPC port with Python on", stack({ instrumentation: { endpoint: "http://otel-collector.observability:4317", java: { env: { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" } } } }),
            "instrumentation.endpoint: port 4317 is OTLP/gRPC but Python auto-instrumentation speaks http/protobuf — use port 4318 or set python.enabled: false"],
        ["an Instrumentation on the gRPC port for Java 2.x", stack({ instrumentation: { endpoint: "http://otel-collector.observability:4317", python: { enabled: false } } }),
            "instrumentation.endpoint: port 4317 is OTLP/gRPC but the Java 2.x agent sends http/protobuf — use port 4318 or set java.env.OTEL_EXPORTER_OTLP_PROTOCOL: grpc"],
        ["Java asked for grpc but sent to the HTTP port", stack({ instrumentation: { endpoint: "http://otel-collector.observability:4318", java: { env: { OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" } } } }),
            "instrumentation.endpoint: port 4318 is OTLP/HTTP but java.env.OTEL_EXPORTER_OTLP_PROTOCOL is grpc — use port 4317 or drop the grpc protocol"],
        ["an Instrumentation endpoint without a scheme", stack({ instrumentation: { endpoint: "otel-collector:4318" } }),
            'instrumentation.endpoint: "otel-collector:4318" has no scheme — SDKs need a URL, e.g. http://otel-collector:4318'],
        ["a Java extension with a relative dir", stack({ instrumentation: { java: { extensions: [{ image: "registry.corp/ext:1", dir: "extensions" }] } } }),
            "instrumentation.java.extensions[0].dir: must be an absolute path without spaces or a trailing '/' — e.g. /extensions"],
        ["a Java extension dir with a trailing slash", stack({ instrumentation: { java: { extensions: [{ image: "registry.corp/ext:1", dir: "/ext/" }] } } }),
            "instrumentation.java.extensions[0].dir: must be an absolute path without spaces or a trailing '/' — e.g. /extensions"],
        ["a rebuild agent dir with ..", stack({ imageRebuild: { agentDir: "/opt/../etc" } }),
            "imageRebuild.agentDir: must not contain '..' — write the path as the image has it"],
        ["a rebuild JVM option without a dash", stack({ imageRebuild: { jvmOptions: ["-Xss1m", "Xmx1g"] } }),
            "imageRebuild.jvmOptions[1]: is not a JVM option — start it with '-'"],
        ["manifest source without a manifest", stack({ platform: { operator: { source: "manifest" } } }),
            "platform.operator.manifest: is required when operator.source is manifest — set it to the release YAML file or directory"],
        ["an app key that is not namespace/workload", stack({ apps: { "order-service": { mode: "otel" } } }),
            'apps["order-service"]: "order-service" is not namespace/workload — write the key as e.g. shop/order-service'],
        ["an unknown app mode", stack({ apps: { "shop/order-service": { mode: "opentelemetry" } } }),
            'apps["shop/order-service"].mode: "opentelemetry" is not allowed — use one of: skywalking, bridge, otel'],
        ["a DeepFlow server that is not a URL", stack({ deepflow: { server: "deepflow-server:20417" } }),
            "deepflow.server: must be an http(s) URL — e.g. http://deepflow-server.deepflow:20417"],
    ])("%s", (_name, raw, expected) => {
        expect(problemsOf(raw)).toContain(expected);
    });

    it("lists every problem at once, not just the first", () => {
        const problems = problemsOf({
            colector: {},
            collector: { mode: "gateway", exporters: [{ name: "a", kind: "otlp", endpoint: "jaeger:14250" }] },
            instrumentation: { sampler: { type: "ratio" } },
        });
        expect(problems).toHaveLength(4);
        expect(problems.map(p => p.split(":")[0])).toEqual(["collector.mode", "collector.exporters[0].endpoint", "instrumentation.sampler.type", "colector"]);
    });

    it("formats the thrown message as one line per problem", () => {
        expect(() => parseStackConfig(stack({ collector: { exporters: [] } }))).toThrow(
            "invalid skyshift stack config (1 problem):\n  - collector.exporters: needs at least one exporter — add e.g. {name: debug, kind: debug}");
    });
});

describe("parseStackConfig accepts good config", () => {
    it("fills the documented defaults", () => {
        const { config, warnings } = parseStackConfig(stack({}));
        expect(warnings).toEqual([]);
        expect(config.platform).toMatchObject({ namespace: "observability", certManager: { install: true, version: "v1.19.1" }, operator: { source: "helm" } });
        expect(config.platform.operator.languages).toEqual({ java: true, python: true, nodejs: true, go: false, nginx: false });
        expect(config.collector).toMatchObject({ name: "otel", mode: "daemonset", memoryLimiter: { limitPercentage: 75, spikeLimitPercentage: 15 } });
        expect(config.instrumentation).toMatchObject({ propagators: ["tracecontext", "baggage", "b3"], sampler: { type: "parentbased_traceidratio" } });
        expect(config.migration).toEqual({ maxAppsPerUpdate: 10, soakSeconds: 300, pollSeconds: 10, rolloutTimeoutSeconds: 600, verifyInjection: true, fieldManager: "skyshift" });
    });

    it("warns about insecure settings that were asked for explicitly", () => {
        const { warnings } = parseStackConfig(stack({
            collector: { exporters: [{ name: "jaeger", kind: "otlp", endpoint: "jaeger:4317", insecure: true }], cors: { allowedOrigins: ["*"], allowInsecureCors: true } },
        }));
        expect(warnings).toEqual([
            { path: "collector.exporters[0].insecure", message: 'exporter "jaeger" sends telemetry without TLS, as asked' },
            { path: "collector.cors.allowInsecureCors", message: "the collector accepts OTLP/HTTP from any web origin, as asked" },
        ]);
    });
});

describe("parseStackConfig with an inventory: one app never blocks the fleet", () => {
    const inventoryOf = (apps: Record<string, Record<string, unknown>>) => splitApps(apps, "skyshift.prod.inventory.yaml").inventory;
    /** Straight out of discover: a clean app, one whose image loads the agent, one whose JVM options were not captured. */
    const discovered = inventoryOf({
        "shop/cart": { container: "cart", agentIn: { env: ["JAVA_OPTS"] }, original: { env: { JAVA_OPTS: "-javaagent:/sw/skywalking-agent.jar" } } },
        "shop/legacy": { container: "legacy", rebuildImage: true, original: { image: "registry.corp/shop/legacy:1" } },
        "shop/odd": { container: "odd", agentIn: { env: ["JVM_OPTS"] } },
    });

    it("declares the clean apps and leaves out apps in skywalking with problems, each listed with its fix", () => {
        const { config, warnings } = parseStackConfig(stack({}), discovered);
        expect(Object.keys(config.apps)).toEqual(["shop/cart"]);
        expect(warnings.map(w => w.path)).toEqual(['apps["shop/legacy"]', 'apps["shop/odd"]']);
        expect(warnings[0].message).toContain("left out of this update (its workload stays as it runs, in skywalking mode) until fixed");
        expect(warnings[0].message).toContain('imageRebuild.registry: is required for rebuildImage: true — set {server: "registry.corp"} to say where rebuilt images go');
        expect(warnings[1].message).toContain('skyshift.prod.inventory.yaml: apps["shop/odd"].original.env.JVM_OPTS: is required');
    });

    it("fails an update that puts an app with problems in otel, naming the app and the fix", () => {
        const problems = problemsOf(stack({ selectors: [{ match: "shop/*", mode: "otel" }], apps: { "shop/cart": { mode: "skywalking" } } }), discovered);
        expect(problems).toEqual([
            'skyshift.prod.inventory.yaml: apps["shop/odd"].original.env.JVM_OPTS: is required — the value before the first flip, restored on flip back (run discovery or copy it from the live workload)',
            'imageRebuild.registry: is required while 1 app(s) in otel mode have rebuildImage: true (shop/legacy) — set {server: "registry.corp"} to say where rebuilt images go',
            "imageRebuild.javaAgentImage: is required while 1 app(s) in otel mode have rebuildImage: true (shop/legacy) and instrumentation.java.image is unset — name the agent image, ideally by setting instrumentation.java.image so both paths share it",
        ]);
    });

    it("resolves modes with their source for the rest of the program", () => {
        const { config } = parseStackConfig(stack({ selectors: [{ match: "shop", mode: "otel" }], apps: { "shop/odd": { mode: "skywalking" }, "shop/legacy": { mode: "skywalking" } } }), discovered);
        expect(config.apps["shop/cart"]).toMatchObject({ mode: "otel", modeSource: 'selectors[0].mode (match "shop")', container: "cart" });
    });

    it("a decision for an app the inventory lost is an error, never a silent flip back", () => {
        expect(problemsOf(stack({ apps: { "shop/gone": { mode: "otel" } } }), discovered)).toEqual([
            'apps["shop/gone"]: has no entry in skyshift.prod.inventory.yaml — run npm run discover to add it, or remove the decision (a deleted inventory entry is never a silent flip back)',
        ]);
    });

    it("a stack from before the inventory file says to convert it", () => {
        expect(problemsOf(stack({ apps: { "shop/cart": { mode: "otel", container: "cart", original: {} } } }), discovered)).toEqual([
            'apps["shop/cart"]: container, original belong in the inventory file now, not in stack config — run npm run convert -- --stack <stack> to move them (the mode stays)',
        ]);
    });
});

describe("config size grows with decisions, not apps", () => {
    it("5,000 discovered apps with a handful of selectors and decisions stay far below the engine's 128 KiB config limit", () => {
        const apps: Record<string, Record<string, unknown>> = {};
        for (let i = 0; i < 5000; i++) {
            apps[`team-${i % 50}/service-${i}`] = {
                container: `service-${i}`, serviceName: `service-${i}`, agentIn: { env: ["CATALINA_OPTS"] },
                original: { env: { CATALINA_OPTS: `-Xms1g -javaagent:/skywalking/agent/skywalking-agent.jar=agent.service_name=service-${i} -Dfile.encoding=UTF-8` } },
                evidence: [`env CATALINA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar`],
            };
        }
        const { inventory } = splitApps(apps);
        const config = {
            collector: debugOnly,
            selectors: [{ match: "team-1", mode: "otel" }, { match: "team-2*", mode: "otel" }, { match: "team-2/service-1*", mode: "skywalking" }, { match: "*/service-49??", mode: "otel" }],
            apps: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`team-${i}/service-${i}`, { mode: "otel" }])),
        };
        // What the engine puts in PULUMI_CONFIG: every key with its value as JSON text.
        const engineConfig = JSON.stringify(Object.fromEntries(Object.entries(config).map(([key, value]) => [`skyshift:${key}`, JSON.stringify(value)])));
        const inventoryBytes = JSON.stringify(apps).length;
        expect(inventoryBytes).toBeGreaterThan(128 * 1024 * 5);
        expect(engineConfig.length).toBeLessThan(4 * 1024);
        const started = Date.now();
        const { config: parsed } = parseStackConfig(config, inventory);
        expect(Date.now() - started).toBeLessThan(5000);
        expect(Object.keys(parsed.apps)).toHaveLength(5000);
        const otel = Object.values(parsed.apps).filter(app => app.mode === "otel").length;
        expect(otel).toBeGreaterThan(1000);
        process.stdout.write(`config size: ${Object.keys(apps).length} apps, inventory ${Math.round(inventoryBytes / 1024)} KiB as JSON, ` +
            `stack config ${engineConfig.length} bytes (limit 131072), ${otel} apps in otel, parsed in ${Date.now() - started} ms\n`);
    });
});
