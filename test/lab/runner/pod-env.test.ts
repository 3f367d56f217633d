import { containerEnv, expandReferences, fieldRefValue, Pod } from "./pod-env";

const pod: Pod = {
    metadata: { name: "order-7d9f-abcde", namespace: "shop", uid: "1b2c", labels: { app: "order" }, annotations: { team: "pay" } },
    spec: { nodeName: "lab-node-2", serviceAccountName: "default", containers: [] },
    status: { podIP: "10.244.0.7", hostIP: "10.88.0.2" },
};

describe("expandReferences: the kubelet's $(VAR) rules", () => {
    const vars: Record<string, string> = { A: "x", EMPTY: "" };
    test.each([
        { name: "a defined variable", input: "a=$(A)", expected: "a=x" },
        { name: "an empty one", input: "[$(EMPTY)]", expected: "[]" },
        { name: "an undefined one stays as written", input: "$(NOPE)/bin", expected: "$(NOPE)/bin" },
        { name: "$$ escapes", input: "$$(A) costs $$5", expected: "$(A) costs $5" },
        { name: "an unterminated reference stays", input: "$(A", expected: "$(A" },
        { name: "a lone $ stays", input: "5$ and $x and $", expected: "5$ and $x and $" },
    ])("$name", ({ input, expected }) => {
        expect(expandReferences(input, (name) => vars[name])).toBe(expected);
    });
});

describe("fieldRefValue: downward API from the pod object", () => {
    test.each([
        ["metadata.name", "order-7d9f-abcde"], ["metadata.namespace", "shop"], ["metadata.uid", "1b2c"],
        ["metadata.labels['app']", "order"], ["metadata.annotations['team']", "pay"], ["metadata.labels['none']", ""],
        ["spec.nodeName", "lab-node-2"], ["spec.serviceAccountName", "default"], ["status.podIP", "10.244.0.7"], ["status.hostIP", "10.88.0.2"],
    ])("%s", (fieldPath, expected) => {
        expect(fieldRefValue(pod, fieldPath)).toBe(expected);
    });

    test("an unsupported path and an unset field are errors", () => {
        expect(() => fieldRefValue(pod, "status.podIPs")).toThrow("fieldRef status.podIPs is not supported by the lab runner");
        expect(() => fieldRefValue({ ...pod, status: {} }, "status.podIP")).toThrow("fieldRef status.podIP is not set on pod shop/order-7d9f-abcde yet");
    });
});

describe("containerEnv", () => {
    test("GIVEN the operator's env THEN fieldRefs resolve and later values expand earlier ones, in order", () => {
        const env = containerEnv(pod, {
            name: "order", image: "i",
            env: [
                { name: "OTEL_RESOURCE_ATTRIBUTES_POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                { name: "OTEL_RESOURCE_ATTRIBUTES_NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
                { name: "EARLY", value: "$(LATE)" },
                { name: "LATE", value: "late" },
                { name: "OTEL_RESOURCE_ATTRIBUTES", value: "k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME),k8s.node.name=$(OTEL_RESOURCE_ATTRIBUTES_NODE_NAME)" },
            ],
        });
        expect(Object.fromEntries(env)).toEqual({
            OTEL_RESOURCE_ATTRIBUTES_POD_NAME: "order-7d9f-abcde",
            OTEL_RESOURCE_ATTRIBUTES_NODE_NAME: "lab-node-2",
            EARLY: "$(LATE)",
            LATE: "late",
            OTEL_RESOURCE_ATTRIBUTES: "k8s.pod.name=order-7d9f-abcde,k8s.node.name=lab-node-2",
        });
    });

    test.each([
        { name: "a secret", container: { env: [{ name: "TOKEN", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] },
            error: "pod shop/order-7d9f-abcde container app: env TOKEN comes from secretKeyRef, which the lab runner does not resolve" },
        { name: "envFrom", container: { envFrom: [{ configMapRef: { name: "c" } }] },
            error: "pod shop/order-7d9f-abcde container app: envFrom is not supported by the lab runner" },
    ])("GIVEN $name THEN it refuses rather than guess", ({ container, error }) => {
        expect(() => containerEnv(pod, { name: "app", image: "i", ...container })).toThrow(error);
    });
});
