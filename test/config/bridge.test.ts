import { ConfigError, parseStackConfig } from "../../config";
import { splitApps } from "../support/inventory";

const FILE = "skyshift.prod.inventory.yaml";
const contrib = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib:0.140.1";
const withReceiver = { image: contrib, skywalkingReceiver: {}, exporters: [{ name: "debug", kind: "debug" }] };
const withoutReceiver = { exporters: [{ name: "debug", kind: "debug" }] };

const inventory = splitApps({
    "shop/cart": { container: "cart", agentIn: { env: ["JAVA_OPTS"] }, original: { env: { JAVA_OPTS: "-javaagent:/sw/skywalking-agent.jar" } },
        backendAddress: { source: "agentDefault" } },
    "shop/old": { container: "old", agentIn: { env: ["JAVA_OPTS"] }, original: { env: { JAVA_OPTS: "-javaagent:/sw/skywalking-agent.jar" } } },
    "shop/cm": { container: "cm", agentIn: { env: ["JAVA_OPTS"] }, original: { env: { JAVA_OPTS: "-javaagent:/sw/skywalking-agent.jar" } },
        backendAddress: { source: "env", where: "env", envName: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", valueFrom: true } },
    "shop/swck": { container: "swck", agentIn: { swck: true }, backendAddress: { source: "agentDefault" } },
    "shop/lost": { container: "lost", agentIn: { env: ["JAVA_OPTS"] }, original: { env: { JAVA_OPTS: "-javaagent:/sw/skywalking-agent.jar" } },
        backendAddress: { source: "systemProperty", where: "env", envName: "CATALINA_OPTS", value: "oap:11800" } },
}, FILE).inventory;

function problemsOf(collector: Record<string, unknown>, apps: Record<string, { mode: string }>): readonly string[] {
    try {
        parseStackConfig({ collector, apps }, inventory);
    } catch (error) {
        if (error instanceof ConfigError) return error.problems;
        throw error;
    }
    return [];
}

describe("bridge mode in the config check", () => {
    it("accepts a discovered app with the receiver on, and declares it in bridge mode", () => {
        const { config } = parseStackConfig({ collector: withReceiver, apps: { "shop/cart": { mode: "bridge" } } }, inventory);
        expect(config.apps["shop/cart"]).toMatchObject({ mode: "bridge", modeSource: 'apps["shop/cart"].mode' });
    });

    it("rejects a bridge app while collector.skywalkingReceiver is unset, naming the app and the key", () => {
        expect(problemsOf(withoutReceiver, { "shop/cart": { mode: "bridge" } })).toEqual([
            'apps["shop/cart"].mode: bridge needs the collector\'s skywalking receiver, which is off — set collector.skywalkingReceiver ' +
            "(skywalkingReceiver: {} under skyshift:collector takes gRPC 11800, HTTP 12800) with a collector image that has it, or choose skywalking or otel",
        ]);
    });

    test.each<[string, string, string]>([
        ["an entry from before discovery recorded the address", "shop/old",
            `${FILE}: apps["shop/old"].backendAddress: is required for mode bridge — run npm run discover again (it adds the field to the existing entry), or write it by hand (docs/detection.md, "Where the backend address lives")`],
        ["an address from a ConfigMap", "shop/cm",
            `${FILE}: apps["shop/cm"].backendAddress: SW_AGENT_COLLECTOR_BACKEND_SERVICES is set with valueFrom, so bridge cannot point it at the collector and restore it — change the ConfigMap or Secret it reads instead, or set SW_AGENT_COLLECTOR_BACKEND_SERVICES as a plain value and run discover again`],
        ["an SWCK-injected agent", "shop/swck",
            `${FILE}: apps["shop/swck"].agentIn.swck: SWCK injects the agent with its own backend setting at pod creation, which bridge does not manage — set the agent.skywalking.apache.org/collector.backend_service annotation (or SWCK's SwAgent) yourself, or flip the app to otel`],
        ["an address in a variable the flip does not own", "shop/lost",
            `${FILE}: apps["shop/lost"].backendAddress.envName: CATALINA_OPTS is not in agentIn.env, so the flip cannot rewrite it — add it there with its value in original.env`],
    ])("fails %s in bridge mode, naming the field and the fix", (_name, key, expected) => {
        expect(problemsOf(withReceiver, { [key]: { mode: "bridge" } })).toEqual([expected]);
    });

    it("the same entries are fine in skywalking mode (and an SWCK app in otel): bridge alone needs the address", () => {
        expect(problemsOf(withReceiver, { "shop/old": { mode: "skywalking" }, "shop/cm": { mode: "skywalking" }, "shop/swck": { mode: "otel" } })).toEqual([]);
    });
});
