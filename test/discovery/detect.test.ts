import * as fs from "fs";
import * as path from "path";
import { DEFAULT_DETECT_OPTIONS, detectWorkload } from "../../discovery";
import { loadWorkloadFixture, WORKLOAD_FIXTURES_DIR, workloadFixtureNames } from "./fixtures";

/** Runs detection on a corpus manifest; `namespace`, `name` and `kind` are checked once, below, so rows stay readable. */
function detectFixture(name: string, options = DEFAULT_DETECT_OPTIONS): Record<string, unknown> {
    const { kind, workload } = loadWorkloadFixture(name);
    const { namespace: _namespace, name: _name, kind: _kind, ...rest } = detectWorkload(kind, workload, options);
    return rest;
}

/** The detection expected for each manifest in test/fixtures/workloads, written out in full in test/fixtures/detections. */
function expectedDetection(name: string): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(path.join(WORKLOAD_FIXTURES_DIR, "..", "detections", `${name}.json`), "utf8")) as Record<string, unknown>;
}

describe("detectWorkload on the manifest corpus", () => {
    test.each(workloadFixtureNames())("%s", fixture => {
        expect(detectFixture(fixture)).toEqual(expectedDetection(fixture));
    });

    test("every expected detection has its manifest", () => {
        const expected = fs.readdirSync(path.join(WORKLOAD_FIXTURES_DIR, "..", "detections")).map(f => f.replace(/\.json$/, "")).sort();
        expect(expected).toEqual(workloadFixtureNames());
    });

    test("names the workload it read, defaulting the namespace like the API server", () => {
        const { kind, workload } = loadWorkloadFixture("init-copier-jvm-opts");
        expect(detectWorkload(kind, workload)).toMatchObject({ key: "shop/produce", namespace: "shop", name: "produce", kind: "Deployment" });
        const unnamespaced = { ...workload, metadata: { name: "produce" } };
        expect(detectWorkload(kind, unnamespaced)).toMatchObject({ key: "default/produce", namespace: "default" });
    });

    test("does not modify the workload it reads", () => {
        const { kind, workload } = loadWorkloadFixture("init-copier-start-script");
        const before = JSON.stringify(workload);
        detectWorkload(kind, deepFreeze(workload));
        expect(JSON.stringify(workload)).toBe(before);
    });
});

describe("detectWorkload options", () => {
    test("an env var named with --jvm-env is an option variable like JAVA_OPTS", () => {
        const options = { ...DEFAULT_DETECT_OPTIONS, optionEnvNames: ["APP_JAVA_OPTS"] };
        expect(detectFixture("custom-env-name", options)).toEqual({
            key: "shop/notify",
            verdict: "skywalking",
            app: {
                kind: "Deployment",
                language: "java",
                container: "notify",
                agentIn: { env: ["APP_JAVA_OPTS"], args: false, command: false, swck: false },
                serviceName: "notify",
                original: { env: { APP_JAVA_OPTS: "-javaagent:/skywalking/agent/skywalking-agent.jar -Dskywalking.agent.service_name=notify" } },
                backendAddress: { source: "agentDefault" },
                rebuildImage: false,
                evidence: ["env APP_JAVA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar, -Dskywalking.agent.service_name"],
            },
            manualSteps: [],
        });
    });

    test("the sidecar list is configurable: with none, a log shipper carrying SW_* env counts as an app", () => {
        const options = { ...DEFAULT_DETECT_OPTIONS, sidecarNames: [] };
        expect(detectFixture("only-sidecars", options)).toMatchObject({ verdict: "skywalking", app: { container: "fluent-bit" } });
    });

    test("a workload without containers is skipped, not an error", () => {
        const detection = detectWorkload("Deployment", { metadata: { name: "empty", namespace: "x" }, spec: { template: { spec: { containers: [] } } } });
        expect(detection).toEqual({ key: "x/empty", namespace: "x", name: "empty", kind: "Deployment", verdict: "skipped", reason: "only sidecar containers (none)" });
    });
});

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object") {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}

describe("agents a person decides", () => {
    const unresolved = "-Xmx1g -javaagent:/opt/apm/sw/agent.jar -Dskywalking.agent.service_name=invoice -Dfile.encoding=UTF-8";

    test("--skywalking-agent (a glob) makes the agent SkyWalking's: recorded, and its variable is rewritten on the flip", () => {
        const options = { ...DEFAULT_DETECT_OPTIONS, skywalkingAgents: ["/opt/apm/**/*.jar"] };
        expect(detectFixture("unknown-agent-dskywalking", options)).toEqual({
            key: "finance/invoice",
            verdict: "skywalking",
            app: {
                kind: "Deployment", language: "java", container: "invoice",
                agentIn: { env: ["JAVA_OPTS"], args: false, command: false, swck: false },
                serviceName: "invoice",
                original: { env: { JAVA_OPTS: unresolved } },
                backendAddress: { source: "agentDefault" },
                agents: { "/opt/apm/sw/agent.jar": "skywalking" },
                rebuildImage: false,
                evidence: [
                    "env JAVA_OPTS: -javaagent:/opt/apm/sw/agent.jar, -Dskywalking.agent.service_name",
                    "env JAVA_OPTS: -javaagent:/opt/apm/sw/agent.jar is SkyWalking (--skywalking-agent)",
                ],
            },
            manualSteps: [],
        });
    });

    test("--not-skywalking-agent keeps the agent: nothing in the spec loads SkyWalking, so the image must", () => {
        const options = { ...DEFAULT_DETECT_OPTIONS, notSkywalkingAgents: ["/opt/apm/sw/agent.jar"] };
        expect(detectFixture("unknown-agent-dskywalking", options)).toEqual({
            key: "finance/invoice",
            verdict: "skywalking",
            app: {
                kind: "Deployment", language: "java", container: "invoice",
                agentIn: { env: ["JAVA_OPTS"], args: false, command: false, swck: false },
                serviceName: "invoice",
                original: { env: { JAVA_OPTS: unresolved }, image: "registry.corp/finance/invoice:3.2" },
                backendAddress: { source: "agentDefault" },
                agents: { "/opt/apm/sw/agent.jar": "other" },
                rebuildImage: true,
                evidence: [
                    "env JAVA_OPTS: -Dskywalking.agent.service_name",
                    "env JAVA_OPTS: -javaagent:/opt/apm/sw/agent.jar is not SkyWalking (--not-skywalking-agent)",
                    "nothing in the spec loads the agent: the image does — rebuild it without SkyWalking",
                ],
            },
            manualSteps: [],
        });
    });

    test("an unknown agent in a container with nothing else of SkyWalking is another agent, not a question", () => {
        const workload = { metadata: { name: "crm", namespace: "sales" }, spec: { template: { spec: { containers: [
            { name: "crm", image: "crm:1", env: [{ name: "JAVA_OPTS", value: "-javaagent:/opt/newrelic/newrelic.jar -Xmx1g" }] }] } } } };
        expect(detectWorkload("Deployment", workload)).toEqual({ key: "sales/crm", namespace: "sales", name: "crm", kind: "Deployment", verdict: "none", notes: [] });
    });
});
