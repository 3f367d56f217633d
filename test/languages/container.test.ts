/**
 * The flip invariant, property-tested end to end through the real parts: for every container discovery
 * classifies as SkyWalking (and that a person has nothing left to decide on), the container `mode: otel`
 * produces (the workload patch merged over the original container) is classified as not SkyWalking by the
 * same detection, and every other word stays, in order, with its own text.
 */
import type { V1Container } from "@kubernetes/client-node";
import fc from "fast-check";
import { workloadPatch } from "../../components/migration/workload-patch";
import { appFlipProblems, appSchema } from "../../config";
import { agentRules, DEFAULT_DETECT_OPTIONS, DetectOptions, detectWorkload, scanContainer } from "../../discovery";
import { AgentVerdict, LANGUAGES, recordedAgents, skywalkingRemains, splitWords } from "../../languages";

/** One word of a generated container: its shell text, the literal argv element, and whether it is SkyWalking's. */
interface Part { readonly raw: string; readonly literal: string; readonly skywalking: boolean }
const word = (raw: string, skywalking: boolean, literal = raw): Part => ({ raw, literal, skywalking });

/** Paths the person decides with the discover flags below. */
const DECIDED: Pick<DetectOptions, "skywalkingAgents" | "notSkywalkingAgents"> = {
    skywalkingAgents: ["/opt/apm/*.jar"],
    notSkywalkingAgents: ["/opt/newrelic/**"],
};

const agentOptions = fc.constantFrom("", "=agent.service_name=a", "=agent.service_name=a,collector.backend_service=oap:11800");
const skywalkingJar = fc.constantFrom(
    "/skywalking/agent/skywalking-agent.jar", "/sky/agent/skywalking-agent.jar", "/sw/sw-agent-8.9.jar", "/skywalking/agent/apm.jar",
    "/opt/skywalking/apm-agent-9.jar", "/opt/apm/agent.jar", "/opt/apm/tracer.jar", "C:\\sw\\SkyWalking-Agent.jar",
);
const javaSkywalking: fc.Arbitrary<Part> = fc.oneof(
    fc.tuple(skywalkingJar, agentOptions).map(([jar, options]) => word(`-javaagent:${jar}${options}`, true)),
    agentOptions.map(options => word(`"-javaagent:/opt/sky walking/skywalking-agent.jar${options}"`, true, `-javaagent:/opt/sky walking/skywalking-agent.jar${options}`)),
    fc.constant(word("-javaagent:'/opt/apm 2/skywalking-agent.jar'=x=1", true, "-javaagent:/opt/apm 2/skywalking-agent.jar=x=1")),
    fc.stringMatching(/^-Dskywalking\.[a-z_]{1,8}(\.[a-z_]{1,8})?=[A-Za-z0-9:_.-]{0,8}$/).map(text => word(text, true)),
    fc.constant(word("-Dskywalking_config=/sw/agent.config", true)),
    fc.constant(word("-Dskywalking.agent.service_name='billing api'", true, "-Dskywalking.agent.service_name=billing api")),
);
const javaOther: fc.Arbitrary<Part> = fc.oneof(
    fc.constantFrom("-Xmx1g", "-XX:+UseG1GC", "-Dfile.encoding=UTF-8", "-server", "-Dskywalkingish=1", "-Dlog.dir=/var/log/skywalking",
        "-javaagent:/otel/opentelemetry-javaagent.jar", "-javaagent:/skywalking/agent/jmx_prometheus_javaagent.jar=9404:/c.yaml",
        "-javaagent:/opt/newrelic/newrelic.jar").map(text => word(text, false)),
    fc.constant(word("\"-Dapp.title=my -javaagent:/x/skywalking-agent.jar\"", false, "-Dapp.title=my -javaagent:/x/skywalking-agent.jar")),
    fc.stringMatching(/^-D[a-z]{1,6}=[A-Za-z0-9/_.-]{0,8}$/).map(text => word(text, false)),
);
const javaWords = fc.array(fc.oneof(javaSkywalking, javaOther), { maxLength: 8 });
const gap = fc.constantFrom(" ", "  ", "\t");

function joinWords(parts: readonly Part[], separator: string): string {
    return parts.map(part => part.raw).join(separator);
}

/** A Java container with SkyWalking words spread over env vars, `command`, `args` and an `sh -c` script. */
const javaContainer = fc.record({
    javaOpts: javaWords, toolOptions: javaWords, catalina: javaWords, argv: javaWords, script: javaWords, separator: gap,
    shell: fc.boolean(), swEnv: fc.boolean(),
}).map(({ javaOpts, toolOptions, catalina, argv, script, separator, shell, swEnv }) => {
    const env = [
        ...(swEnv ? [{ name: "SW_AGENT_NAME", value: "gen" }] : []),
        { name: "JAVA_OPTS", value: ` ${joinWords(javaOpts, separator)}` },
        { name: "JAVA_TOOL_OPTIONS", value: joinWords(toolOptions, separator) },
        { name: "CATALINA_OPTS", value: joinWords(catalina, separator) },
        { name: "TZ", value: "Asia/Shanghai" },
    ];
    const container: V1Container = shell
        ? { name: "app", image: "app:1", env, command: ["/bin/sh", "-c"], args: [`exec java ${joinWords(script, separator)} -jar /app.jar`] }
        : { name: "app", image: "app:1", env, command: ["java", ...argv.map(part => part.literal)], args: ["-jar", "/app.jar"] };
    const kept = (parts: readonly Part[]) => parts.filter(part => !part.skywalking);
    const expected = {
        JAVA_OPTS: kept(javaOpts).map(p => p.raw), JAVA_TOOL_OPTIONS: kept(toolOptions).map(p => p.raw), CATALINA_OPTS: kept(catalina).map(p => p.raw),
        // A script compares word by word: the flip keeps each kept word's own whitespace, which the generator chose.
        argv: shell ? ["/bin/sh", "-c", "exec", "java", ...kept(script).map(p => p.raw), "-jar", "/app.jar"] : ["java", ...kept(argv).map(p => p.literal), "-jar", "/app.jar"],
    };
    const anySkywalking = [javaOpts, toolOptions, catalina, shell ? script : argv].some(parts => parts.some(p => p.skywalking));
    return { container, expected, anySkywalking, shell };
});

/** The container the flip produces: the workload patch's container merged over the original one. */
function flipped(original: V1Container, patch: Record<string, unknown>): V1Container {
    const patched = (patch as { spec: { template: { spec: { containers: V1Container[] } } } }).spec.template.spec.containers[0];
    const env = (original.env ?? []).map(v => patched.env?.find(p => p.name === v.name) ?? v);
    const added = (patched.env ?? []).filter(p => !env.some(v => v.name === p.name));
    return { ...original, env: [...env, ...added], command: patched.command ?? original.command, args: patched.args ?? original.args };
}

function discoverAndFlip(container: V1Container, options: DetectOptions) {
    const workload = { metadata: { name: "app", namespace: "gen" }, spec: { template: { spec: { containers: [container] } } } };
    const detection = detectWorkload("Deployment", workload, options);
    if (detection.verdict !== "skywalking") throw new Error(`not classified as SkyWalking: ${JSON.stringify(detection)}`);
    const app = appSchema.parse({ mode: "otel", ...detection.app });
    const after = flipped(container, workloadPatch({ key: "gen/app", app, instrumentationRef: "gen/otel", image: "app:rebuilt" }));
    return { detection, app, after };
}

const envWords = (container: V1Container, name: string) => splitWords(container.env?.find(v => v.name === name)?.value ?? "").map(w => w.raw);
const options: DetectOptions = { ...DEFAULT_DETECT_OPTIONS, ...DECIDED };

describe("the flip invariant", () => {
    it("Java: the flipped container has no SkyWalking for the same detection, and keeps every other word in order", () => {
        fc.assert(fc.property(javaContainer.filter(c => c.anySkywalking), ({ container, expected, shell }) => {
            const { detection, app, after } = discoverAndFlip(container, options);
            expect(detection.verdict === "skywalking" && detection.manualSteps).toEqual([]);
            expect(appFlipProblems("gen/app", app)).toEqual([]);
            const names = (after.env ?? []).map(v => v.name);
            expect(skywalkingRemains(LANGUAGES.java, after, recordedAgents(app.agents ?? {}), names)).toEqual([]);
            const rescanned = scanContainer(after, [], agentRules(options, false));
            expect(rescanned.words.filter(f => f.verdict === AgentVerdict.skywalking)).toEqual([]);
            const argv = shell ? [...(after.command ?? []), ...splitWords(after.args?.[0] ?? "").map(w => w.raw)] : [...(after.command ?? []), ...(after.args ?? [])];
            expect([envWords(after, "JAVA_OPTS"), envWords(after, "JAVA_TOOL_OPTIONS"), envWords(after, "CATALINA_OPTS"), argv])
                .toEqual([expected.JAVA_OPTS, expected.JAVA_TOOL_OPTIONS, expected.CATALINA_OPTS, expected.argv]);
        }), { numRuns: 300 });
    });

    it("Java: an agent nobody decided, next to SkyWalking's properties, blocks the flip and names the word and the flag", () => {
        const undecided = fc.constantFrom("/opt/vendor/agent.jar", "/opt/skywalking/lib/boot.jar", "/apm/x-1.2.jar");
        fc.assert(fc.property(undecided, fc.array(javaOther, { maxLength: 3 }), (jar, others) => {
            const value = [`-javaagent:${jar}`, "-Dskywalking.agent.service_name=x", ...others.map(p => p.raw)].join(" ");
            const container: V1Container = { name: "app", image: "app:1", env: [{ name: "JAVA_OPTS", value }] };
            const workload = { metadata: { name: "app", namespace: "gen" }, spec: { template: { spec: { containers: [container] } } } };
            const detection = detectWorkload("Deployment", workload, options);
            if (detection.verdict !== "skywalking") throw new Error("not SkyWalking");
            expect(detection.manualSteps.join("\n")).toContain(`--skywalking-agent ${jar}`);
            const problems = appFlipProblems("gen/app", appSchema.parse({ mode: "otel", ...detection.app }));
            expect(problems).toHaveLength(1);
            expect(problems[0]).toContain(`apps["gen/app"].agents[${JSON.stringify(jar)}]: is unresolved`);
            expect(problems[0]).toContain(`--skywalking-agent ${jar} or --not-skywalking-agent ${jar}`);
            expect(appFlipProblems("gen/app", appSchema.parse({ mode: "skywalking", ...detection.app }))).toEqual([]);
        }), { numRuns: 50 });
    });

    const pythonContainer = fc.record({
        form: fc.constantFrom("command", "args", "split", "shell"),
        debug: fc.boolean(), path: fc.boolean(), program: fc.constantFrom(["gunicorn", "app:app"], ["python", "main.py", "--port", "80"]),
    }).map(({ form, debug, path, program }) => {
        const launcher = ["sw-python", ...(debug ? ["-d"] : []), "run", ...(path ? ["-p"] : [])];
        const argv = form === "command" ? { command: [...launcher, ...program] }
            : form === "args" ? { args: [...launcher, ...program] }
            : form === "split" ? { command: launcher, args: program }
            : { command: ["sh", "-c", `cd /srv && exec ${[...launcher, ...program].join(" ")}`] };
        const expected = form === "shell" ? ["sh", "-c", `cd /srv && exec ${program.join(" ")}`] : program;
        return { container: { name: "app", image: "py:1", env: [{ name: "SW_AGENT_NAME", value: "py" }], ...argv } as V1Container, expected };
    });

    it("Python: sw-python run goes from command, args, both, or a shell script; the launched program stays", () => {
        fc.assert(fc.property(pythonContainer, ({ container, expected }) => {
            const { app, after } = discoverAndFlip(container, options);
            expect(app.language).toBe("python");
            expect(skywalkingRemains(LANGUAGES.python, after, recordedAgents({}), [])).toEqual([]);
            expect([...(after.command ?? []), ...(after.args ?? [])]).toEqual(expected);
        }));
    });

    const nodeWord = fc.oneof(
        fc.constantFrom("--require skywalking-backend-js", "-r skywalking-backend-js", "--require=skywalking-backend-js/lib/index.js").map(text => word(text, true)),
        fc.constantFrom("--max-old-space-size=512", "--require dotenv/config", "--enable-source-maps", "-r ./tracing.js").map(text => word(text, false)),
    );

    it("Node.js: every preload of skywalking-backend-js goes from NODE_OPTIONS and argv; other options stay in order", () => {
        fc.assert(fc.property(fc.array(nodeWord, { maxLength: 6 }), fc.array(nodeWord, { maxLength: 6 }), (inOptions, inArgv) => {
            fc.pre([...inOptions, ...inArgv].some(p => p.skywalking));
            const container: V1Container = { name: "app", image: "node:1", env: [{ name: "NODE_OPTIONS", value: joinWords(inOptions, " ") }],
                command: ["node", ...inArgv.flatMap(p => p.raw.split(" ")), "server.js"] };
            const { app, after } = discoverAndFlip(container, options);
            expect(app.language).toBe("nodejs");
            expect(skywalkingRemains(LANGUAGES.nodejs, after, recordedAgents({}), ["NODE_OPTIONS"])).toEqual([]);
            const kept = (parts: readonly Part[]) => parts.filter(p => !p.skywalking).flatMap(p => p.raw.split(" "));
            expect([envWords(after, "NODE_OPTIONS"), after.command]).toEqual([kept(inOptions), ["node", ...kept(inArgv), "server.js"]]);
        }));
    });
});
