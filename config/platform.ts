import { z } from "zod";

/** Pinned defaults; bump them deliberately (then run `npm run docs:config`, which lists them in docs/config.md). */
export const CERT_MANAGER_CHART_VERSION = "v1.19.1";
export const CERT_MANAGER_REPOSITORY = "https://charts.jetstack.io";
export const OPERATOR_CHART_VERSION = "0.122.0";
export const OPERATOR_REPOSITORY = "https://open-telemetry.github.io/opentelemetry-helm-charts";
/** The k8s distribution ships `k8sattributes`, which DeepFlow's `app.host.ip` needs; core does not. */
export const COLLECTOR_IMAGE_REPOSITORY = "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-k8s";
export const COLLECTOR_IMAGE_TAG = "0.138.0";

export const OperatorSource = { helm: "helm", manifest: "manifest", existing: "existing" } as const;
export type OperatorSource = (typeof OperatorSource)[keyof typeof OperatorSource];

export const certManagerSchema = z.strictObject({
    install: z.boolean().default(true).describe("`false` reuses a cert-manager already in the cluster."),
    version: z.string().min(1).default(CERT_MANAGER_CHART_VERSION).describe("cert-manager chart version; installed with `crds.enabled`."),
    repository: z.string().min(1).default(CERT_MANAGER_REPOSITORY).describe("cert-manager chart repository."),
    namespace: z.string().min(1).default("cert-manager").describe("Namespace cert-manager is installed in."),
}).describe("cert-manager, which issues the operator's webhook certificates.");

export const operatorLanguagesSchema = z.strictObject({
    java: z.boolean().default(true),
    python: z.boolean().default(true),
    nodejs: z.boolean().default(true),
    go: z.boolean().default(false),
    nginx: z.boolean().default(false),
}).describe("The operator's `--enable-<language>-instrumentation` flags, every language stated (Helm source only).");

export const operatorSchema = z.strictObject({
    source: z.enum(OperatorSource).default(OperatorSource.helm)
        .describe("`helm` installs the chart, `manifest` applies a release YAML file or directory, `existing` reuses an installed operator."),
    version: z.string().min(1).default(OPERATOR_CHART_VERSION).describe("`opentelemetry-operator` chart version (Helm source)."),
    repository: z.string().min(1).default(OPERATOR_REPOSITORY).describe("Chart repository (Helm source)."),
    namespace: z.string().min(1).default("opentelemetry-operator-system").describe("Namespace the chart is installed in (Helm source)."),
    manifest: z.string().min(1).optional().describe(
        "Path (relative to the project) to a release manifest, a YAML file or a directory of `.yaml` files; required with, " +
        "and only allowed with, `source: manifest`. Read before any resource is declared (the schema itself does no I/O)."),
    collectorImage: z.strictObject({
        repository: z.string().min(1).default(COLLECTOR_IMAGE_REPOSITORY),
        tag: z.string().min(1).default(COLLECTOR_IMAGE_TAG),
    }).prefault({}).describe("The operator's default collector image: a distribution with `k8sattributes`, which DeepFlow needs (Helm source only)."),
    languages: operatorLanguagesSchema.prefault({}),
}).describe("The OpenTelemetry Operator; its webhooks reject custom resources until they answer, so the collector and the Instrumentation wait for it.");

export const platformSchema = z.strictObject({
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label — use lowercase letters, digits and '-'").default("observability")
        .describe("Namespace for the collector and the Instrumentation."),
    createNamespace: z.boolean().default(true).describe("Create the namespace (`false` when it is managed elsewhere)."),
    certManager: certManagerSchema.prefault({}),
    operator: operatorSchema.prefault({}),
}).superRefine((platform, ctx) => {
    if (platform.operator.source === OperatorSource.manifest && !platform.operator.manifest) {
        ctx.addIssue({ code: "custom", path: ["operator", "manifest"], message: "is required when operator.source is manifest — set it to the release YAML file or directory" });
    }
    if (platform.operator.source !== OperatorSource.manifest && platform.operator.manifest) {
        ctx.addIssue({ code: "custom", path: ["operator", "manifest"], message: `is only read when operator.source is manifest (it is ${platform.operator.source}) — remove it or set operator.source: manifest` });
    }
}).describe("Where the platform runs and how cert-manager and the OpenTelemetry Operator are installed.");

export type PlatformConfig = z.output<typeof platformSchema>;
