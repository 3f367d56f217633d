import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { StackConfig } from "../config";
import { encodeConfig, REPO_ROOT, runUnderMocks, stackFileConfig } from "./support/program";

/**
 * The program's config loading: the inventory file plus mode decisions, as index.ts reads them. The AppMigrations
 * are replaced by a recorder of the config they receive (their dynamic providers cannot be serialized inside
 * jest's module registry; test/migration covers them, and the e2e tests run the whole program on the lab).
 */
jest.mock("../components/migration", () => ({
    migrateApps: async (config: StackConfig) => ({
        apps: {},
        flips: [],
        appModes: Object.fromEntries(Object.entries(config.apps).map(([key, app]) => [key, `${app.mode} by ${app.modeSource}`])),
    }),
}));
jest.mock("../components/deepflow/provider", () => ({ AgentGroupConfigResource: class {} }));

describe("GIVEN an inventory file and mode decisions", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-program-"));
    const inventoryFile = path.join(dir, "skyshift.unit.inventory.yaml");
    fs.writeFileSync(inventoryFile, `apiVersion: skyshift/v1
kind: Inventory
apps:
  shop/cart: {container: cart, agentIn: {env: [JAVA_OPTS]}, original: {env: {JAVA_OPTS: "-javaagent:/sw/skywalking-agent.jar"}}}
  shop/order: {container: order, agentIn: {env: [JAVA_OPTS]}, original: {env: {JAVA_OPTS: "-javaagent:/sw/skywalking-agent.jar"}}}
  shop/legacy: {container: legacy, rebuildImage: true, original: {image: "registry.corp/shop/legacy:1"}}
`);
    const config = (decisions: Record<string, unknown>) => ({
        ...stackFileConfig(path.join(REPO_ROOT, "Pulumi.dev.yaml")),
        "skyshift:inventory": inventoryFile,
        ...encodeConfig(decisions),
    });
    /** index.ts exports the migration's modes as a promise. */
    const appModes = (run: Awaited<ReturnType<typeof runUnderMocks>>) => run.outputs.appModes as Promise<Record<string, string>>;

    it("reads the inventory from the file skyshift:inventory names, modes from selectors and per-app decisions, and leaves out the app that cannot be managed", async () => {
        const run = await runUnderMocks(config({ selectors: [{ match: "shop", mode: "otel" }], apps: { "shop/order": { mode: "skywalking" }, "shop/legacy": { mode: "skywalking" } } }));
        expect(await appModes(run)).toEqual({ "shop/cart": 'otel by selectors[0].mode (match "shop")', "shop/order": 'skywalking by apps["shop/order"].mode' });
    });

    it("fails naming the app when an app with problems is put in otel, and declares nothing", async () => {
        await expect(runUnderMocks(config({ apps: { "shop/legacy": { mode: "otel" } } }))).rejects.toThrow(
            'imageRebuild.registry: is required while 1 app(s) in otel mode have rebuildImage: true (shop/legacy)');
    });

    it("fails naming the file, the app and the field when the inventory is invalid", async () => {
        const broken = path.join(dir, "broken.yaml");
        fs.writeFileSync(broken, "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/cart: {container: Cart}\n");
        await expect(runUnderMocks({ ...config({}), "skyshift:inventory": broken })).rejects.toThrow(
            `invalid skyshift stack config (1 problem):\n  - ${broken}: apps["shop/cart"].container: must be a container name — lowercase letters, digits and '-'`);
    });
});

