import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { DiscoveredApp } from "../../../discovery";
import { MISSING_MARKER, mergeInventory } from "../../../cli/lib/inventory";
import { inventoryAppsNode, InventoryFile, readInventoryFile } from "../../../cli/lib/inventory-file";
import { renderYamlFile, writeYamlFile } from "../../../cli/lib/yaml-file";
import { AppMode } from "../../../config/migration";

const HAND_WRITTEN = `# prod inventory: reviewed by the platform team
apiVersion: skyshift/v1
kind: Inventory
apps:
  # migrated by alice on 2026-11-20 after the load test
  shop/order-service: {language: java, container: order-service, agentIn: {env: [CATALINA_OPTS]}, serviceName: order-service}
  shop/produce:
    serviceName: produce-by-hand   # the SkyWalking UI name people know
  shop/gone:
    kind: Deployment
  finance/elsewhere:
    kind: Deployment
`;

/** shop/order-service is in otel (a decision in the stack file); every other app in skywalking. */
const modeOf = (key: string) => key === "shop/order-service" ? AppMode.otel : AppMode.skywalking;
const appsOf = (file: InventoryFile) => (inventoryAppsNode(file).toJSON() ?? {}) as Record<string, Record<string, unknown>>;

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

function tempInventory(text: string | undefined): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-inventory-"));
    const file = path.join(dir, "skyshift.prod.inventory.yaml");
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

    test("adds new apps without a mode, completes existing ones, never overwrites a written key and leaves otel apps alone", () => {
        const file = readInventoryFile(tempInventory(HAND_WRITTEN));
        const report = mergeInventory(file, { discovered, present, namespaces: ["shop"], stamp: "2026-11-24, context prod", modeOf });
        expect(report).toEqual({
            added: ["shop/search"],
            completed: [{ key: "shop/produce", keys: ["kind", "language", "container", "agentIn", "original", "rebuildImage", "evidence"] }],
            differs: [{ key: "shop/produce", keys: ["serviceName"] }],
            migrated: ["shop/order-service"],
            missing: ["shop/gone"],
        });
        const apps = appsOf(file);
        expect(apps["shop/produce"]).toEqual({ ...app(), serviceName: "produce-by-hand" });
        expect(apps["shop/search"]).toEqual(app({ container: "search", serviceName: "search" }));
        expect(apps["shop/order-service"]).toEqual({ language: "java", container: "order-service", agentIn: { env: ["CATALINA_OPTS"] }, serviceName: "order-service" });
    });

    // The yaml library keeps every comment but writes one space before an inline "#".
    test("keeps every comment and the header as written", () => {
        const file = readInventoryFile(tempInventory(HAND_WRITTEN));
        mergeInventory(file, { discovered, present, namespaces: ["shop"], stamp: "2026-11-24, context prod", modeOf });
        const text = renderYamlFile(file);
        for (const line of ["# prod inventory: reviewed by the platform team", "apiVersion: skyshift/v1\nkind: Inventory\n",
            "# migrated by alice on 2026-11-20 after the load test", "serviceName: produce-by-hand # the SkyWalking UI name people know"]) {
            expect(text).toContain(line);
        }
        expect(text).toContain(`# ${MISSING_MARKER} (2026-11-24, context prod) — delete this entry if the app is gone for good\n  shop/gone:`);
        // Long JVM option strings stay on one line.
        expect(text).toContain("JVM_OPTS: -Xms512m -Xmx512m -javaagent:/usr/skywalking/agent/skywalking-agent.jar\n");
    });

    test("a one-line entry that gets keys becomes a block, with its comment", () => {
        const file = readInventoryFile(tempInventory("apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/a: {}\n  # hand-set\n  shop/produce: {serviceName: produce}\n"));
        mergeInventory(file, { discovered: new Map([["shop/produce", app()]]), present: new Set(["shop/produce"]), stamp: "s", modeOf });
        expect(renderYamlFile(file)).toContain("  # hand-set\n  shop/produce:\n    serviceName: produce\n    kind: Deployment\n");
    });

    test("only apps in the scanned namespaces can be missing", () => {
        const file = readInventoryFile(tempInventory(HAND_WRITTEN));
        expect(mergeInventory(file, { discovered, present, namespaces: ["shop"], stamp: "s", modeOf }).missing).toEqual(["shop/gone"]);
        const everywhere = readInventoryFile(tempInventory(HAND_WRITTEN));
        expect(mergeInventory(everywhere, { discovered, present, stamp: "s", modeOf }).missing).toEqual(["shop/gone", "finance/elsewhere"]);
    });

    test("a second run changes nothing, and the marker goes when the app comes back", () => {
        const filePath = tempInventory(HAND_WRITTEN);
        const first = readInventoryFile(filePath);
        mergeInventory(first, { discovered, present, namespaces: ["shop"], stamp: "day 1", modeOf });
        writeYamlFile(first);
        const second = readInventoryFile(filePath);
        const report = mergeInventory(second, { discovered, present, namespaces: ["shop"], stamp: "day 1", modeOf });
        expect(report.added).toEqual([]);
        expect(report.completed).toEqual([]);
        expect(renderYamlFile(second)).toBe(fs.readFileSync(filePath, "utf8"));

        const back = readInventoryFile(filePath);
        mergeInventory(back, { discovered, present: new Set([...present, "shop/gone"]), namespaces: ["shop"], stamp: "day 2", modeOf });
        expect(renderYamlFile(back)).not.toContain(MISSING_MARKER);
        expect(renderYamlFile(back)).toContain("# migrated by alice on 2026-11-20 after the load test");
    });

    test("creates the inventory file with its versioned header when there is none", () => {
        const file = readInventoryFile(tempInventory(undefined));
        mergeInventory(file, { discovered: new Map([["shop/produce", app()]]), present: new Set(["shop/produce"]), stamp: "s", modeOf });
        expect(YAML.parse(renderYamlFile(file))).toEqual({ apiVersion: "skyshift/v1", kind: "Inventory", apps: { "shop/produce": app() } });
        expect(renderYamlFile(file)).toMatch(/^# What skyshift discovery learned/);
    });
});

describe("mergeInventory properties", () => {
    const key = fc.tuple(fc.constantFrom("shop", "finance", "ml"), fc.constantFrom("a", "b", "c", "d", "e")).map(([ns, name]) => `${ns}/${name}`);
    const written = fc.record({ kind: fc.constantFrom("Deployment", "StatefulSet"), serviceName: fc.option(fc.string({ minLength: 1, maxLength: 8 }), { nil: undefined }) }, { requiredKeys: ["kind"] });

    test("never changes a value already written, never drops an app, and adds every discovered app", () => {
        fc.assert(fc.property(fc.dictionary(key, written), fc.uniqueArray(key), fc.uniqueArray(key), (existing, discoveredKeys, presentKeys) => {
            const file = readInventoryFile(tempInventory(YAML.stringify({ apiVersion: "skyshift/v1", kind: "Inventory", apps: existing })));
            const before = JSON.parse(JSON.stringify(existing)) as Record<string, Record<string, unknown>>;
            mergeInventory(file, { discovered: new Map(discoveredKeys.map(k => [k, app()])), present: new Set([...presentKeys, ...discoveredKeys]), stamp: "s", modeOf });
            const after = appsOf(file);
            for (const [k, entry] of Object.entries(before)) {
                for (const [field, value] of Object.entries(entry)) expect(after[k][field]).toEqual(value);
            }
            for (const k of discoveredKeys) expect(after[k]).toBeDefined();
            expect(Object.keys(after).sort()).toEqual([...new Set([...Object.keys(before), ...discoveredKeys])].sort());
        }), { numRuns: 60 });
    });
});

