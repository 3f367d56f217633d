import { z } from "zod";

/** Pinned defaults; bump them deliberately, the README lists them. */
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
    /** `false` reuses a cert-manager already in the cluster. */
    install: z.boolean().default(true),
    version: z.string().min(1).default(CERT_MANAGER_CHART_VERSION),
    repository: z.string().min(1).default(CERT_MANAGER_REPOSITORY),
    namespace: z.string().min(1).default("cert-manager"),
});

export const operatorLanguagesSchema = z.strictObject({
    java: z.boolean().default(true),
    python: z.boolean().default(true),
    nodejs: z.boolean().default(true),
    go: z.boolean().default(false),
    nginx: z.boolean().default(false),
});

export const operatorSchema = z.strictObject({
    /** `helm` installs the chart, `manifest` applies a release YAML file or directory, `existing` reuses an installed operator. */
    source: z.enum([OperatorSource.helm, OperatorSource.manifest, OperatorSource.existing]).default(OperatorSource.helm),
    version: z.string().min(1).default(OPERATOR_CHART_VERSION),
    repository: z.string().min(1).default(OPERATOR_REPOSITORY),
    namespace: z.string().min(1).default("opentelemetry-operator-system"),
    /**
     * Path (relative to the project) to a release manifest, a file or a directory of YAML, when `source: manifest`.
     * The composition root reads it (readOperatorManifest) before declaring any resource; the schema does no I/O.
     */
    manifest: z.string().min(1).optional(),
    collectorImage: z.strictObject({
        repository: z.string().min(1).default(COLLECTOR_IMAGE_REPOSITORY),
        tag: z.string().min(1).default(COLLECTOR_IMAGE_TAG),
    }).prefault({}),
    languages: operatorLanguagesSchema.prefault({}),
});

export const platformSchema = z.strictObject({
    /** Namespace for the collector and the Instrumentation. */
    namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label — use lowercase letters, digits and '-'").default("observability"),
    /** Create the namespace (false when it is managed elsewhere). */
    createNamespace: z.boolean().default(true),
    certManager: certManagerSchema.prefault({}),
    operator: operatorSchema.prefault({}),
}).superRefine((platform, ctx) => {
    if (platform.operator.source === OperatorSource.manifest && !platform.operator.manifest) {
        ctx.addIssue({ code: "custom", path: ["operator", "manifest"], message: "is required when operator.source is manifest — set it to the release YAML file or directory" });
    }
    if (platform.operator.source !== OperatorSource.manifest && platform.operator.manifest) {
        ctx.addIssue({ code: "custom", path: ["operator", "manifest"], message: `is only read when operator.source is manifest (it is ${platform.operator.source}) — remove it or set operator.source: manifest` });
    }
});

export type PlatformConfig = z.output<typeof platformSchema>;
