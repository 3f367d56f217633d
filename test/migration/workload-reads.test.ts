import { GetJson, workloadReads } from "../../components/migration/workload-reads";
import { rolloutState, WorkloadObject } from "../../components/migration/rollout-status";

/** An API server as a map of paths to bodies; an unknown path fails like a 404 would. */
function api(bodies: Record<string, unknown>): GetJson & { asked: string[] } {
    const asked: string[] = [];
    const get = (async (apiPath: string) => {
        asked.push(apiPath);
        if (!(apiPath in bodies)) throw new Error(`GET ${apiPath}: 404`);
        return bodies[apiPath];
    }) as GetJson & { asked: string[] };
    get.asked = asked;
    return get;
}

const pods = (names: string[]) => ({ items: names.map(name => ({ metadata: { name } })) });

describe("workloadReads", () => {
    it("a Deployment's new pods are those of the ReplicaSet with the Deployment's revision", async () => {
        const deployment = { kind: "Deployment", metadata: { uid: "d1", generation: 3, annotations: { "deployment.kubernetes.io/revision": "2" } },
            spec: { replicas: 1, selector: { matchLabels: { app: "order" } } } };
        const get = api({
            "/apis/apps/v1/namespaces/shop/deployments/order": deployment,
            "/apis/apps/v1/namespaces/shop/replicasets?labelSelector=app%3Dorder": { items: [
                { metadata: { labels: { "pod-template-hash": "old" }, annotations: { "deployment.kubernetes.io/revision": "1" }, ownerReferences: [{ uid: "d1" }] } },
                { metadata: { labels: { "pod-template-hash": "other" }, annotations: { "deployment.kubernetes.io/revision": "2" }, ownerReferences: [{ uid: "x" }] } },
                { metadata: { labels: { "pod-template-hash": "new" }, annotations: { "deployment.kubernetes.io/revision": "2" }, ownerReferences: [{ uid: "d1" }] } },
            ] },
            "/api/v1/namespaces/shop/pods?labelSelector=app%3Dorder%2Cpod-template-hash%3Dnew": pods(["order-new-1"]),
        });
        const reads = workloadReads(get, "Deployment", "shop", "order");
        expect((await reads.newPods(await reads.workload())).map(p => p.metadata.name)).toEqual(["order-new-1"]);
    });

    it("a StatefulSet's new pods are those of its updateRevision", async () => {
        const sts = { kind: "StatefulSet", metadata: { uid: "s1" }, spec: { selector: { matchLabels: { app: "ledger" } } }, status: { updateRevision: "ledger-7f" } };
        const get = api({
            "/apis/apps/v1/namespaces/db/statefulsets/ledger": sts,
            "/api/v1/namespaces/db/pods?labelSelector=app%3Dledger%2Ccontroller-revision-hash%3Dledger-7f": pods(["ledger-0"]),
        });
        const reads = workloadReads(get, "StatefulSet", "db", "ledger");
        expect((await reads.newPods(await reads.workload())).map(p => p.metadata.name)).toEqual(["ledger-0"]);
    });
});

describe("rolloutState", () => {
    const base = { kind: "StatefulSet", metadata: { generation: 4 }, spec: { replicas: 2 } };
    test.each<[string, WorkloadObject, boolean]>([
        ["the controller has not seen the new template", { ...base, status: { observedGeneration: 3, replicas: 2, updatedReplicas: 2, readyReplicas: 2 } }, false],
        ["a StatefulSet with every replica updated and ready", { ...base, status: { observedGeneration: 4, replicas: 2, updatedReplicas: 2, readyReplicas: 2 } }, true],
        ["one replica still on the old revision", { ...base, status: { observedGeneration: 4, replicas: 2, updatedReplicas: 1, readyReplicas: 2 } }, false],
        ["a Deployment whose new pods are ready but not yet available", { ...base, kind: "Deployment",
            status: { observedGeneration: 4, replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 1 } }, false],
    ])("%s", (_name, workload, done) => {
        expect(rolloutState(workload).done).toBe(done);
    });
});
