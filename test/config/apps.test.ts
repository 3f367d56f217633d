import { appFlipProblems, appSchema, ConfigError, parseStackConfig, skywalkingLeftProblems } from "../../config";
import { withInventory } from "../support/inventory";

const app = (raw: Record<string, unknown>) => appSchema.parse(raw);
const JAVA_OPTS = "-Xmx1g -javaagent:/opt/apm/sw/agent.jar -Dskywalking.agent.service_name=billing";
const billing = { container: "billing", agentIn: { env: ["JAVA_OPTS"] }, original: { env: { JAVA_OPTS } } };

describe("appFlipProblems: agents a person has to decide", () => {
    test.each([
        {
            name: "an unresolved agent refuses otel, naming the app, the agent and both ways to decide",
            input: { ...billing, mode: "otel", agents: { "/opt/apm/sw/agent.jar": "unresolved" } },
            expected: [
                'apps["finance/billing"].agents["/opt/apm/sw/agent.jar"]: is unresolved — discovery could not tell whether agent /opt/apm/sw/agent.jar is SkyWalking, ' +
                "so finance/billing cannot be flipped to otel. Rerun discover with --skywalking-agent /opt/apm/sw/agent.jar or --not-skywalking-agent /opt/apm/sw/agent.jar " +
                "(delete this entry's agents key first: discovery keeps keys already written), or set it by hand in the inventory file: " +
                'agents: {"/opt/apm/sw/agent.jar": skywalking} (or other)',
            ],
        },
        { name: "in skywalking mode it is only a note for later", input: { ...billing, mode: "skywalking", agents: { "/opt/apm/sw/agent.jar": "unresolved" } }, expected: [] },
        { name: "decided as SkyWalking: the flip removes it", input: { ...billing, mode: "otel", agents: { "/opt/apm/sw/agent.jar": "skywalking" } }, expected: [] },
        { name: "decided as another agent: it stays, and nothing of SkyWalking loads", input: { ...billing, mode: "otel", agents: { "/opt/apm/sw/agent.jar": "other" } }, expected: [] },
    ])("$name", ({ input, expected }) => {
        expect(appFlipProblems("finance/billing", app(input))).toEqual(expected);
    });

    test("a verdict outside the three is a schema error", () => {
        expect(appSchema.safeParse({ ...billing, mode: "otel", agents: { "/a.jar": "maybe" } }).success).toBe(false);
    });
});

describe("skywalkingLeftProblems: detection on the container the flip produces", () => {
    test.each([
        {
            name: "an original env var holding the agent that the flip does not rewrite",
            input: { mode: "otel", container: "c", agentIn: { env: ["JAVA_OPTS"] },
                original: { env: { JAVA_OPTS: "-Dskywalking.agent.service_name=a", JAVA_TOOL_OPTIONS: "-javaagent:/sw/sw-agent-8.9.jar -Xss1m" } } },
            expected: ['apps["shop/c"].original.env.JAVA_TOOL_OPTIONS: in otel mode -javaagent:/sw/sw-agent-8.9.jar still loads SkyWalking next to the OpenTelemetry agent — add JAVA_TOOL_OPTIONS to apps["shop/c"].agentIn.env so the flip rewrites it'],
        },
        {
            name: "a complete entry leaves nothing",
            input: { mode: "otel", container: "c", agentIn: { env: ["JAVA_OPTS"], command: true },
                original: { env: { JAVA_OPTS: "-javaagent:/skywalking/agent/apm.jar" }, command: ["sh", "-c", "exec java -Dskywalking_config=/c -jar a.jar"] } },
            expected: [],
        },
    ])("$name", ({ input, expected }) => {
        expect(skywalkingLeftProblems("shop/c", app(input))).toEqual(expected);
        expect(appFlipProblems("shop/c", app(input))).toEqual(expected);
    });
});

describe("parseStackConfig", () => {
    test("refuses an unresolved otel app before anything is registered", () => {
        const raw = { collector: { exporters: [{ name: "debug", kind: "debug" }] }, apps: { "finance/billing": { ...billing, mode: "otel", agents: { "/opt/apm/sw/agent.jar": "unresolved" } } } };
        let problems: readonly string[] = [];
        try {
            parseStackConfig(...withInventory(raw));
        } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
            problems = error.problems;
        }
        expect(problems).toHaveLength(1);
        expect(problems[0]).toMatch(/^skyshift\.unit\.inventory\.yaml: apps\["finance\/billing"\]\.agents\["\/opt\/apm\/sw\/agent\.jar"\]: is unresolved/);
    });
});
