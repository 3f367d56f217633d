/**
 * Flip sequences across the three modes, property-tested through the real parts: discovery writes the inventory
 * entry, the workload patch builds each body, and a model of Server-Side Apply (test/support/ssa-model.ts) applies
 * them in order. Whatever the order, the template after a flip is the one a single flip to that mode gives, flipping
 * back to skywalking restores the original template byte for byte, and in bridge mode only the backend address
 * changed, pointed at the collector's skywalking receiver.
 */
import type { V1Container, V1PodTemplateSpec } from "@kubernetes/client-node";
import fc from "fast-check";
import { workloadPatch } from "../../components/migration/workload-patch";
import { AppMode, appFlipProblems, appSchema } from "../../config";
import { detectWorkload, DiscoveredApp } from "../../discovery";
import { BACKEND_ADDRESS_ENV, BackendSource, findBackendAddress, LANGUAGES, recordedAgents, splitWords, unquote } from "../../languages";
import { applyBody, normalized } from "../support/ssa-model";

const RECEIVER = "otel-collector.observability:11800";
const REF = "observability/skyshift";
const modes = fc.constantFrom(AppMode.skywalking, AppMode.bridge, AppMode.otel);

const JAR = "-javaagent:/skywalking/agent/skywalking-agent.jar";
const javaAgent = fc.constantFrom("", "=agent.service_name=a", "=collector.backend_service=oap-o:11800",
    "=agent.service_name=a,collector.backend_service='oap-1:11800,oap-2:11800'").map(options => `${JAR}${options}`);
const property = fc.constantFrom([], ["-Dskywalking.collector.backend_service=oap-p:11800"], ["\"-Dskywalking.collector.backend_service=oap-q:11800\""]);
const others = fc.subarray(["-Xmx1g", "-Dfile.encoding=UTF-8", "-Dskywalking.agent.service_name=svc"]);
const backendEnv = fc.option(fc.constantFrom("oap-env:11800", "oap-a:11800,oap-b:11800"), { nil: undefined });

/** A Java container with the agent and its backend settings in an option env var, argv or an `sh -c` script. */
const javaContainer = fc.record({ agent: javaAgent, property, others, env: backendEnv, place: fc.constantFrom("JAVA_TOOL_OPTIONS", "CATALINA_OPTS", "args", "script") })
    .map(({ agent, property: props, others: rest, env, place }): V1Container => {
        const words = [...rest.slice(0, 1), ...props, agent, ...rest.slice(1)];
        const base = { name: "app", image: "app:1", env: [{ name: "TZ", value: "UTC" }, ...(env ? [{ name: BACKEND_ADDRESS_ENV, value: env }] : [])] };
        if (place === "args") return { ...base, command: ["java"], args: [...words.map(w => w.replace(/^"(.*)"$/, "$1")), "-jar", "/app.jar"] };
        if (place === "script") return { ...base, command: ["/bin/sh", "-c"], args: [`exec java ${words.join("  ")} -jar /app.jar`] };
        return { ...base, env: [...base.env, { name: place, value: ` ${words.join(" ")}` }], command: ["java", "-jar", "/app.jar"] };
    });

const pythonContainer = fc.record({ env: backendEnv, debug: fc.boolean() }).map(({ env, debug }): V1Container => ({
    name: "app", image: "py:1",
    env: [{ name: "SW_AGENT_NAME", value: "py" }, ...(env ? [{ name: BACKEND_ADDRESS_ENV, value: env }] : [])],
    command: ["sw-python", ...(debug ? ["-d"] : []), "run", "gunicorn", "app:app"],
}));

const nodeContainer = backendEnv.map((env): V1Container => ({
    name: "app", image: "node:1",
    env: [{ name: "NODE_OPTIONS", value: "--max-old-space-size=512 --require skywalking-backend-js" }, ...(env ? [{ name: BACKEND_ADDRESS_ENV, value: env }] : [])],
    command: ["node", "server.js"],
}));

function templateOf(container: V1Container): V1PodTemplateSpec {
    return { metadata: { labels: { app: "app" } }, spec: { containers: [container, { name: "istio-proxy", image: "istio/proxyv2:1" }] } };
}

function discovered(template: V1PodTemplateSpec): DiscoveredApp {
    const detection = detectWorkload("Deployment", { metadata: { name: "app", namespace: "gen" }, spec: { template } });
    if (detection.verdict !== "skywalking") throw new Error(`not classified as SkyWalking: ${JSON.stringify(detection)}`);
    return detection.app;
}

function bodyFor(entry: DiscoveredApp, mode: AppMode): Record<string, unknown> {
    const app = appSchema.parse({ ...entry, mode });
    expect(appFlipProblems("gen/app", app)).toEqual([]);
    return workloadPatch({ key: "gen/app", app, instrumentationRef: REF, image: "app:rebuilt", skywalkingReceiverAddress: RECEIVER });
}

/** The first `pulumi up` applies the skywalking body (the originals); each later flip applies the next mode's body. */
function flipThrough(original: V1PodTemplateSpec, entry: DiscoveredApp, sequence: readonly AppMode[]): V1PodTemplateSpec[] {
    let live = applyBody(original, undefined, bodyFor(entry, AppMode.skywalking));
    let previous = bodyFor(entry, AppMode.skywalking);
    return sequence.map(mode => {
        const body = bodyFor(entry, mode);
        live = applyBody(live, previous, body);
        previous = body;
        return live;
    });
}

/** Every word of every env var and of argv, by place: what "only the address changed" is checked against. */
function wordsOf(container: V1Container): Record<string, string[]> {
    const places: Record<string, string[]> = {};
    for (const variable of container.env ?? []) places[`env ${variable.name}`] = splitWords(variable.value ?? "").map(w => w.raw);
    places.argv = [...(container.command ?? []), ...(container.args ?? [])].flatMap(element => splitWords(element).map(w => w.raw));
    return places;
}

function checkSequences(containers: fc.Arbitrary<V1Container>, numRuns: number): void {
    fc.assert(fc.property(containers, fc.array(modes, { minLength: 1, maxLength: 6 }), (container, sequence) => {
        const original = normalized(templateOf(container));
        const entry = discovered(original);
        const states = flipThrough(original, entry, [...sequence, AppMode.skywalking]);
        // Path independence: after any history, a mode's template is the one a single flip to it gives.
        states.forEach((state, index) => {
            const mode = [...sequence, AppMode.skywalking][index];
            expect(JSON.stringify(state)).toBe(JSON.stringify(flipThrough(original, entry, [mode])[0]));
        });
        expect(JSON.stringify(states[states.length - 1])).toBe(JSON.stringify(original));

        const [bridged] = flipThrough(original, entry, [AppMode.bridge]);
        const app = bridged.spec!.containers[0];
        const module = LANGUAGES[entry.language];
        const live = findBackendAddress(module, app, recordedAgents(entry.agents ?? {}));
        expect(live.value).toBe(RECEIVER);
        expect(live.source).toBe(entry.backendAddress?.source === BackendSource.agentDefault ? BackendSource.env : entry.backendAddress?.source);
        expect(bridged.metadata?.annotations).toBeUndefined();
        expect(bridged.spec!.containers[1]).toEqual(original.spec!.containers[1]);
        // The agent stays: discovery still finds the same agent in the same places.
        expect(discovered(bridged).agentIn).toEqual(entry.agentIn);
        // Only words that set the backend (and the backend env var) differ from the original.
        const before = wordsOf(original.spec!.containers[0]);
        const after = wordsOf(app);
        for (const place of Object.keys(after)) {
            if (place === `env ${BACKEND_ADDRESS_ENV}`) continue;
            expect(after[place]).toHaveLength(before[place].length);
            after[place].forEach((word, index) => {
                if (word !== before[place][index]) expect(module.backendWords.find(unquote(word))).toBeDefined();
            });
        }
    }), { numRuns });
}

describe("flip sequences across skywalking, bridge and otel", () => {
    it("Java: agent option, system property, env var or default; in option env vars, argv or a script", () => checkSequences(javaContainer, 300));
    it("Python: sw-python run, with or without SW_AGENT_COLLECTOR_BACKEND_SERVICES", () => checkSequences(pythonContainer, 60));
    it("Node.js: skywalking-backend-js preloaded in NODE_OPTIONS, with or without the env var", () => checkSequences(nodeContainer, 60));
});
