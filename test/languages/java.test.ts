import { AgentVerdict, classifyJar, java, recordedAgents, removeFromArgv, removeFromOptions } from "../../languages";

/** No decisions recorded: every agent the module cannot classify by its path stays, as for an app without `agents`. */
const keepUnknown = recordedAgents({});

const decideAll = (verdict: AgentVerdict) => () => verdict;

describe("classifyJar", () => {
    test.each([
        { name: "the released jar", input: "/skywalking/agent/skywalking-agent.jar", expected: "skywalking" },
        { name: "a Windows path, any case", input: "C:\\sw\\SkyWalking-Agent.jar", expected: "skywalking" },
        { name: "a versioned apache jar", input: "/opt/apache-skywalking-agent-9.1.jar", expected: "skywalking" },
        { name: "sw-agent with a version", input: "/sw/sw-agent-8.9.jar", expected: "skywalking" },
        { name: "SWCK's injected path", input: "/sky/agent/agent.jar", expected: "skywalking" },
        { name: "any jar in a skywalking agent directory", input: "/skywalking/agent/apm.jar", expected: "skywalking" },
        { name: "an agent-named jar in a skywalking directory", input: "/opt/skywalking/apm-agent-9.jar", expected: "skywalking" },
        { name: "a jar in a skywalking directory that is not an agent by name", input: "/opt/skywalking/lib/boot.jar", expected: "suspect" },
        { name: "nothing says", input: "/opt/apm/agent.jar", expected: "unknown" },
        { name: "the OpenTelemetry agent", input: "/otel/opentelemetry-javaagent.jar", expected: "not-skywalking" },
        { name: "the operator's injected OpenTelemetry agent", input: "/otel-auto-instrumentation-java/javaagent.jar", expected: "not-skywalking" },
        { name: "a JMX exporter even in a skywalking directory", input: "/skywalking/agent/jmx_prometheus_javaagent.jar", expected: "not-skywalking" },
        { name: "jolokia", input: "/opt/jolokia/jolokia-jvm-agent.jar", expected: "not-skywalking" },
    ])("$name: $input", ({ input, expected }) => {
        expect(classifyJar(input)).toBe(expected);
    });
});

describe("java.skywalkingSpans", () => {
    test.each([
        {
            name: "agent with options, a property, the config file and other flags",
            input: ["-Xmx1g", "-javaagent:/sw/skywalking-agent.jar=agent.service_name=a", "-Dskywalking.agent.namespace=ns", "-Dskywalking_config=/c", "-jar", "a.jar"],
            expected: [
                { start: 1, end: 2, label: "-javaagent:/sw/skywalking-agent.jar", verdict: "skywalking", loadsAgent: true },
                { start: 2, end: 3, label: "-Dskywalking.agent.namespace", verdict: "skywalking", loadsAgent: false },
                { start: 3, end: 4, label: "-Dskywalking_config", verdict: "skywalking", loadsAgent: false },
            ],
        },
        {
            name: "an unknown agent is the resolver's to decide, with its path",
            input: ["-javaagent:/opt/apm/agent.jar=x=1"],
            expected: [{ start: 0, end: 1, label: "-javaagent:/opt/apm/agent.jar", verdict: "other", loadsAgent: true, agentPath: "/opt/apm/agent.jar" }],
        },
        {
            name: "a path with spaces (one word: quoted, or one argv element)",
            input: ["-javaagent:/opt/my agents/skywalking-agent.jar"],
            expected: [{ start: 0, end: 1, label: "-javaagent:/opt/my agents/skywalking-agent.jar", verdict: "skywalking", loadsAgent: true }],
        },
        { name: "look-alikes are not SkyWalking", input: ["-Dskywalkingish=1", "-Dlog.path=/var/log/skywalking", "-javaagent:/otel/opentelemetry-javaagent.jar"], expected: [] },
    ])("$name", ({ input, expected }) => {
        expect(java.skywalkingSpans(input, keepUnknown)).toEqual(expected);
    });

    test("the resolver is told when a path only hints at SkyWalking", () => {
        const asked: Array<[string, boolean]> = [];
        java.skywalkingSpans(["-javaagent:/opt/skywalking/lib/boot.jar", "-javaagent:/opt/apm/agent.jar"], (path, suspect) => {
            asked.push([path, suspect]);
            return AgentVerdict.unresolved;
        });
        expect(asked).toEqual([["/opt/skywalking/lib/boot.jar", true], ["/opt/apm/agent.jar", false]]);
    });
});

describe("removeFromOptions (Java)", () => {
    test.each([
        { name: "JAVA_OPTS without an agent is left as it is", input: " -Xmx4096m -Xms2048m", expected: " -Xmx4096m -Xms2048m" },
        { name: "agent first, leading space kept", input: " -javaagent:/skywalking/agent/skywalking-agent.jar -Xmx1g", expected: " -Xmx1g" },
        { name: "agent last", input: "-Xmx1g -javaagent:/opt/skywalking/agent/skywalking-agent.jar", expected: "-Xmx1g" },
        {
            name: "agent options after =",
            input: "-Xms1g -javaagent:/sky/agent/skywalking-agent.jar=agent.service_name=order,collector.backend_service=oap:11800 -Dfile.encoding=UTF-8",
            expected: "-Xms1g -Dfile.encoding=UTF-8",
        },
        {
            name: "-Dskywalking properties and the config path",
            input: "-Dskywalking.agent.service_name=order -Xmx1g -Dskywalking_config=/sw/agent.config -Dspring.profiles.active=prod",
            expected: "-Xmx1g -Dspring.profiles.active=prod",
        },
        { name: "double-quoted path with spaces", input: "-Xmx1g \"-javaagent:/opt/my agents/skywalking-agent.jar\" -Xss512k", expected: "-Xmx1g -Xss512k" },
        { name: "quoted path only", input: "-javaagent:'/opt/sky walking/skywalking-agent.jar'=agent.service_name='a b' -XX:+UseG1GC", expected: "-XX:+UseG1GC" },
        { name: "tabs between kept flags", input: "-Xmx1g   -javaagent:/usr/skywalking/agent/skywalking-agent.jar\t\t-Xms1g  ", expected: "-Xmx1g\t\t-Xms1g  " },
        { name: "several agents in one string", input: "-javaagent:/a/skywalking-agent.jar -Xmx1g -javaagent:/sw/sw-agent-8.9.jar=x=y -javaagent:/skywalking/agent/apm.jar", expected: "-Xmx1g" },
        { name: "the OTel agent next to SkyWalking stays", input: "-javaagent:/otel/opentelemetry-javaagent.jar -javaagent:/sw/skywalking-agent.jar", expected: "-javaagent:/otel/opentelemetry-javaagent.jar" },
        { name: "a metrics agent in a skywalking directory stays", input: "-javaagent:/skywalking/agent/jmx-exporter.jar=9404:/c.yaml", expected: "-javaagent:/skywalking/agent/jmx-exporter.jar=9404:/c.yaml" },
        { name: "only the agent", input: "-javaagent:/skywalking/agent/skywalking-agent.jar", expected: "" },
        { name: "a quoted value that mentions an agent is one other word", input: "-Dapp.banner=\"hello -javaagent:/x/skywalking-agent.jar\" -Xmx1g", expected: "-Dapp.banner=\"hello -javaagent:/x/skywalking-agent.jar\" -Xmx1g" },
        { name: "an unknown agent stays unless decided", input: "-javaagent:/opt/apm/agent.jar -Dskywalking.agent.service_name=x", expected: "-javaagent:/opt/apm/agent.jar" },
    ])("$name", ({ input, expected }) => {
        expect(removeFromOptions(java, input, keepUnknown)).toBe(expected);
    });

    test("an unknown agent decided as SkyWalking goes; one left unresolved stays for a person", () => {
        const input = "-javaagent:/opt/apm/agent.jar -Dskywalking.agent.service_name=x -Xmx1g";
        expect(removeFromOptions(java, input, decideAll(AgentVerdict.skywalking))).toBe("-Xmx1g");
        expect(removeFromOptions(java, input, decideAll(AgentVerdict.unresolved))).toBe("-javaagent:/opt/apm/agent.jar -Xmx1g");
    });
});

describe("removeFromArgv (Java)", () => {
    test.each([
        { name: "java argv", input: { command: ["java", "-javaagent:/sw/skywalking-agent.jar=agent.service_name=a", "-Xmx1g", "-jar", "/app.jar"] }, expected: { command: ["java", "-Xmx1g", "-jar", "/app.jar"], args: undefined } },
        { name: "an element with spaces is one path, not a shell string", input: { args: ["-javaagent:/opt/my agent/skywalking-agent.jar", "-jar", "a.jar"] }, expected: { command: undefined, args: ["-jar", "a.jar"] } },
        {
            name: "sh -c string rewritten inside",
            input: { command: ["/bin/sh", "-c"], args: ["exec java -javaagent:/sw/skywalking-agent.jar -Dskywalking.agent.service_name=a -jar /app.jar"] },
            expected: { command: ["/bin/sh", "-c"], args: ["exec java -jar /app.jar"] },
        },
        { name: "no SkyWalking: unchanged", input: { command: ["java", "-javaagent:/otel/javaagent.jar", "-jar", "/app.jar"] }, expected: { command: ["java", "-javaagent:/otel/javaagent.jar", "-jar", "/app.jar"], args: undefined } },
    ])("$name", ({ input, expected }) => {
        expect(removeFromArgv(java, input, keepUnknown)).toEqual(expected);
    });
});

describe("java.identity", () => {
    test.each([
        {
            name: "agent options win over -D properties, whatever their order",
            input: ["-Dskywalking.agent.service_name=from-property", "-javaagent:/sky/agent/skywalking-agent.jar=agent.service_name=from-option,agent.namespace=ns", "-Dskywalking.agent.instance_name=i-1"],
            expected: { serviceName: "from-option", serviceNamespace: "ns", instanceName: "i-1" },
        },
        { name: "quoted values arrive unquoted", input: ["-Dskywalking.agent.service_name=billing api"], expected: { serviceName: "billing api" } },
        { name: "an agent left alone sets nothing", input: ["-javaagent:/opt/apm/agent.jar=agent.service_name=x"], expected: {} },
    ])("$name", ({ input, expected }) => {
        const found = java.skywalkingSpans(input, keepUnknown).map(span => ({ verdict: span.verdict, words: input.slice(span.start, span.end) }));
        expect(java.identity(found)).toEqual(expected);
    });
});

describe("java.otel", () => {
    test("names what the operator uses for Java", () => {
        expect(java.otel).toEqual({
            annotation: "instrumentation.opentelemetry.io/inject-java",
            containerNamesAnnotation: "instrumentation.opentelemetry.io/java-container-names",
            initContainer: "opentelemetry-auto-instrumentation-java",
        });
    });

    test.each([
        { name: "the operator's injected agent", input: " -javaagent:/otel-auto-instrumentation-java/javaagent.jar", expected: true },
        { name: "the released agent", input: "-javaagent:/opt/opentelemetry-javaagent-2.10.jar", expected: true },
        { name: "SkyWalking", input: "-javaagent:/sw/skywalking-agent.jar", expected: false },
    ])("loadsOtelAgent: $name", ({ input, expected }) => {
        expect(java.loadsOtelAgent(input)).toBe(expected);
    });
});
