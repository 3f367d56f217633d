import fc from "fast-check";
import {
    isSkyWalkingArgument, mentionsSkyWalkingAgent, removeSkyWalkingArguments, removeSkyWalkingOptions, tokenizeOptions, unquote,
} from "../../components/migration/jvm-options";

describe("removeSkyWalkingOptions on realistic JVM options", () => {
    test.each([
        ["seed 002's JAVA_OPTS without an agent", " -Xmx4096m -Xms2048m", " -Xmx4096m -Xms2048m"],
        ["agent first, leading space kept", " -javaagent:/skywalking/agent/skywalking-agent.jar -Xmx1g", " -Xmx1g"],
        ["agent last", "-Xmx1g -javaagent:/opt/skywalking/agent/skywalking-agent.jar", "-Xmx1g"],
        ["agent options after =", "-Xms1g -javaagent:/sky/agent/skywalking-agent.jar=agent.service_name=order,collector.backend_service=oap:11800 -Dfile.encoding=UTF-8",
            "-Xms1g -Dfile.encoding=UTF-8"],
        ["-Dskywalking properties and config path", "-Dskywalking.agent.service_name=order -Xmx1g -Dskywalking_config=/sw/agent.config -Dspring.profiles.active=prod",
            "-Xmx1g -Dspring.profiles.active=prod"],
        ["double-quoted path with spaces", "-Xmx1g \"-javaagent:/opt/my agents/skywalking-agent.jar\" -Xss512k", "-Xmx1g -Xss512k"],
        ["quoted path only", "-javaagent:'/opt/sky walking/skywalking-agent.jar'=agent.service_name='a b' -XX:+UseG1GC", "-XX:+UseG1GC"],
        ["repeated spaces and tabs between kept flags", "-Xmx1g   -javaagent:/usr/skywalking/agent/skywalking-agent.jar\t\t-Xms1g  ", "-Xmx1g\t\t-Xms1g  "],
        ["two SkyWalking agents", "-javaagent:/a/skywalking-agent.jar -Xmx1g -javaagent:/b/skywalking-agent.jar=x=y", "-Xmx1g"],
        ["the OTel agent next to SkyWalking stays", "-javaagent:/otel/opentelemetry-javaagent.jar -javaagent:/sw/skywalking-agent.jar",
            "-javaagent:/otel/opentelemetry-javaagent.jar"],
        ["a jar in a skywalking directory that is not the agent", "-javaagent:/skywalking/agent/jmx-exporter.jar=9404:/c.yaml",
            "-javaagent:/skywalking/agent/jmx-exporter.jar=9404:/c.yaml"],
        ["only the agent", "-javaagent:/skywalking/agent/skywalking-agent.jar", ""],
        ["a quoted value with spaces is one flag", "-Dapp.banner=\"hello -javaagent:/x/skywalking-agent.jar\" -Xmx1g",
            "-Dapp.banner=\"hello -javaagent:/x/skywalking-agent.jar\" -Xmx1g"],
    ])("%s", (_name, input, expected) => {
        expect(removeSkyWalkingOptions(input)).toBe(expected);
    });
});

describe("removeSkyWalkingArguments on argv", () => {
    test.each([
        ["java argv", ["java", "-javaagent:/sw/skywalking-agent.jar=agent.service_name=a", "-Xmx1g", "-jar", "/app.jar"], ["java", "-Xmx1g", "-jar", "/app.jar"]],
        ["an argv element with spaces is one path, not a shell string", ["java", "-javaagent:/opt/my agent/skywalking-agent.jar", "-jar", "a.jar"], ["java", "-jar", "a.jar"]],
        ["sh -c string rewritten inside", ["/bin/sh", "-c", "exec java -javaagent:/sw/skywalking-agent.jar -Dskywalking.agent.service_name=a -jar /app.jar"],
            ["/bin/sh", "-c", "exec java -jar /app.jar"]],
        ["no SkyWalking: unchanged", ["java", "-javaagent:/otel/javaagent.jar", "-jar", "/app.jar"], ["java", "-javaagent:/otel/javaagent.jar", "-jar", "/app.jar"]],
    ])("%s", (_name, input, expected) => {
        expect(removeSkyWalkingArguments(input)).toEqual(expected);
    });
});

describe("classification", () => {
    test.each([
        ["-javaagent:/skywalking/agent/skywalking-agent.jar", true],
        ["-javaagent:C:\\sw\\SkyWalking-Agent.jar=x=1", true],
        ["-Dskywalking.collector.backend_service=oap:11800", true],
        ["-javaagent:/otel/opentelemetry-javaagent.jar", false],
        ["-Dskywalkingish=1", false],
        ["-Xmx1g", false],
    ])("%s → %s", (argument, expected) => {
        expect(isSkyWalkingArgument(argument)).toBe(expected);
    });

    it("unquotes the way sh does", () => {
        expect(unquote(`'/a b'/c"d \\" e"\\ f`)).toBe(`/a b/cd " e f`);
    });
});

/** Flags a JVM options value really carries, quoted or not; none contains unquoted whitespace. */
const otherFlag = fc.oneof(
    fc.constantFrom("-Xmx1g", "-Xms512m", "-XX:+UseG1GC", "-Dfile.encoding=UTF-8", "-server", "-javaagent:/otel/opentelemetry-javaagent.jar",
        "-javaagent:/skywalking/agent/jmx_prometheus.jar=9404:/c.yml", "\"-Dapp.title=my app\"", "-Dpath='/a b/c'", "-Dskywalkingish=1"),
    fc.stringMatching(/^-D[a-z]{1,6}(\.[a-z]{1,6})?=[A-Za-z0-9:/_.-]{0,10}$/),
);
const skyWalkingFlag = fc.oneof(
    fc.constantFrom("-javaagent:/skywalking/agent/skywalking-agent.jar", "-javaagent:/sky/agent/skywalking-agent.jar=agent.service_name=a,b=c",
        "\"-javaagent:/opt/sky walking/skywalking-agent.jar\"", "-javaagent:'/opt/a b/skywalking-agent.jar'='x=1'", "-Dskywalking_config=/c"),
    fc.stringMatching(/^-Dskywalking\.[a-z_]{1,10}(\.[a-z_]{1,8})?=[A-Za-z0-9:_.-]{0,10}$/),
);
const whitespace = fc.stringMatching(/^[ \t]{1,3}$/);
const options = fc.record({
    leading: fc.stringMatching(/^[ ]{0,2}$/),
    words: fc.array(fc.tuple(fc.oneof(otherFlag, skyWalkingFlag), whitespace), { maxLength: 12 }),
    trailing: fc.stringMatching(/^[ ]{0,2}$/),
}).map(({ leading, words, trailing }) => leading + words.map(([w, ws], i) => (i === 0 ? "" : ws) + w).join("") + trailing);

const words = (s: string) => tokenizeOptions(s).map(t => t.raw);

describe("removeSkyWalkingOptions properties", () => {
    it("is idempotent", () => {
        fc.assert(fc.property(options, s => removeSkyWalkingOptions(removeSkyWalkingOptions(s)) === removeSkyWalkingOptions(s)));
    });

    it("never leaves a SkyWalking flag", () => {
        fc.assert(fc.property(options, s => !mentionsSkyWalkingAgent(removeSkyWalkingOptions(s))));
    });

    it("keeps every other word, in order, with its own text", () => {
        fc.assert(fc.property(options, s => {
            const expected = words(s).filter(w => !isSkyWalkingArgument(unquote(w)));
            expect(words(removeSkyWalkingOptions(s))).toEqual(expected);
        }));
    });

    it("changes nothing at all when there is no SkyWalking flag", () => {
        fc.assert(fc.property(options.filter(s => !mentionsSkyWalkingAgent(s)), s => removeSkyWalkingOptions(s) === s));
    });

    it("the argv variant keeps every other element in order", () => {
        fc.assert(fc.property(fc.array(fc.oneof(otherFlag.map(unquote), skyWalkingFlag.map(unquote))), argv => {
            expect(removeSkyWalkingArguments(argv)).toEqual(argv.filter(a => !isSkyWalkingArgument(a)));
        }));
    });
});
