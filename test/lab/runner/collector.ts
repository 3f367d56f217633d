/**
 * Runs the lab's OpenTelemetry Collector (steps/otelcol.sh) with the config of the OpenTelemetryCollector that
 * the program created in the lab API server: read from the CR, passed through the lab's one address
 * substitution (lab-addresses.ts), checked with the collector's own `validate`, then started. The operator would
 * run one pod per node (mode daemonset); the lab runs one process for all its nodes.
 *
 * k8sattributes runs unchanged (`auth_type: serviceAccount` → client-go's rest.InClusterConfig): the process gets
 * KUBERNETES_SERVICE_HOST/PORT of the lab API server, and the CR's ServiceAccount's token and the lab CA are
 * written where InClusterConfig reads them, /var/run/secrets/kubernetes.io/serviceaccount (the lab runs as
 * root). So it sees exactly what the ClusterRole skyshift grants that ServiceAccount allows.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { promisify } from "node:util";
import * as YAML from "yaml";
import { LabService, labCollectorConfig } from "./lab-addresses";
import { labCache, labRunDir } from "./lab-telemetry";
import { LabProcess, startProcess } from "./run";

const run = promisify(execFile);
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
const TOKEN_LIFETIME = "2h";

export interface CollectorLaunch {
    readonly namespace: string;
    readonly name: string;
    readonly services: readonly LabService[];
    /** Runs the lab's kubectl and returns stdout. */
    readonly kubectl: (args: readonly string[]) => Promise<string>;
    /** The lab's kubeconfig (its server and CA are what the in-cluster environment points at). */
    readonly kubeconfig: string;
}

export interface LabCollector extends LabProcess {
    readonly configFile: string;
}

/** Starts the collector from the CR and resolves once its OTLP/HTTP receiver accepts connections. */
export async function startCollector(launch: CollectorLaunch): Promise<LabCollector> {
    const cr = JSON.parse(await launch.kubectl(["get", "opentelemetrycollectors.v1beta1.opentelemetry.io", launch.name, "-n", launch.namespace, "-o", "json"]));
    const dir = path.join(labRunDir(), "collector");
    fs.mkdirSync(dir, { recursive: true });
    const configFile = path.join(dir, "config.yaml");
    fs.writeFileSync(configFile, YAML.stringify(labCollectorConfig(cr.spec.config, launch.services)));
    const binary = path.join(labCache(), "bin", "otelcol-skyshift");
    try {
        await run(binary, ["validate", "--config", configFile]);
    } catch (error) {
        const { stderr } = error as { stderr?: string };
        throw new Error(`the collector rejects the config of OpenTelemetryCollector ${launch.namespace}/${launch.name}: ${stderr?.trim() ?? String(error)}`);
    }
    const server = await writeServiceAccount(launch, cr.spec.serviceAccount ?? `${launch.name}-collector`);
    const collector = startProcess("otelcol", {
        argv: [binary, "--config", configFile],
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", KUBERNETES_SERVICE_HOST: server.hostname, KUBERNETES_SERVICE_PORT: server.port },
        cwd: dir,
        unmapped: [],
    }, dir);
    const otlpHttp = launch.services.find((s) => s.service === `${launch.name}-collector` && s.port === 4318)?.labPort ?? 4318;
    try {
        await waitForPort(otlpHttp, collector, 60_000);
    } catch (error) {
        await collector.stop();
        throw error;
    }
    return {
        ...collector,
        configFile,
        // The token is the lab's, short-lived, but still a credential: it leaves with the process.
        async stop(graceMs?: number) {
            await collector.stop(graceMs);
            fs.rmSync(path.join(SERVICE_ACCOUNT_DIR, "token"), { force: true });
        },
    };
}

/** Writes token, ca.crt and namespace for InClusterConfig; returns the API server's address from the kubeconfig. */
async function writeServiceAccount(launch: CollectorLaunch, serviceAccount: string): Promise<URL> {
    const kubeconfig = YAML.parse(fs.readFileSync(launch.kubeconfig, "utf8"));
    const cluster = kubeconfig.clusters[0].cluster as Record<string, string>;
    const ca = cluster["certificate-authority-data"]
        ? Buffer.from(cluster["certificate-authority-data"], "base64")
        : fs.readFileSync(path.resolve(path.dirname(launch.kubeconfig), cluster["certificate-authority"]));
    const token = (await launch.kubectl(["create", "token", serviceAccount, "-n", launch.namespace, `--duration=${TOKEN_LIFETIME}`])).trim();
    fs.mkdirSync(SERVICE_ACCOUNT_DIR, { recursive: true });
    fs.writeFileSync(path.join(SERVICE_ACCOUNT_DIR, "token"), token, { mode: 0o600 });
    fs.writeFileSync(path.join(SERVICE_ACCOUNT_DIR, "ca.crt"), ca);
    fs.writeFileSync(path.join(SERVICE_ACCOUNT_DIR, "namespace"), launch.namespace);
    return new URL(cluster.server);
}

async function waitForPort(port: number, process: LabProcess, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
        if (!process.running()) throw new Error(`the collector exited at startup:\n${process.output().slice(-3000)}`);
        const open = await new Promise<boolean>((resolve) => {
            const socket = net.connect(port, "127.0.0.1", () => { socket.destroy(); resolve(true); });
            socket.on("error", () => resolve(false));
        });
        if (open) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`the collector did not listen on 127.0.0.1:${port} within ${timeoutMs} ms:\n${process.output().slice(-3000)}`);
}
