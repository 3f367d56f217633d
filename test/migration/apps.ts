/** Inventory entries in the common SkyWalking wirings, as discovery writes them, shared by the migration tests. */
import { AppConfig, appSchema } from "../../config";

export const app = (raw: Record<string, unknown>): AppConfig => appSchema.parse(raw);

/** SkyWalking in CATALINA_OPTS, next to a flag that must survive. */
export const catalinaRaw = {
    mode: "otel", container: "order-service", serviceName: "order-service", instanceName: "order-1", serviceNamespace: "shop",
    agentIn: { env: ["CATALINA_OPTS"] },
    original: { env: { CATALINA_OPTS: "-Xms1g -javaagent:/skywalking/agent/skywalking-agent.jar=agent.service_name=order-service -Dskywalking.collector.backend_service=oap:11800 -Dfile.encoding=UTF-8" } },
};

/** An initContainer copies the agent into an emptyDir, the image's start script loads it. */
export const initCopyRaw = {
    mode: "otel", container: "service-backend", serviceName: "service-backend",
    agentIn: { initContainer: "init-skywalking-agent" },
    original: { initContainerCommand: ["/bin/sh"], initContainerArgs: ["-c", "cp -R /skywalking/agent /agent"] },
};

/** `sw-python run -p` as the whole command, the program in args. */
export const pythonRaw = {
    mode: "otel", language: "python", container: "api", serviceName: "py-api",
    agentIn: { command: true },
    original: { command: ["sw-python", "run", "-p"], args: ["gunicorn", "app:app"] },
};
