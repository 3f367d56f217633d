import { ownsFields, sameJson, writeNeeded } from "../../components/migration/write-needed";

const body = {
    apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "order", namespace: "shop" },
    spec: { template: { spec: { containers: [{ name: "order", env: [{ name: "CATALINA_OPTS", value: "-javaagent:/sw/skywalking-agent.jar" }] }] } } },
};
/** A live Deployment running `env` in container `order`, next to a sidecar, with these managedFields. */
const live = (env: unknown[], managedFields: unknown[] = [{ manager: "kubectl-client-side-apply", operation: "Update" }]) => ({
    apiVersion: "apps/v1", kind: "Deployment",
    metadata: { name: "order", namespace: "shop", generation: 4, managedFields },
    spec: { replicas: 2, template: { metadata: { labels: { app: "order" } }, spec: { containers: [
        { name: "istio-proxy", image: "istio/proxyv2" },
        { name: "order", image: "order:1", env: [{ name: "TZ", value: "UTC" }, ...env] },
    ] } } },
});
const original = { name: "CATALINA_OPTS", value: "-javaagent:/sw/skywalking-agent.jar" };

describe("writeNeeded", () => {
    test.each([
        ["the live fields equal the body and skyshift owns nothing: no write", live([original]), false],
        ["another manager applied (not skyshift): no write", live([original], [{ manager: "helm", operation: "Apply" }]), false],
        ["a value drifted since discovery: write", live([{ ...original, value: "-Xmx1g" }]), true],
        ["the owned env var is gone: write", live([]), true],
        ["the container is gone: write", { ...live([original]), spec: { template: { spec: { containers: [] } } } }, true],
        ["skyshift applied before (a flip the state lost may have added fields): write", live([original], [{ manager: "skyshift", operation: "Apply" }]), true],
    ] as const)("%s", (_name, object, expected) => {
        expect(writeNeeded(object, body, "skyshift")).toBe(expected);
    });
});

describe("ownsFields", () => {
    test.each([
        ["no managedFields", {}, false],
        ["an Update by the same name is not an apply", { metadata: { managedFields: [{ manager: "skyshift", operation: "Update" }] } }, false],
        ["an Apply by skyshift", { metadata: { managedFields: [{ manager: "kubectl", operation: "Update" }, { manager: "skyshift", operation: "Apply" }] } }, true],
    ] as const)("%s", (_name, object, expected) => {
        expect(ownsFields(object as Record<string, unknown>, "skyshift")).toBe(expected);
    });
});

describe("sameJson", () => {
    test.each([
        ["keys in another order", { a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }, true],
        ["lists in another order", [1, 2], [2, 1], false],
        ["a missing key", { a: 1 }, { a: 1, b: null }, false],
    ] as const)("%s", (_name, a, b, expected) => {
        expect(sameJson(a, b)).toBe(expected);
    });
});
