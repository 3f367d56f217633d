/**
 * Where the lab keeps what the runner and the collector need: the agents and apps built by steps/agents.sh,
 * steps/skywalking.sh and steps/sw8.sh, the addresses Jaeger serves on (written by run/jaeger.sh at `lab:up`),
 * and the lab's images and Service table.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LabService } from "./lab-addresses";
import { SW8_EXTENSION_DIR } from "../../../components/instrumentation/sw8-extension";
import { LabImage, RunnerMapping } from "./process-spec";

/** The lab's sample app images (sources in test/lab/apps). */
export const LAB_IMAGES = {
    java: "registry.lab/skyshift/order-service:1.0",
    python: "registry.lab/skyshift/inventory:1.0",
    /** The Python app's image with the SkyWalking Python agent installed (`sw-python`), as SkyWalking's Python docs have it. */
    pythonSkyWalking: "registry.lab/skyshift/inventory-skywalking:1.0",
} as const;

/**
 * The collector's ports as the pod sees them on its node (the DaemonSet's ports): OTLP gRPC/HTTP and the skywalking
 * receiver's gRPC/HTTP defaults; the lab collector listens there on 127.0.0.1.
 */
const COLLECTOR_PORTS = [4317, 4318, 11800, 12800];
/** deepflow-agent's Service port (80 → 38086 in DeepFlow's chart). */
const DEEPFLOW_AGENT_PORT = 80;

export function labCache(): string {
    return process.env.SKYSHIFT_CACHE ?? path.join(os.homedir(), ".cache", "skyshift");
}

export function labRunDir(): string {
    return path.join(labCache(), "lab");
}

/** `NAME=value` lines of a file the lab scripts write; `missing` says which command writes it. */
function readVars(file: string, missing: string): Record<string, string> {
    if (!fs.existsSync(file)) throw new Error(`no ${file}: ${missing}`);
    return Object.fromEntries(fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => {
        const eq = line.indexOf("=");
        return [line.slice(0, eq), line.slice(eq + 1)];
    }));
}

/** Jaeger's addresses, as `lab:up` started it (test/lab/run/jaeger.sh). */
export function jaegerAddresses(): { queryUrl: string; otlpGrpc: string } {
    const vars = readVars(path.join(labRunDir(), "jaeger.env"), "Jaeger is not started — run npm run lab:up");
    return { queryUrl: vars.JAEGER_QUERY_URL, otlpGrpc: vars.JAEGER_OTLP_GRPC };
}

/** Where steps/agents.sh put the agents, the OTLP .proto files and the apps. */
export function agentDirs(): { java: string; python: string; otlpProto: string; apps: string } {
    const vars = readVars(path.join(labCache(), "agents", "agents.env"), "the agents are not fetched — run npm run lab:tools");
    return { java: vars.JAVA_AGENT_DIR, python: vars.PYTHON_AGENT_DIR, otlpProto: vars.OTLP_PROTO_DIR, apps: vars.APPS_DIR };
}

/** The venv steps/skywalking.sh built: Flask and the SkyWalking Python agent in one interpreter. */
export function skywalkingPythonVenv(): string {
    return readVars(path.join(labCache(), "agents", "skywalking.env"), "the SkyWalking Python agent is not installed — run npm run lab:tools").SKYWALKING_PYTHON_VENV;
}

/**
 * The lab's Service table: the Services the dev stack's config and Instrumentation name, and where the lab serves them.
 * @param collector the collector's `<name>-collector.<namespace>`; @param deepflowAgentPort where the DeepFlow peer listens.
 */
export function labServices(collector: { service: string; namespace: string }, deepflowAgentPort: number): LabService[] {
    const port = (url: string) => Number(new URL(url.includes("://") ? url : `http://${url}`).port);
    return [
        ...COLLECTOR_PORTS.map((p) => ({ ...collector, port: p, labPort: p })),
        { service: "jaeger-collector", namespace: "tracing", port: 4317, labPort: port(jaegerAddresses().otlpGrpc) },
        { service: "deepflow-agent", namespace: "deepflow", port: DEEPFLOW_AGENT_PORT, labPort: deepflowAgentPort },
    ];
}

/**
 * Where the lab build (test/lab/steps/sw8.sh) keeps the sw8 propagator: the jar, for `instrumentation.java.sw8Propagator.jar`,
 * and `extension/`, a directory holding only that jar, which stands for the agent volume's `extensions/`.
 */
export function sw8Paths(): { jar: string; extensionDir: string } {
    const dir = path.join(labCache(), "sw8");
    return { jar: path.join(dir, "skyshift-sw8-propagator.jar"), extensionDir: path.join(dir, "extension") };
}

/** How the lab plays its images and the operator's init containers. */
export function labMapping(services: readonly LabService[]): RunnerMapping {
    const dirs = agentDirs();
    const apps = dirs.apps;
    // The images' ENV: only a PATH, the host's, where `java` is the machine's JDK.
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };
    const java: LabImage = { paths: { "/app": path.join(apps, "java") }, executables: {}, env, workDir: path.join(apps, "java") };
    const python: LabImage = {
        paths: { "/app": path.join(apps, "python") },
        executables: { python3: path.join(apps, "python", "venv", "bin", "python3") },
        env,
        workDir: path.join(apps, "python"),
    };
    // `sw-python run python …` execs `python` by PATH and starts the agent only in its own interpreter, so this
    // image's PATH leads with the venv's bin, as a Python image's PATH leads with where pip installed them.
    const venv = skywalkingPythonVenv();
    const pythonSkyWalking: LabImage = {
        ...python,
        executables: Object.fromEntries(["sw-python", "python", "python3"].map((name) => [name, path.join(venv, "bin", name)])),
        env: { PATH: `${path.join(venv, "bin")}:${env.PATH}` },
    };
    return {
        images: { [LAB_IMAGES.java]: java, [LAB_IMAGES.python]: python, [LAB_IMAGES.pythonSkyWalking]: pythonSkyWalking },
        agents: {
            "opentelemetry-auto-instrumentation-java": dirs.java,
            "opentelemetry-auto-instrumentation-python": dirs.python,
        },
        // The sw8 propagator's extension image (instrumentation.java.sw8Propagator) holds the jar in this directory.
        extensions: { [SW8_EXTENSION_DIR]: sw8Paths().extensionDir },
        services,
    };
}
