import { LabService } from "./lab-addresses";
import { Pod } from "./pod-env";
import { processSpec, replacePrefixes, RunnerMapping, startable } from "./process-spec";
import { javaAgentFlags } from "./run";

const services: LabService[] = [{ service: "otel-collector", namespace: "observability", port: 4318, labPort: 4318 }];
const mapping: RunnerMapping = {
    images: {
        "registry.lab/order:1.0": { paths: { "/app": "/lab/apps/java" }, executables: {}, env: { PATH: "/usr/bin", JAVA_HOME: "/jdk" }, workDir: "/lab/apps/java" },
        "registry.lab/inventory:1.0": {
            paths: { "/app": "/lab/apps/python" }, executables: { python3: "/lab/venv/bin/python3" }, env: { PATH: "/usr/bin" },
            entrypoint: ["python3"], cmd: ["/app/app.py"], workDir: "/lab/apps/python",
        },
    },
    agents: { "opentelemetry-auto-instrumentation-java": "/lab/agents/java", "opentelemetry-auto-instrumentation-python": "/lab/agents/python" },
    services,
};

/** A Java pod as the operator leaves it with multi-instrumentation: the agent volume is named per container. */
const javaPod: Pod = {
    metadata: { name: "order-1", namespace: "shop", uid: "u-1" },
    spec: {
        nodeName: "lab-node-1",
        initContainers: [{
            name: "opentelemetry-auto-instrumentation-java", image: "ghcr.io/x/autoinstrumentation-java:2.28.1",
            command: ["cp", "/javaagent.jar", "/otel-auto-instrumentation-java-order/javaagent.jar"],
            volumeMounts: [{ name: "opentelemetry-auto-instrumentation-java-order", mountPath: "/otel-auto-instrumentation-java-order" }],
        }],
        containers: [{
            name: "order", image: "registry.lab/order:1.0",
            command: ["java", "-Dport=$(PORT)", "-jar", "/app/order.jar"],
            env: [
                { name: "PORT", value: "8080" },
                { name: "JAVA_TOOL_OPTIONS", value: "-Xmx64m -javaagent:/otel-auto-instrumentation-java-order/javaagent.jar" },
                { name: "OTEL_EXPORTER_OTLP_ENDPOINT", value: "http://otel-collector.observability.svc.cluster.local:4318" },
                { name: "OTEL_RESOURCE_ATTRIBUTES_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                { name: "OTEL_RESOURCE_ATTRIBUTES", value: "k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME)" },
            ],
            volumeMounts: [
                { name: "opentelemetry-auto-instrumentation-java-order", mountPath: "/otel-auto-instrumentation-java-order" },
                { name: "logs", mountPath: "/var/log/app" },
            ],
        }],
    },
    status: { podIP: "10.244.0.9" },
};

describe("processSpec", () => {
    test("GIVEN an injected Java pod THEN argv and env are the pod's, with the image, agent volume and collector address mapped", () => {
        expect(processSpec(javaPod, "order", mapping)).toEqual({
            argv: ["java", "-Dport=8080", "-jar", "/lab/apps/java/order.jar"],
            env: {
                PATH: "/usr/bin", JAVA_HOME: "/jdk",
                PORT: "8080",
                JAVA_TOOL_OPTIONS: "-Xmx64m -javaagent:/lab/agents/java/javaagent.jar",
                OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318",
                OTEL_RESOURCE_ATTRIBUTES_POD_NAME: "order-1",
                OTEL_RESOURCE_ATTRIBUTES: "k8s.pod.name=order-1",
            },
            cwd: "/lab/apps/java",
            unmapped: [],
        });
    });

    test("GIVEN an injected Python pod without command THEN the image's entrypoint runs, PYTHONPATH points at the local agent", () => {
        const pod: Pod = {
            metadata: { name: "inv-1", namespace: "shop" },
            spec: {
                initContainers: [{ name: "opentelemetry-auto-instrumentation-python", image: "p", volumeMounts: [{ name: "opentelemetry-auto-instrumentation-python", mountPath: "/otel-auto-instrumentation-python" }] }],
                containers: [{
                    name: "inventory", image: "registry.lab/inventory:1.0",
                    env: [{ name: "PYTHONPATH", value: "/otel-auto-instrumentation-python/opentelemetry/instrumentation/auto_instrumentation:/otel-auto-instrumentation-python" }],
                    volumeMounts: [{ name: "opentelemetry-auto-instrumentation-python", mountPath: "/otel-auto-instrumentation-python" }],
                }],
            },
        };
        const spec = processSpec(pod, "inventory", mapping);
        expect(spec.argv).toEqual(["/lab/venv/bin/python3", "/lab/apps/python/app.py"]);
        expect(spec.env.PYTHONPATH).toBe("/lab/agents/python/opentelemetry/instrumentation/auto_instrumentation:/lab/agents/python");
    });

    test("GIVEN a SkyWalking-mode pod THEN its flags are kept and the unmapped agent volume makes it not startable", () => {
        const pod: Pod = {
            ...javaPod,
            spec: {
                containers: [{
                    name: "order", image: "registry.lab/order:1.0", command: ["java", "-jar", "/app/order.jar"],
                    env: [{ name: "JAVA_TOOL_OPTIONS", value: "-javaagent:/skywalking/agent/skywalking-agent.jar" }],
                    volumeMounts: [{ name: "sw", mountPath: "/skywalking/agent" }],
                }],
            },
        };
        const spec = processSpec(pod, "order", mapping);
        expect(javaAgentFlags(spec.argv, spec.env)).toEqual(["-javaagent:/skywalking/agent/skywalking-agent.jar"]);
        expect(spec.unmapped).toEqual(["/skywalking/agent"]);
        expect(() => startable(spec, "order")).toThrow("order: refers to /skywalking/agent, volume(s) the lab runner does not map");
    });

    test("GIVEN a bridge-mode SkyWalking Python pod THEN sw-python is the venv's and the agent's backend is the lab collector's receiver", () => {
        const swMapping: RunnerMapping = { ...mapping,
            images: { "registry.lab/inventory-sw:1.0": { paths: { "/app": "/lab/apps/python" }, executables: { "sw-python": "/lab/sw/bin/sw-python" },
                env: { PATH: "/lab/sw/bin:/usr/bin" }, workDir: "/lab/apps/python" } },
            services: [...services, { service: "otel-collector", namespace: "observability", port: 11800, labPort: 11800 }] };
        const pod: Pod = { metadata: { name: "front-1", namespace: "shop" }, spec: { containers: [{
            name: "front", image: "registry.lab/inventory-sw:1.0", command: ["sw-python", "run", "python", "/app/app.py"],
            env: [{ name: "SW_AGENT_NAME", value: "front" }, { name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "otel-collector.observability.svc.cluster.local:11800" }],
        }] } };
        expect(processSpec(pod, "front", swMapping)).toEqual({
            argv: ["/lab/sw/bin/sw-python", "run", "python", "/lab/apps/python/app.py"],
            env: { PATH: "/lab/sw/bin:/usr/bin", SW_AGENT_NAME: "front", SW_AGENT_COLLECTOR_BACKEND_SERVICES: "127.0.0.1:11800" },
            cwd: "/lab/apps/python",
            unmapped: [],
        });
    });

    test.each([
        { name: "an unknown container", pod: javaPod, container: "nope", error: "pod shop/order-1 container nope: no such container (has: order)" },
        { name: "an image the lab does not play", pod: { ...javaPod, spec: { containers: [{ name: "x", image: "nginx:1" }] } }, container: "x",
            error: "pod shop/order-1 container x: image nginx:1 is not a lab image (known: registry.lab/order:1.0, registry.lab/inventory:1.0)" },
        { name: "an operator volume without a local copy",
            pod: { ...javaPod, spec: { ...javaPod.spec, initContainers: [{ ...javaPod.spec.initContainers![0], name: "opentelemetry-auto-instrumentation-nodejs" }] } },
            container: "order",
            error: "pod shop/order-1 container order: the lab has no local copy of what init container opentelemetry-auto-instrumentation-nodejs puts in /otel-auto-instrumentation-java-order" },
    ])("GIVEN $name THEN it names the problem", ({ pod, container, error }) => {
        expect(() => processSpec(pod as Pod, container, mapping)).toThrow(error);
    });
});

describe("replacePrefixes: whole path segments only", () => {
    test.each([
        { text: "-javaagent:/otel/javaagent.jar", expected: "-javaagent:/L/javaagent.jar" },
        { text: "/otel:/otel/a", expected: "/L:/L/a" },
        { text: "/otelx/a /app/x/otel", expected: "/otelx/a /A/x/otel" },
        { text: "--path=/app", expected: "--path=/A" },
    ])("$text", ({ text, expected }) => {
        expect(replacePrefixes(text, { "/otel": "/L", "/app": "/A" })).toBe(expected);
    });
});

describe("javaAgentFlags", () => {
    test("counts agents in the command line and in the env the JVM reads", () => {
        expect(javaAgentFlags(["java", "-javaagent:/a.jar", "-jar", "x.jar"], { JAVA_TOOL_OPTIONS: " -Dx=1 -javaagent:/b.jar", JDK_JAVA_OPTIONS: "-javaagent:/c.jar", JAVA_OPTS: "-javaagent:/d.jar" }))
            .toEqual(["-javaagent:/a.jar", "-javaagent:/b.jar", "-javaagent:/c.jar"]);
    });
});

/** The same pod with an extension, as opentelemetry-operator v0.153.0 injects it (javaagent.go): a second init container copying into the volume's extensions/. */
const VOLUME = { name: "opentelemetry-auto-instrumentation-java", mountPath: "/otel-auto-instrumentation-java" };
const extensionPod: Pod = {
    ...javaPod,
    spec: {
        ...javaPod.spec,
        initContainers: [
            { name: "opentelemetry-auto-instrumentation-java", image: "ghcr.io/x/autoinstrumentation-java:2.28.1", command: ["cp", "/javaagent.jar", "/otel-auto-instrumentation-java/javaagent.jar"], volumeMounts: [VOLUME] },
            { name: "opentelemetry-auto-instrumentation-extension-0", image: "registry.corp/skyshift/sw8-propagator:sw8-1@sha256:1", command: ["cp", "-r", "/opt/skyshift/sw8-propagator/.", "/otel-auto-instrumentation-java/extensions"], volumeMounts: [VOLUME] },
        ],
        containers: [{
            name: "order", image: "registry.lab/order:1.0", command: ["java", "-jar", "/app/order.jar"],
            env: [{ name: "JAVA_TOOL_OPTIONS", value: " -javaagent:/otel-auto-instrumentation-java-order/javaagent.jar -Dotel.javaagent.extensions=/otel-auto-instrumentation-java-order/extensions" }],
            volumeMounts: [{ name: VOLUME.name, mountPath: "/otel-auto-instrumentation-java-order" }],
        }],
    },
};

describe("processSpec with an extension init container", () => {
    test("GIVEN the extension dir mapped THEN <mount>/extensions is the local jar dir and <mount> still the agent's", () => {
        const spec = processSpec(extensionPod, "order", { ...mapping, extensions: { "/opt/skyshift/sw8-propagator": "/lab/sw8" } });
        expect(spec.env.JAVA_TOOL_OPTIONS).toBe(" -javaagent:/lab/agents/java/javaagent.jar -Dotel.javaagent.extensions=/lab/sw8");
        expect(spec.unmapped).toEqual([]);
    });

    test("GIVEN no local copy of the extension THEN it names the init container, the image dir and the path", () => {
        expect(() => processSpec(extensionPod, "order", mapping)).toThrow(
            "pod shop/order-1 container order: the lab has no local copy of the jars of /opt/skyshift/sw8-propagator that init container opentelemetry-auto-instrumentation-extension-0 puts in /otel-auto-instrumentation-java-order/extensions");
    });
});
