import { BackendSource, findBackendAddress, java, nodejs, pointArgvAt, pointOptionsAt, python, recordedAgents } from "../../languages";

const resolve = recordedAgents({});
const AT = "otel-collector.observability:11800";

describe("findBackendAddress", () => {
    test.each<[string, Parameters<typeof findBackendAddress>[0], Parameters<typeof findBackendAddress>[1], ReturnType<typeof findBackendAddress>]>([
        ["the agent option wins over the property and the env var", java, {
            env: [{ name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap-env:11800" },
                { name: "JAVA_TOOL_OPTIONS", value: "-Dskywalking.collector.backend_service=oap-p:11800 -javaagent:/sky/agent/skywalking-agent.jar=collector.backend_service=oap-o:11800" }],
        }, { source: "agentOption", where: "env", envName: "JAVA_TOOL_OPTIONS", value: "oap-o:11800" }],
        ["the property wins over the env var", java, {
            env: [{ name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap-env:11800" }],
            args: ["-Dskywalking.collector.backend_service=oap-p:11800", "-javaagent:/sky/agent/skywalking-agent.jar", "-jar", "a.jar"],
        }, { source: "systemProperty", where: "args", value: "oap-p:11800" }],
        ["a quoted list in the agent option", java, {
            env: [{ name: "JAVA_OPTS", value: "\"-javaagent:/sky/agent/skywalking-agent.jar=collector.backend_service='a:11800,b:11800',agent.service_name=x\"" }],
        }, { source: "agentOption", where: "env", envName: "JAVA_OPTS", value: "a:11800,b:11800" }],
        ["the env var alone (Python)", python, {
            env: [{ name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap:11800" }], command: ["sw-python", "run", "app.py"],
        }, { source: "env", where: "env", envName: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap:11800" }],
        ["the env var from a ConfigMap (Node.js)", nodejs, {
            env: [{ name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", valueFrom: { configMapKeyRef: { name: "sw", key: "oap" } } }],
        }, { source: "env", where: "env", envName: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", valueFrom: true }],
        ["nothing: the agent's default", java, { env: [{ name: "JAVA_OPTS", value: "-javaagent:/sky/agent/skywalking-agent.jar" }] }, { source: BackendSource.agentDefault }],
        ["a property of another agent's jar is not SkyWalking's option", java, {
            env: [{ name: "JAVA_OPTS", value: "-javaagent:/otel/opentelemetry-javaagent.jar=collector.backend_service=x:1" }],
        }, { source: BackendSource.agentDefault }],
    ])("%s", (_name, module, container, expected) => {
        expect(findBackendAddress(module, container, resolve)).toEqual(expected);
    });
});

describe("pointing the agent at the collector", () => {
    test.each<[string, string, "agentOption" | "systemProperty", string]>([
        ["a property between other flags, spacing kept", "-Xmx1g  -Dskywalking.collector.backend_service=oap:11800\t-Dfile.encoding=UTF-8",
            "systemProperty", `-Xmx1g  -Dskywalking.collector.backend_service=${AT}\t-Dfile.encoding=UTF-8`],
        ["a double-quoted property keeps its quotes", "\"-Dskywalking.collector.backend_service=oap:11800\" -javaagent:/sky/agent/skywalking-agent.jar",
            "systemProperty", `"-Dskywalking.collector.backend_service=${AT}" -javaagent:/sky/agent/skywalking-agent.jar`],
        ["an agent option, the other options kept", "-javaagent:/sky/agent/skywalking-agent.jar=agent.service_name=a,collector.backend_service=x:1,logging.level=debug",
            "agentOption", `-javaagent:/sky/agent/skywalking-agent.jar=agent.service_name=a,collector.backend_service=${AT},logging.level=debug`],
        ["a quoted list in an agent option keeps its quotes", "\"-javaagent:/sky/agent/skywalking-agent.jar=collector.backend_service='x:1,y:2',logging.level=debug\"",
            "agentOption", `"-javaagent:/sky/agent/skywalking-agent.jar=collector.backend_service='${AT}',logging.level=debug"`],
        ["only the source discovery recorded", "-Dskywalking.collector.backend_service=p:1 -javaagent:/sky/agent/skywalking-agent.jar=collector.backend_service=o:1",
            "agentOption", `-Dskywalking.collector.backend_service=p:1 -javaagent:/sky/agent/skywalking-agent.jar=collector.backend_service=${AT}`],
        ["nothing in a string without the setting", "-Xmx1g -javaagent:/sky/agent/skywalking-agent.jar", "systemProperty", "-Xmx1g -javaagent:/sky/agent/skywalking-agent.jar"],
    ])("%s", (_name, text, source, expected) => {
        expect(pointOptionsAt(java, text, source, AT, resolve)).toBe(expected);
    });

    it("rewrites argv elements and sh -c scripts, and leaves the command/args split as it was", () => {
        expect(pointArgvAt(java, { command: ["java"], args: ["-Dskywalking.collector.backend_service=oap:1", "-jar", "a.jar"] }, "systemProperty", AT, resolve))
            .toEqual({ command: ["java"], args: [`-Dskywalking.collector.backend_service=${AT}`, "-jar", "a.jar"] });
        expect(pointArgvAt(java, { command: ["sh", "-c"], args: ["exec java -Dskywalking.collector.backend_service=oap:1 -jar a.jar"] }, "systemProperty", AT, resolve))
            .toEqual({ command: ["sh", "-c"], args: [`exec java -Dskywalking.collector.backend_service=${AT} -jar a.jar`] });
    });
});
