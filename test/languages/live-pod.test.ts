import { java, nodejs, python, recordedAgents, skywalkingInPod } from "../../languages";

/** No decisions recorded: every agent the module cannot classify by its path stays, as for an app without `agents`. */
const keepUnknown = recordedAgents({});

const OTEL_JAVA = "-javaagent:/otel-auto-instrumentation-java/javaagent.jar";

describe("skywalkingInPod", () => {
    test.each([
        {
            name: "Java: the operator's agent only",
            module: java, container: "app",
            spec: { containers: [{ name: "app", env: [{ name: "JAVA_TOOL_OPTIONS", value: ` ${OTEL_JAVA}` }] }], initContainers: [{ name: "opentelemetry-auto-instrumentation-java", command: ["cp", "-r", "/javaagent.jar", "/otel-auto-instrumentation-java/"] }] },
            expected: [],
        },
        {
            name: "Java: SWCK injected again, before the operator's append",
            module: java, container: "app",
            spec: { containers: [{ name: "app", env: [{ name: "JAVA_TOOL_OPTIONS", value: `-javaagent:/sky/agent/skywalking-agent.jar ${OTEL_JAVA}` }] }], initContainers: [{ name: "inject-skywalking-agent", command: ["sh"], args: ["-c", "mkdir -p /sky/agent && cp -r /skywalking/agent/* /sky/agent"] }] },
            expected: ["env JAVA_TOOL_OPTIONS: -javaagent:/sky/agent/skywalking-agent.jar", "initContainer inject-skywalking-agent copies the agent"],
        },
        {
            name: "Java: a start-script variable and the command line, in the named container (not the first)",
            module: java, container: "app",
            spec: { containers: [{ name: "istio-proxy" }, { name: "app", env: [{ name: "APP_OPTS", value: "-Dskywalking.agent.service_name=a" }], command: ["java", "-javaagent:/skywalking/agent/apm.jar", "-jar", "a.jar"] }] },
            expected: ["env APP_OPTS: -Dskywalking.agent.service_name", "command: -javaagent:/skywalking/agent/apm.jar"],
        },
        {
            name: "Python: the launcher in args",
            module: python, container: "api",
            spec: { containers: [{ name: "api", args: ["sw-python", "run", "gunicorn", "app:app"] }] },
            expected: ["args: sw-python run"],
        },
        {
            name: "Node.js: the preload in NODE_OPTIONS next to the operator's",
            module: nodejs, container: "web",
            spec: { containers: [{ name: "web", env: [{ name: "NODE_OPTIONS", value: "--require /otel-auto-instrumentation-nodejs/autoinstrumentation.js -r skywalking-backend-js" }] }] },
            expected: ["env NODE_OPTIONS: --require skywalking-backend-js"],
        },
    ])("$name", ({ module, container, spec, expected }) => {
        expect(skywalkingInPod(spec, { module, container, resolve: keepUnknown })).toEqual(expected);
    });

    test("an agent the person decided is SkyWalking counts under its own path; undecided ones do not", () => {
        const spec = { containers: [{ name: "app", env: [{ name: "JAVA_OPTS", value: "-javaagent:/opt/apm/agent.jar -javaagent:/opt/other.jar" }] }] };
        expect(skywalkingInPod(spec, { module: java, container: "app", resolve: recordedAgents({ "/opt/apm/agent.jar": "skywalking", "/opt/other.jar": "other" }) }))
            .toEqual(["env JAVA_OPTS: -javaagent:/opt/apm/agent.jar"]);
    });
});
