import * as fs from "fs";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, OperatorSource, PlatformConfig } from "../config";
import { MANAGED_BY_LABELS, TYPE_PREFIX } from "./constants";
import { waitForWebhookCaBundle } from "./webhook-wait";

type OperatorConfig = PlatformConfig["operator"];

export interface OtelOperatorArgs {
    /** Where the operator comes from and how it is set up (`platform.operator` in stack config). */
    readonly operator: OperatorConfig;
    /** The release manifest's files when `operator.source` is `manifest`, from readOperatorManifest. */
    readonly manifestFiles?: readonly string[];
    /** cert-manager resources the chart's Certificate and Issuer need first. */
    readonly certManager: pulumi.Input<pulumi.Resource>[];
}

/**
 * The OpenTelemetry Operator, from its Helm chart, from a release manifest (clusters without Helm access),
 * or an operator already installed. Its webhooks are `failurePolicy: Fail`, so `ready` lists what
 * custom resources must wait for.
 */
export class OtelOperator extends pulumi.ComponentResource {
    /** Depend on these before creating an OpenTelemetryCollector or an Instrumentation. */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: OtelOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super(`${TYPE_PREFIX}:OtelOperator`, name, {}, opts);
        const { operator } = args;
        const childOpts = { parent: this, dependsOn: args.certManager, transforms: [waitForWebhookCaBundle] };
        switch (operator.source) {
            case OperatorSource.helm: {
                const namespace = new k8s.core.v1.Namespace(`${name}-namespace`, {
                    metadata: { name: operator.namespace, labels: { ...MANAGED_BY_LABELS } },
                }, { parent: this });
                const chart = new k8s.helm.v4.Chart(`${name}-chart`, operatorChartArgs(operator, namespace.metadata.name),
                    { ...childOpts, dependsOn: [...args.certManager, namespace] });
                this.ready = [chart];
                break;
            }
            case OperatorSource.manifest: {
                if (args.manifestFiles === undefined) throw new Error(`OtelOperator ${name}: operator.source is manifest but no manifestFiles were passed — read them with readOperatorManifest`);
                this.ready = [new k8s.yaml.v2.ConfigGroup(`${name}-manifest`, { files: [...args.manifestFiles] }, childOpts)];
                break;
            }
            case OperatorSource.existing:
                this.ready = [];
                break;
        }
        this.registerOutputs({});
    }
}

/** The chart's values: webhook certificates from cert-manager and a collector image that has `k8sattributes`. */
export function operatorChartArgs(operator: OperatorConfig, namespace: pulumi.Input<string>): k8s.helm.v4.ChartArgs {
    return {
        chart: "opentelemetry-operator",
        version: operator.version,
        repositoryOpts: { repo: operator.repository },
        namespace,
        values: {
            crds: { create: true },
            admissionWebhooks: { certManager: { enabled: true } },
            manager: {
                collectorImage: { repository: operator.collectorImage.repository, tag: operator.collectorImage.tag },
                extraArgs: languageFlags(operator.languages),
            },
        },
    };
}

/** The operator's own `--enable-<language>-instrumentation` flags, every language stated so upgrades cannot flip one. */
export function languageFlags(languages: OperatorConfig["languages"]): string[] {
    return Object.entries(languages)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([language, enabled]) => `--enable-${language}-instrumentation=${enabled}`);
}

/**
 * The release manifest's YAML files when `operator.source` is `manifest`, else undefined. The composition root calls
 * it right after reading config, so a path without YAML stops the update before any resource is declared.
 */
export function readOperatorManifest(operator: OperatorConfig): string[] | undefined {
    if (operator.source !== OperatorSource.manifest || operator.manifest === undefined) return undefined;
    const files = manifestFiles(operator.manifest);
    if (files.length === 0) {
        const problem = "platform.operator.manifest: is neither a YAML file nor a directory holding .yaml files — point it at the operator's release YAML";
        throw new pulumi.RunError(new ConfigError([problem]).message);
    }
    return files;
}

/** A manifest path may be one file or a directory of `.yaml`/`.yml` files; a missing path holds none. */
export function manifestFiles(manifest: string): string[] {
    if (!fs.existsSync(manifest)) return [];
    if (!fs.statSync(manifest).isDirectory()) return [manifest];
    return fs.readdirSync(manifest).filter(file => /\.ya?ml$/.test(file)).sort().map(file => path.join(manifest, file));
}
