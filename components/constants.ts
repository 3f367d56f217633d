/** Type tokens for skyshift's ComponentResources: `skyshift:<module>:<Name>`. */
export const TYPE_PREFIX = "skyshift:index";

/** OpenTelemetry Operator annotations, read on pod creation only (so the pod template must change to roll pods). */
export const INJECT_ANNOTATION = {
    java: "instrumentation.opentelemetry.io/inject-java",
    python: "instrumentation.opentelemetry.io/inject-python",
    nodejs: "instrumentation.opentelemetry.io/inject-nodejs",
} as const;
/** Names the containers to instrument (the operator's default is the first container). */
export const CONTAINER_NAMES_ANNOTATION = {
    java: "instrumentation.opentelemetry.io/java-container-names",
    python: "instrumentation.opentelemetry.io/python-container-names",
    nodejs: "instrumentation.opentelemetry.io/nodejs-container-names",
} as const;

/** SWCK injects the SkyWalking agent at pod creation while the pod template has this label set to "true". */
export const SWCK_INJECT_LABEL = "swck-java-agent-injected";

/** The operator's injected init container is named `<prefix>-<language>` (internal/instrumentation/sdk.go). */
export const OPERATOR_INIT_CONTAINER_PREFIX = "opentelemetry-auto-instrumentation";

/** Labels skyshift puts on everything it creates, so `destroy` and audits can find exactly that. */
export const MANAGED_BY_LABELS = { "app.kubernetes.io/managed-by": "skyshift" } as const;

/** Provider annotations (pulumi-kubernetes). */
export const PULUMI_WAIT_FOR = "pulumi.com/waitFor";
export const PULUMI_SKIP_AWAIT = "pulumi.com/skipAwait";
export const PULUMI_PATCH_FIELD_MANAGER = "pulumi.com/patchFieldManager";
export const PULUMI_PATCH_FORCE = "pulumi.com/patchForce";
