import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { projectOwned } from "../../components/migration/owned-projection";
import { WorkloadApplyInputs, workloadApplyProvider } from "../../components/migration/workload-apply";

const body = {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "order", namespace: "shop" },
    spec: { template: {
        metadata: { annotations: { "instrumentation.opentelemetry.io/inject-java": "observability/skyshift" } },
        spec: { containers: [{ name: "order", env: [{ name: "CATALINA_OPTS", value: "-Xms1g" }, { name: "JAVA_TOOL_OPTIONS", value: "" }] }] },
    } },
};
/** What the API server returns: other managers' fields around ours, env in another order, the empty value dropped. */
const live = {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "order", namespace: "shop", uid: "u1", generation: 3 },
    spec: { replicas: 2, template: {
        metadata: { labels: { app: "order" }, annotations: { "instrumentation.opentelemetry.io/inject-java": "observability/skyshift", other: "x" } },
        spec: { containers: [
            { name: "sidecar", image: "envoy" },
            { name: "order", image: "order:1", env: [{ name: "SW_AGENT_NAME", value: "order" }, { name: "JAVA_TOOL_OPTIONS" }, { name: "CATALINA_OPTS", value: "-Xms1g" }] },
        ] },
    } },
};

describe("projectOwned", () => {
    it("reads the owned fields by key, so a live object that agrees projects to the body itself", () => {
        expect(projectOwned(live, body)).toEqual(body);
    });

    it("shows drift in an owned field and leaves out owned fields the live object lacks", () => {
        const drifted = JSON.parse(JSON.stringify(live));
        drifted.spec.template.spec.containers[1].env[2].value = "-Xms1g -javaagent:/sw/skywalking-agent.jar";
        delete drifted.spec.template.metadata.annotations["instrumentation.opentelemetry.io/inject-java"];
        expect(projectOwned(drifted, body).spec).toEqual({ template: {
            metadata: { annotations: {} },
            spec: { containers: [{ name: "order", env: [{ name: "CATALINA_OPTS", value: "-Xms1g -javaagent:/sw/skywalking-agent.jar" }, { name: "JAVA_TOOL_OPTIONS", value: "" }] }] },
        } });
    });
});

const inputs: WorkloadApplyInputs = { kind: "Deployment", namespace: "shop", name: "order", fieldManager: "skyshift", body };

describe("workloadApplyProvider", () => {
    it("updates in place when only the body changes, replaces on a new target, and is quiet otherwise", async () => {
        const diff = workloadApplyProvider.diff!.bind(workloadApplyProvider);
        expect(await diff("shop/order", inputs, { ...inputs, kubeconfig: "/other" })).toEqual({ changes: false, replaces: [] });
        expect(await diff("shop/order", inputs, { ...inputs, body: { ...body, spec: {} } })).toEqual({ changes: true, replaces: [] });
        expect(await diff("shop/order", inputs, { ...inputs, name: "billing" })).toEqual({ changes: true, replaces: ["name"] });
    });

    // The serialized cluster access sending a forced Server-Side Apply is proven in test/kube/serialization.test.ts
    // (in a plain node process: jest cannot load @kubernetes/client-node).
    it("survives serialization, and its delete leaves the workload alone", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => workloadApplyProvider, { isFactoryFunction: true });
        const file = path.join(__dirname, "..", "..", "node_modules", ".cache", `workload-apply-${process.pid}.js`);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, serialized.text);
        try {
            const provider = require(file)[serialized.exportName] as pulumi.dynamic.ResourceProvider;
            await expect(provider.delete!("shop/order", inputs)).resolves.toBeUndefined();
        } finally {
            fs.rmSync(file);
        }
    });
});
