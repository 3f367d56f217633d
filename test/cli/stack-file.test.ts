import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { DiscoveredApp } from "../../discovery";
import { MISSING_MARKER, mergeInventory } from "../../cli/lib/inventory";
import { appsValue, readStackFile, renderStackFile, restoreStackFile, setAppMode, writeStackFile } from "../../cli/lib/stack-file";

const HAND_WRITTEN = `# prod stack: owned by the platform team
config:
  kubernetes:context: prod-cluster   # never change
  skyshift:migration:
    maxAppsPerUpdate: 5
  skyshift:apps:
    # flipped by alice on 2026-11-20 after the load test
    shop/order-service: {mode: otel, language: java, container: order-service, agentIn: {env: [CATALINA_OPTS]}, serviceName: order-service}
    shop/produce:
      mode: skywalking
      serviceName: produce-by-hand   # the SkyWalking UI name people know
    shop/gone:
      mode: skywalking
    finance/elsewhere:
      mode: skywalking
  db:password:
    secure: v1:abc123
`;

function app(overrides: Partial<DiscoveredApp> = {}): DiscoveredApp {
    return {
        kind: "Deployment",
        language: "java",
        container: "produce",
        agentIn: { env: ["JVM_OPTS"], args: false, command: false, swck: false },
        serviceName: "springboot-produce",
        original: { env: { JVM_OPTS: "-Xms512m -Xmx512m -javaagent:/usr/skywalking/agent/skywalking-agent.jar" } },
        rebuildImage: false,
        evidence: ["env JVM_OPTS: -javaagent:/usr/skywalking/agent/skywalking-agent.jar"],
        ...overrides,
    };
}

function tempStackFile(text: string | undefined): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-stack-"));
    const file = path.join(dir, "Pulumi.prod.yaml");
    if (text !== undefined) fs.writeFileSync(file, text);
    return file;
}

describe("mergeInventory", () => {
    const discovered = new Map<string, DiscoveredApp>([
        ["shop/order-service", app({ container: "order-service", serviceName: "order-service" })],
        ["shop/produce", app()],
        ["shop/search", app({ container: "search", serviceName: "search" })],
    ]);
    const present = new Set(["shop/order-service", "shop/produce", "shop/search", "shop/nginx"]);

    test("adds new apps in mode skywalking, completes existing ones and never overwrites a written key", () => {
        const file = readStackFile(tempStackFile(HAND_WRITTEN));
        const report = mergeInventory(file, { discovered, present, namespaces: ["shop"], stamp: "2026-11-24, context prod" });
        expect(report).toEqual({
            added: ["shop/search"],
            completed: [{ key: "shop/produce", keys: ["kind", "language", "container", "agentIn", "original", "rebuildImage", "evidence"] }],
            differs: [{ key: "shop/produce", keys: ["serviceName"] }],
            migrated: ["shop/order-service"],
            missing: ["shop/gone"],
        });
        const apps = appsValue(file);
        expect(apps["shop/produce"]).toEqual({ mode: "skywalking", ...app(), serviceName: "produce-by-hand" });
        expect(apps["shop/search"]).toEqual({ mode: "skywalking", ...app({ container: "search", serviceName: "search" }) });
        expect(apps["shop/order-service"]).toEqual({ mode: "otel", language: "java", container: "order-service", agentIn: { env: ["CATALINA_OPTS"] }, serviceName: "order-service" });
    });

    // The yaml library keeps every comment but writes one space before an inline "#".
    test("keeps every comment, the other config keys and the secure value as written", () => {
        const file = readStackFile(tempStackFile(HAND_WRITTEN));
        mergeInventory(file, { discovered, present, namespaces: ["shop"], stamp: "2026-11-24, context prod" });
        const text = renderStackFile(file);
        for (const line of ["# prod stack: owned by the platform team", "kubernetes:context: prod-cluster # never change",
            "# flipped by alice on 2026-11-20 after the load test", "serviceName: produce-by-hand # the SkyWalking UI name people know",
            "secure: v1:abc123", "maxAppsPerUpdate: 5"]) {
            expect(text).toContain(line);
        }
        expect(text).toContain(`# ${MISSING_MARKER} (2026-11-24, context prod) — delete this entry if the app is gone for good\n    shop/gone:`);
        // Long JVM option strings stay on one line.
        expect(text).toContain("JVM_OPTS: -Xms512m -Xmx512m -javaagent:/usr/skywalking/agent/skywalking-agent.jar\n");
    });

    test("a one-line entry that gets keys becomes a block, with its comment", () => {
        const file = readStackFile(tempStackFile("config:\n  skyshift:apps:\n    # hand-set\n    shop/produce: {mode: skywalking, serviceName: produce}\n"));
        mergeInventory(file, { discovered: new Map([["shop/produce", app()]]), present: new Set(["shop/produce"]), stamp: "s" });
        expect(renderStackFile(file)).toContain("    # hand-set\n    shop/produce:\n      mode: skywalking\n      serviceName: produce\n      kind: Deployment\n");
    });

    test("only apps in the scanned namespaces can be missing", () => {
        const file = readStackFile(tempStackFile(HAND_WRITTEN));
        expect(mergeInventory(file, { discovered, present, namespaces: ["shop"], stamp: "s" }).missing).toEqual(["shop/gone"]);
        const everywhere = readStackFile(tempStackFile(HAND_WRITTEN));
        expect(mergeInventory(everywhere, { discovered, present, stamp: "s" }).missing).toEqual(["shop/gone", "finance/elsewhere"]);
    });

    test("a second run changes nothing, and the marker goes when the app comes back", () => {
        const filePath = tempStackFile(HAND_WRITTEN);
        const first = readStackFile(filePath);
        mergeInventory(first, { discovered, present, namespaces: ["shop"], stamp: "day 1" });
        writeStackFile(first);
        const second = readStackFile(filePath);
        const report = mergeInventory(second, { discovered, present, namespaces: ["shop"], stamp: "day 1" });
        expect(report.added).toEqual([]);
        expect(report.completed).toEqual([]);
        expect(renderStackFile(second)).toBe(fs.readFileSync(filePath, "utf8"));

        const back = readStackFile(filePath);
        mergeInventory(back, { discovered, present: new Set([...present, "shop/gone"]), namespaces: ["shop"], stamp: "day 2" });
        expect(renderStackFile(back)).not.toContain(MISSING_MARKER);
        expect(renderStackFile(back)).toContain("# flipped by alice on 2026-11-20 after the load test");
    });

    test("creates the stack file and the apps key when there is none", () => {
        const file = readStackFile(tempStackFile(undefined));
        mergeInventory(file, { discovered: new Map([["shop/produce", app()]]), present: new Set(["shop/produce"]), stamp: "s" });
        expect(YAML.parse(renderStackFile(file))).toEqual({ config: { "skyshift:apps": { "shop/produce": { mode: "skywalking", ...app() } } } });
    });
});

describe("mergeInventory properties", () => {
    const key = fc.tuple(fc.constantFrom("shop", "finance", "ml"), fc.constantFrom("a", "b", "c", "d", "e")).map(([ns, name]) => `${ns}/${name}`);
    const written = fc.record({ mode: fc.constantFrom("skywalking", "otel"), serviceName: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }) }, { requiredKeys: ["mode"] });

    test("never changes a value already written, never drops an app, and adds every discovered app", () => {
        fc.assert(fc.property(fc.dictionary(key, written), fc.uniqueArray(key), fc.uniqueArray(key), (existing, discoveredKeys, presentKeys) => {
            const file = readStackFile(tempStackFile(YAML.stringify({ config: { "skyshift:apps": existing } })));
            const before = JSON.parse(JSON.stringify(existing)) as Record<string, Record<string, unknown>>;
            mergeInventory(file, { discovered: new Map(discoveredKeys.map(k => [k, app()])), present: new Set([...presentKeys, ...discoveredKeys]), stamp: "s" });
            const after = appsValue(file);
            for (const [k, entry] of Object.entries(before)) {
                for (const [field, value] of Object.entries(entry)) expect(after[k][field]).toEqual(value);
            }
            for (const k of discoveredKeys) expect(after[k]).toBeDefined();
            expect(Object.keys(after).sort()).toEqual([...new Set([...Object.keys(before), ...discoveredKeys])].sort());
        }), { numRuns: 60 });
    });
});

describe("stack file edits", () => {
    test("setAppMode changes one mode in place and reports the previous one", () => {
        const file = readStackFile(tempStackFile(HAND_WRITTEN));
        expect(setAppMode(file, "shop/order-service", "skywalking")).toBe("otel");
        const text = renderStackFile(file);
        expect(text).toContain("shop/order-service: { mode: skywalking, language: java");
        expect(text).toContain("# flipped by alice on 2026-11-20 after the load test");
    });

    test("setAppMode names an unknown app and the fix", () => {
        const file = readStackFile(tempStackFile(HAND_WRITTEN));
        expect(() => setAppMode(file, "shop/nope", "skywalking")).toThrow(`${file.path}: skyshift:apps has no app "shop/nope" — run discover, or check the key (namespace/name)`);
    });

    test("restoreStackFile puts back the exact bytes, or removes a file that did not exist", () => {
        const filePath = tempStackFile(HAND_WRITTEN);
        const file = readStackFile(filePath);
        setAppMode(file, "shop/order-service", "skywalking");
        writeStackFile(file);
        restoreStackFile(file);
        expect(fs.readFileSync(filePath, "utf8")).toBe(HAND_WRITTEN);

        const newPath = tempStackFile(undefined);
        const created = readStackFile(newPath);
        writeStackFile(created);
        restoreStackFile(created);
        expect(fs.existsSync(newPath)).toBe(false);
    });

    test.each([
        ["broken YAML", "config: {a: [", "is not valid YAML"],
        ["a list at the top", "- a\n- b\n", "must be a YAML mapping with a config: section"],
    ])("refuses %s with the file name", (_name, text, message) => {
        const filePath = tempStackFile(text);
        expect(() => readStackFile(filePath)).toThrow(`${filePath}`);
        expect(() => readStackFile(filePath)).toThrow(message);
    });

    test("refuses apps that are not a mapping", () => {
        const file = readStackFile(tempStackFile("config:\n  skyshift:apps: [a, b]\n"));
        expect(() => appsValue(file)).toThrow(`config.skyshift:apps must be a mapping of "namespace/name" to app settings — it is ["a","b"]`);
    });
});
