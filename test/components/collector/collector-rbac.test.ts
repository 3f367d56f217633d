import { collectorClusterRules } from "../../../components/collector/collector-rbac";
import { parseStackConfig } from "../../../config";

const collectorFor = (raw: Record<string, unknown>) => parseStackConfig({ collector: raw }).config.collector;

describe("collectorClusterRules", () => {
    it("grants nothing when k8sattributes is off", () => {
        expect(collectorClusterRules(collectorFor({ exporters: [{ name: "debug", kind: "debug" }] }))).toEqual([]);
    });

    it("grants exactly get/list/watch on pods, namespaces and replicasets for DeepFlow", () => {
        expect(collectorClusterRules(collectorFor({ exporters: [{ name: "deepflow", kind: "deepflow" }] }))).toEqual([
            { apiGroups: [""], resources: ["pods", "namespaces"], verbs: ["get", "list", "watch"] },
            { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
        ]);
    });

    it("adds nodes only when node metadata is asked for", () => {
        const rules = collectorClusterRules(collectorFor({ k8sAttributes: { nodeMetadata: true }, exporters: [{ name: "deepflow", kind: "deepflow" }] }));
        expect(rules[2]).toEqual({ apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch"] });
    });
});
