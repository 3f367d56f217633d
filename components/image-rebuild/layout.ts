/**
 * Where a rebuilt image keeps what skyshift adds. One place, because the Dockerfile, the java launcher and the
 * layer-append builder must agree byte for byte. Under /opt/skyshift so nothing collides with the app or with the
 * operator's own injection path (/otel-auto-instrumentation-java).
 */
export const IMAGE_LAYOUT = {
    /** The OTel Java agent, copied from the Instrumentation's image (`/javaagent.jar` there). */
    agentJar: "/opt/skyshift/otel/javaagent.jar",
    /** Extension jars (a custom extension pack), loaded with `-Dotel.javaagent.extensions`. */
    extensionsDir: "/opt/skyshift/otel/extensions",
    /** Put first on PATH: its `java` runs the real one with the OTel agent and without SkyWalking. */
    launcherDir: "/opt/skyshift/bin",
    launcher: "/opt/skyshift/bin/java",
} as const;

/** Where the operator's Java image keeps the agent; the Instrumentation copies the same file. */
export const AGENT_IMAGE_JAR = "/javaagent.jar";

/** Docker's default PATH, used when the base image sets none (setting PATH would otherwise drop the runtime's default). */
export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
