import * as k8s from "@pulumi/kubernetes";
import { CollectorConfig } from "../../config";
import { needsK8sAttributes } from "./collector-config";

/**
 * Exactly what the `k8sattributes` processor reads: pods and namespaces, replicasets to name the owning
 * Deployment, nodes only when node metadata is asked for. Nothing when the processor is off.
 */
export function collectorClusterRules(collector: CollectorConfig): k8s.types.input.rbac.v1.PolicyRule[] {
    if (!needsK8sAttributes(collector)) return [];
    const readOnly = ["get", "list", "watch"];
    const rules: k8s.types.input.rbac.v1.PolicyRule[] = [
        { apiGroups: [""], resources: ["pods", "namespaces"], verbs: readOnly },
        { apiGroups: ["apps"], resources: ["replicasets"], verbs: readOnly },
    ];
    if (collector.k8sAttributes.nodeMetadata) rules.push({ apiGroups: [""], resources: ["nodes"], verbs: readOnly });
    return rules;
}
