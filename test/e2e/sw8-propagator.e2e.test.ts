/**
 * The sw8 propagator in the product, on the lab: the dev stack with `instrumentation.java.sw8Propagator` on and a
 * Java app in otel mode. The real engine runs skyshift's layer-append code, which pushes the extension image to the
 * lab registry (TLS from the lab CA, htpasswd auth, the password a Pulumi secret); the real operator's CRD takes the
 * Instrumentation with the extension and `OTEL_PROPAGATORS`, and its webhook injects them into the app's new pod;
 * the workload runner maps the injected extension path to the local jar.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import * as YAML from "yaml";
import { SW8_EXTENSION_DIR, SW8_JAR_FILE } from "../../components/instrumentation/sw8-extension";
import { requireImageRef } from "../../components/image-rebuild/image-ref";
import { RegistryClient } from "../../components/image-rebuild/layer-append/registry";
import { imageFiles, readBlob, readManifest } from "../../components/image-rebuild/layer-append/registry-ops";
import { readTar } from "../../components/image-rebuild/layer-append/tar";
import { LAB_IMAGES, labMapping, labServices, sw8Paths } from "../lab/runner/lab-telemetry";
import { Pod } from "../lab/runner/pod-env";
import { processSpec } from "../lab/runner/process-spec";
import { applyManifest, createStack, KubeObject, kubectl, labEnv, LabStack, readObject, REPO_ROOT, waitFor, waitForNamespaceGone } from "./harness";
import { LabSw8, labSw8 } from "./lab-sw8";

const devConfig = (YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> }).config;
const NS = "sw8-shop";
const PLATFORM_NS = "observability";
const SW_AGENT = "-javaagent:/skywalking/agent/skywalking-agent.jar";
const EXTENSION_INIT = "opentelemetry-auto-instrumentation-extension-0";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const ref = requireImageRef;

const order: KubeObject = {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "order", namespace: NS },
    spec: {
        replicas: 1, selector: { matchLabels: { app: "order" } },
        template: { metadata: { labels: { app: "order" } }, spec: { containers: [{
            name: "order", image: LAB_IMAGES.java, command: ["java", "-jar", "/app/order-service.jar"],
            env: [{ name: "SW_AGENT_NAME", value: "order" }, { name: "JAVA_TOOL_OPTIONS", value: SW_AGENT }],
        }] } },
    },
};
const inventory = {
    [`${NS}/order`]: { language: "java", container: "order", serviceName: "order", agentIn: { env: ["JAVA_TOOL_OPTIONS"] }, original: { env: { JAVA_TOOL_OPTIONS: SW_AGENT } } },
};

type InjectedPod = Pod & KubeObject & {
    metadata: { uid: string; deletionTimestamp?: string };
    spec: Pod["spec"] & { initContainers?: Array<{ name: string; image: string; command?: string[] }> };
    status: { podIP?: string };
};

async function readyPods(): Promise<InjectedPod[]> {
    return (JSON.parse(await kubectl(["get", "pods", "-n", NS, "-l", "app=order", "-o", "json"])).items as InjectedPod[]).filter((p) => !p.metadata.deletionTimestamp);
}

describe("the sw8 propagator on the lab: extension image pushed, Instrumentation wired, pod injected", () => {
    let stack: LabStack;
    let lab: LabSw8;
    let registry: LabSw8["registry"];
    let client: RegistryClient;
    let baseImage: string;
    let extensionImage: string;
    const jar = fs.readFileSync(sw8Paths().jar);

    /** The dev stack's config with the propagator `sw8` (on or off), the lab registry, and the app in otel mode. */
    const configure = (sw8: boolean) => lab.configure(stack, { ...devConfig, "skyshift:apps": { [`${NS}/order`]: { mode: "otel" } } }, sw8);

    beforeAll(async () => {
        await labEnv();
        lab = await labSw8();
        ({ registry, baseImage } = lab);
        client = new RegistryClient(registry);

        for (const ns of [NS, PLATFORM_NS]) await waitForNamespaceGone(ns, 180_000);
        await kubectl(["create", "namespace", NS]);
        await applyManifest(order);
        stack = await createStack("sw8", {});
        stack.setInventory(inventory);
        await configure(true);
    });

    afterAll(async () => {
        await stack?.destroy();
        await kubectl(["delete", "namespace", NS, "--ignore-not-found", "--wait=false"]);
    });

    it("1. pulumi up pushes the extension image: the base's layers plus one holding exactly the lab's jar", async () => {
        await stack.up();
        const instrumentation = await readObject<KubeObject & { spec: { java: { extensions?: Array<{ image: string; dir: string }> } } }>(
            "opentelemetry.io/v1alpha1", "Instrumentation", PLATFORM_NS, "skyshift");
        const extensions = instrumentation?.spec.java.extensions ?? [];
        expect(extensions).toEqual([{ image: expect.stringMatching(new RegExp(`^${registry.server}/skyshift/sw8-propagator:sw8-[0-9a-f]{16}@sha256:[0-9a-f]{64}$`)), dir: SW8_EXTENSION_DIR }]);
        extensionImage = extensions[0].image;

        const manifest = await readManifest(client, ref(extensionImage));
        const base = await readManifest(client, ref(baseImage));
        expect(manifest.layers.slice(0, -1)).toEqual(base.layers);
        const added = readTar(gunzipSync(await readBlob(client, ref(extensionImage).repository, manifest.layers[manifest.layers.length - 1].digest)));
        const files = added.filter((entry) => entry.type === "0" || entry.type === "\0").map((entry) => [entry.path, sha256(entry.content)]);
        expect(files).toEqual([[`${SW8_EXTENSION_DIR.slice(1)}/${SW8_JAR_FILE}`, sha256(jar)]]);
        // The whole image has what the operator's init container runs.
        expect([...(await imageFiles(client, ref(extensionImage))).keys()].sort()).toEqual(["bin/busybox", "bin/cp", `${SW8_EXTENSION_DIR.slice(1)}/${SW8_JAR_FILE}`]);
    });

    it("2. the Instrumentation has the extension and Java's OTEL_PROPAGATORS with sw8, while the CRD's propagators stay in its enum", async () => {
        const cr = await readObject<KubeObject & { spec: { propagators: string[]; java: { env: Array<{ name: string; value: string }> } } }>(
            "opentelemetry.io/v1alpha1", "Instrumentation", PLATFORM_NS, "skyshift");
        expect(cr?.spec.propagators).toEqual(["tracecontext", "baggage", "b3"]);
        expect(cr?.spec.java.env).toContainEqual({ name: "OTEL_PROPAGATORS", value: "tracecontext,baggage,b3,sw8" });
    });

    it("3. the flipped app's new pod: the extension init container copies the image's dir, the agent loads it, OTEL_PROPAGATORS has sw8", async () => {
        const [pod] = await waitFor(async () => {
            const pods = await readyPods();
            return pods.length === 1 && pods[0].spec.initContainers?.some((c) => c.name === EXTENSION_INIT) ? pods : undefined;
        }, 120_000, "the order pod injected with the extension");
        const init = pod.spec.initContainers?.find((c) => c.name === EXTENSION_INIT);
        expect({ image: init?.image, command: init?.command }).toEqual({
            image: extensionImage, command: ["cp", "-r", `${SW8_EXTENSION_DIR}/.`, "/otel-auto-instrumentation-java/extensions"],
        });
        const env = Object.fromEntries((pod.spec.containers[0].env ?? []).map((e) => [e.name, e.value]));
        expect(env.OTEL_PROPAGATORS).toBe("tracecontext,baggage,b3,sw8");
        expect(env.JAVA_TOOL_OPTIONS).toBe(" -javaagent:/otel-auto-instrumentation-java-order/javaagent.jar -Dotel.javaagent.extensions=/otel-auto-instrumentation-java-order/extensions");

        // The workload runner starts this pod with the extension path mapped to the lab's copy of the jar, alone in its dir.
        const spec = processSpec(pod, "order", labMapping(labServices({ service: "otel-collector", namespace: PLATFORM_NS }, 1)));
        expect(spec.env.JAVA_TOOL_OPTIONS).toContain(` -Dotel.javaagent.extensions=${sw8Paths().extensionDir}`);
        expect(spec.unmapped).toEqual([]);
        expect(fs.readdirSync(sw8Paths().extensionDir).map((file) => [file, sha256(fs.readFileSync(path.join(sw8Paths().extensionDir, file)))]))
            .toEqual([[SW8_JAR_FILE, sha256(jar)]]);
    });

    it("4. an unchanged stack previews as no change: the image's tag is a hash of its inputs", async () => {
        await stack.preview(true);
    });

    it("5. control: with the propagator off the Instrumentation has no extension and no OTEL_PROPAGATORS for Java", async () => {
        await configure(false);
        await stack.up();
        const cr = await readObject<KubeObject & { spec: { java: { extensions?: unknown[]; env?: Array<{ name: string }> } } }>(
            "opentelemetry.io/v1alpha1", "Instrumentation", PLATFORM_NS, "skyshift");
        expect(cr?.spec.java.extensions).toBeUndefined();
        expect(cr?.spec.java.env?.map((e) => e.name)).not.toContain("OTEL_PROPAGATORS");
    });
});
