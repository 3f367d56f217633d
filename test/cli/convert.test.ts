import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { runConvert } from "../../cli/convert";
import { readFleet } from "../../cli/lib/fleet";
import { appSchema } from "../../config/apps";
import { captureIO } from "../support/fake-cluster";

/** A stack file as discovery wrote it before the inventory file, with people's comments. */
const LEGACY = `# prod stack: owned by the platform team
config:
  kubernetes:context: prod-cluster   # never change
  skyshift:migration: {maxAppsPerUpdate: 5}
  skyshift:apps:
    shop/cart:
      mode: skywalking
      container: cart
      agentIn: {env: [JAVA_OPTS]}
      original:
        env:
          JAVA_OPTS: "-Xms512m  -javaagent:/skywalking/agent/skywalking-agent.jar=a=b,c=d  -Dx='y z'"   # two spaces kept
    # flipped by alice on 2026-11-20 after the load test
    shop/order-service:
      mode: otel
      container: order-service
      serviceName: order-service   # the SkyWalking UI name people know
      agentIn: {env: [CATALINA_OPTS]}
      original: {env: {CATALINA_OPTS: "-javaagent:/home/admin/skywalking-agent/skywalking-agent.jar\\t-Dfile.encoding=UTF-8"}}
`;

function setup(stackText = LEGACY) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-convert-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: skyshift\nruntime: nodejs\n");
    const stackFile = path.join(dir, "Pulumi.prod.yaml");
    const inventoryFile = path.join(dir, "skyshift.prod.inventory.yaml");
    fs.writeFileSync(stackFile, stackText);
    const captured = captureIO();
    const run = (...argv: string[]) => runConvert(["--stack", "prod", "--dir", dir, ...argv], { io: captured.io });
    return { dir, stackFile, inventoryFile, captured, run };
}

/** Every legacy entry as the program read it before conversion (mode + discovered fields, defaults applied). */
function legacyApps(text: string): Record<string, unknown> {
    const apps = YAML.parse(text).config["skyshift:apps"] as Record<string, Record<string, unknown>>;
    return Object.fromEntries(Object.entries(apps).filter(([, app]) => Object.keys(app).length > 1).map(([key, app]) => [key, appSchema.parse(app)]));
}

describe("npm run convert", () => {
    test("moves the discovered fields into the inventory file, keeps {mode} for otel apps and comments everywhere, and prints the change", async () => {
        const { dir, stackFile, inventoryFile, captured, run } = setup();
        expect(await run()).toBe(0);
        const stackText = fs.readFileSync(stackFile, "utf8");
        const inventoryText = fs.readFileSync(inventoryFile, "utf8");
        expect(YAML.parse(stackText).config["skyshift:apps"]).toEqual({ "shop/order-service": { mode: "otel" } });
        expect(YAML.parse(stackText).config["kubernetes:context"]).toBe("prod-cluster");
        for (const line of ["# prod stack: owned by the platform team", "kubernetes:context: prod-cluster # never change", "# flipped by alice on 2026-11-20 after the load test"]) {
            expect(stackText).toContain(line);
        }
        const inventory = YAML.parse(inventoryText);
        expect([inventory.apiVersion, inventory.kind]).toEqual(["skyshift/v1", "Inventory"]);
        expect(Object.keys(inventory.apps)).toEqual(["shop/cart", "shop/order-service"]);
        expect(inventory.apps["shop/cart"]).not.toHaveProperty("mode");
        for (const line of ["# flipped by alice on 2026-11-20 after the load test", "serviceName: order-service # the SkyWalking UI name people know", "# two spaces kept"]) {
            expect(inventoryText).toContain(line);
        }
        expect(captured.out).toEqual([
            `${stackFile}:`,
            '  - skyshift:apps["shop/cart"]: removed (skywalking is the default; discovered fields moved)',
            '  ~ skyshift:apps["shop/order-service"]: {mode: otel} (discovered fields moved)',
            `${inventoryFile}:`,
            '  + apps["shop/cart"]: container, agentIn, original',
            '  + apps["shop/order-service"]: container, serviceName, agentIn, original',
            expect.stringMatching(new RegExp(`^2 apps moved, 1 decisions kept; ${stackFile.replace(/[.]/g, "\\.")}: \\d+ → \\d+ bytes$`)),
            `wrote ${inventoryFile} and ${stackFile} — review and commit both; pulumi preview should show no changes`,
        ]);
        // Flipping back re-applies the originals: every converted app resolves to exactly what it was, value for value.
        const { apps } = readFleet(dir, "prod");
        for (const [key, before] of Object.entries(legacyApps(LEGACY))) {
            const { modeSource: _source, ...after } = apps[key];
            expect(after).toEqual(before);
        }
        expect(apps["shop/cart"].original.env.JAVA_OPTS).toBe("-Xms512m  -javaagent:/skywalking/agent/skywalking-agent.jar=a=b,c=d  -Dx='y z'");
        expect(apps["shop/order-service"].original.env.CATALINA_OPTS).toBe("-javaagent:/home/admin/skywalking-agent/skywalking-agent.jar\t-Dfile.encoding=UTF-8");
    });

    test("keeps a skywalking decision where a selector would otherwise put the app in otel", async () => {
        const { stackFile, run } = setup(LEGACY.replace("  skyshift:apps:\n", "  skyshift:selectors:\n    - {match: shop, mode: otel}\n  skyshift:apps:\n"));
        await run();
        expect(YAML.parse(fs.readFileSync(stackFile, "utf8")).config["skyshift:apps"]["shop/cart"]).toEqual({ mode: "skywalking" });
    });

    test("a mode with nothing discovered stays a decision and is named: the program needs its inventory entry", async () => {
        const { stackFile, captured, run } = setup(`${LEGACY}    shop/search: {mode: otel}\n`);
        await run();
        expect(YAML.parse(fs.readFileSync(stackFile, "utf8")).config["skyshift:apps"]["shop/search"]).toEqual({ mode: "otel" });
        expect(captured.err).toEqual(['warning: apps["shop/search"] has a mode but nothing discovered — run npm run discover -- --stack prod before pulumi preview']);
    });

    test("--dry-run prints the change and writes nothing", async () => {
        const { stackFile, inventoryFile, captured, run } = setup();
        expect(await run("--dry-run")).toBe(0);
        expect(fs.readFileSync(stackFile, "utf8")).toBe(LEGACY);
        expect(fs.existsSync(inventoryFile)).toBe(false);
        expect(captured.out.at(-1)).toBe(`--dry-run: ${stackFile} and ${inventoryFile} left unchanged`);
    });

    test("a second run finds nothing to convert and changes no byte", async () => {
        const { stackFile, inventoryFile, captured, run } = setup();
        await run();
        const [stackText, inventoryText] = [fs.readFileSync(stackFile, "utf8"), fs.readFileSync(inventoryFile, "utf8")];
        captured.out.length = 0;
        expect(await run()).toBe(0);
        expect(captured.out).toEqual([`nothing to convert: ${stackFile} holds no discovered fields under skyshift:apps`]);
        expect([fs.readFileSync(stackFile, "utf8"), fs.readFileSync(inventoryFile, "utf8")]).toEqual([stackText, inventoryText]);
    });

    test("refuses, writing nothing, when the inventory already holds an app with other values", async () => {
        const { stackFile, inventoryFile, run } = setup();
        const inventory = "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/cart: {container: other}\n";
        fs.writeFileSync(inventoryFile, inventory);
        await expect(run()).rejects.toThrow(`${inventoryFile} already holds shop/cart with other values than ${stackFile} — keep one of the two by hand`);
        expect(fs.readFileSync(stackFile, "utf8")).toBe(LEGACY);
        expect(fs.readFileSync(inventoryFile, "utf8")).toBe(inventory);
    });
});
