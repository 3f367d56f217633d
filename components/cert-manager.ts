import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { CERT_MANAGER_CHART_VERSION, CERT_MANAGER_REPOSITORY } from "../config";
import { MANAGED_BY_LABELS, TYPE_PREFIX } from "./constants";
import { waitForWebhookCaBundle } from "./webhook-wait";

export interface CertManagerArgs {
    /**
     * Install the chart. `false` reuses a cert-manager that is already in the cluster and creates nothing.
     * @default true
     */
    readonly install?: boolean;
    /** @default "v1.19.1" */
    readonly version?: string;
    /** @default "https://charts.jetstack.io" */
    readonly repository?: string;
    /** @default "cert-manager" */
    readonly namespace?: string;
}

/** The cert-manager the OpenTelemetry Operator's webhooks take their serving certificates from. */
export class CertManager extends pulumi.ComponentResource {
    /** The chart, or undefined when an existing cert-manager is reused. */
    public readonly chart?: k8s.helm.v4.Chart;
    /** Resources that must exist before anything asks cert-manager for a certificate. */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${TYPE_PREFIX}:CertManager`, name, {}, opts);
        if (args.install ?? true) {
            const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
                metadata: { name: args.namespace ?? "cert-manager", labels: { ...MANAGED_BY_LABELS } },
            }, { parent: this });
            this.chart = new k8s.helm.v4.Chart(`${name}-chart`, certManagerChartArgs(args, namespace.metadata.name), {
                parent: this,
                dependsOn: [namespace],
                transforms: [waitForWebhookCaBundle],
            });
        }
        this.ready = this.chart ? [this.chart] : [];
        this.registerOutputs({ chart: this.chart });
    }
}

/** Chart arguments, separate so tests can assert them: Helm children are never rendered under mocks. */
export function certManagerChartArgs(args: CertManagerArgs, namespace: pulumi.Input<string>): k8s.helm.v4.ChartArgs {
    return {
        chart: "cert-manager",
        version: args.version ?? CERT_MANAGER_CHART_VERSION,
        repositoryOpts: { repo: args.repository ?? CERT_MANAGER_REPOSITORY },
        namespace,
        // `installCRDs` is deprecated; `crds.enabled` is the chart's switch since v1.15.
        values: { crds: { enabled: true } },
    };
}
