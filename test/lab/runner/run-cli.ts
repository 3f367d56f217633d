/**
 * `npm run lab:run -- <namespace>/<deployment> [route]`: plays one flipped app on the lab the way
 * test/e2e/telemetry.e2e.test.ts does, for a reader to repeat by hand. kwok runs no containers, so this starts
 * the lab collector with the config of the OpenTelemetryCollector observability/otel (the dev stack's), starts
 * the deployment's Ready pod through the workload runner (its admitted command and env, see process-spec.ts),
 * sends GET requests to the port its PORT env names until Jaeger holds spans of its OTEL_SERVICE_NAME from this
 * run, then stops both. The spans stay in Jaeger while the lab is up: `npm run lab:traces -- <service>`.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { FakeDeepFlowServer } from "../../support/fake-deepflow-server/fake-deepflow-server";
import { startCollector } from "./collector";
import { jaegerSpans } from "./jaeger";
import { jaegerAddresses, labMapping, labRunDir, labServices } from "./lab-telemetry";
import { Pod } from "./pod-env";
import { processSpec } from "./process-spec";
import { LabProcess, startProcess } from "./run";

const COLLECTOR = { namespace: "observability", name: "otel" };
const USAGE = "usage: npm run lab:run -- <namespace>/<deployment> [route]   (after source test/lab/env.sh)";
const SPANS_TIMEOUT_MS = 120_000;

const kubectl = async (args: readonly string[]): Promise<string> =>
    (await promisify(execFile)("kubectl", [...args], { maxBuffer: 64 * 1024 * 1024 })).stdout;

type ReadyPod = Pod & { metadata: { deletionTimestamp?: string }; status?: { podIP?: string } };

/** The deployment's one Ready pod of its current template, found through the deployment's own selector. */
async function readyPod(namespace: string, name: string): Promise<ReadyPod> {
    const deployment = JSON.parse(await kubectl(["get", "deployment", name, "-n", namespace, "-o", "json"]));
    const selector = Object.entries(deployment.spec.selector.matchLabels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(",");
    const pods = (JSON.parse(await kubectl(["get", "pods", "-n", namespace, "-l", selector, "-o", "json"])).items as ReadyPod[])
        .filter((p) => !p.metadata.deletionTimestamp && p.status?.podIP);
    if (pods.length !== 1) throw new Error(`deployment ${namespace}/${name}: expected one running pod, found ${pods.length} — wait for its rollout (kubectl rollout status deployment/${name} -n ${namespace})`);
    return pods[0];
}

async function main(): Promise<void> {
    const [app, route = "/"] = process.argv.slice(2);
    const [namespace, name] = app?.split("/") ?? [];
    if (!namespace || !name) throw new Error(USAGE);
    const pod = await readyPod(namespace, name);
    const container = pod.spec.containers[0].name;
    // The runner maps the DeepFlow exporter of the dev stack's collector to a local peer, as the e2e does.
    const deepflow = await FakeDeepFlowServer.start();
    const mapping = labMapping(labServices({ service: `${COLLECTOR.name}-collector`, namespace: COLLECTOR.namespace }, Number(new URL(deepflow.url).port)));
    const spec = processSpec(pod, container, mapping);
    const service = spec.env.OTEL_SERVICE_NAME;
    const port = spec.env.PORT;
    if (!service) throw new Error(`pod ${namespace}/${pod.metadata.name} has no OTEL_SERVICE_NAME: is ${app} flipped to otel and its pod injected?`);
    if (!port) throw new Error(`pod ${namespace}/${pod.metadata.name} container ${container} sets no PORT env: the lab's apps listen on 127.0.0.1:$PORT`);

    const logDir = path.join(labRunDir(), "apps");
    const started = Date.now();
    const collector = await startCollector({ ...COLLECTOR, services: mapping.services, kubeconfig: process.env.KUBECONFIG ?? "", kubectl });
    console.log(`collector running the config of OpenTelemetryCollector ${COLLECTOR.namespace}/${COLLECTOR.name} (${collector.configFile})`);
    let appProcess: LabProcess | undefined;
    try {
        appProcess = startProcess(name, spec, logDir);
        console.log(`started pod ${namespace}/${pod.metadata.name} container ${container}: ${spec.argv.join(" ")} (log ${appProcess.logFile})`);
        const { queryUrl } = jaegerAddresses();
        const deadline = started + SPANS_TIMEOUT_MS;
        for (;;) {
            const response = await fetch(`http://127.0.0.1:${port}${route}`).catch(() => undefined);
            if (response?.ok) console.log(`GET 127.0.0.1:${port}${route} → ${response.status}`);
            const spans = (await jaegerSpans(queryUrl, service)).filter((s) => s.startTimeUs >= started * 1000);
            if (spans.length > 0) {
                console.log(`${spans.length} span(s) of ${service} reached Jaeger in ${Math.round((Date.now() - started) / 1000)} s`);
                return;
            }
            if (!appProcess.running()) throw new Error(`${name} exited:\n${appProcess.output().slice(-3000)}`);
            if (Date.now() > deadline) throw new Error(`no spans of ${service} in Jaeger ${queryUrl} after ${SPANS_TIMEOUT_MS / 1000} s; app log ${appProcess.logFile}, collector log ${collector.logFile}`);
            await new Promise((resolve) => setTimeout(resolve, 2000));
        }
    } finally {
        await appProcess?.stop();
        await collector.stop();
        await deepflow.close();
    }
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
});
