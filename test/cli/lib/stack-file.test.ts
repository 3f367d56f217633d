import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { decisionsNode, readStackFile, removeAppDecision, setAppMode } from "../../../cli/lib/stack-file";
import { renderYamlFile, restoreYamlFile, writeYamlFile } from "../../../cli/lib/yaml-file";

const HAND_WRITTEN = `# prod stack: owned by the platform team
config:
  kubernetes:context: prod-cluster   # never change
  skyshift:selectors:
    - {match: "shop/*", mode: otel}
  skyshift:apps:
    # flipped by alice on 2026-11-20 after the load test
    shop/order-service: {mode: otel}
    shop/legacy: {mode: skywalking}   # pinned: the selector must not move it
  db:password:
    secure: v1:abc123
`;

function tempStackFile(text: string | undefined): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-stack-"));
    const file = path.join(dir, "Pulumi.prod.yaml");
    if (text !== undefined) fs.writeFileSync(file, text);
    return file;
}

const decisions = (text: string) => YAML.parse(text).config["skyshift:apps"];

describe("stack file edits", () => {
    test("setAppMode changes a decision in place, keeping every comment and the other keys", () => {
        const file = readStackFile(tempStackFile(HAND_WRITTEN));
        setAppMode(file, "shop/order-service", "skywalking");
        const text = renderYamlFile(file);
        expect(decisions(text)).toEqual({ "shop/order-service": { mode: "skywalking" }, "shop/legacy": { mode: "skywalking" } });
        for (const line of ["# prod stack: owned by the platform team", "kubernetes:context: prod-cluster # never change",
            "# flipped by alice on 2026-11-20 after the load test", "# pinned: the selector must not move it", "secure: v1:abc123"]) {
            expect(text).toContain(line);
        }
    });

    test("setAppMode adds a one-line decision for an app whose mode came from a selector or the default", () => {
        const file = readStackFile(tempStackFile(HAND_WRITTEN));
        setAppMode(file, "shop/cart", "skywalking");
        expect(renderYamlFile(file)).toContain("    shop/cart: { mode: skywalking }\n");
    });

    test("removeAppDecision hands the app back to the selectors", () => {
        const file = readStackFile(tempStackFile(HAND_WRITTEN));
        removeAppDecision(file, "shop/legacy");
        expect(decisions(renderYamlFile(file))).toEqual({ "shop/order-service": { mode: "otel" } });
    });

    test("a stack file without skyshift:apps gets the map on the first decision", () => {
        const file = readStackFile(tempStackFile("config:\n  skyshift:migration: {maxAppsPerUpdate: 5}\n"));
        setAppMode(file, "shop/a", "otel");
        expect(YAML.parse(renderYamlFile(file)).config).toEqual({ "skyshift:migration": { maxAppsPerUpdate: 5 }, "skyshift:apps": { "shop/a": { mode: "otel" } } });
    });

    test("restoreYamlFile puts back the exact bytes, or removes a file that did not exist", () => {
        const filePath = tempStackFile(HAND_WRITTEN);
        const file = readStackFile(filePath);
        setAppMode(file, "shop/order-service", "skywalking");
        writeYamlFile(file);
        expect(fs.readFileSync(filePath, "utf8")).not.toBe(HAND_WRITTEN);
        restoreYamlFile(file);
        expect(fs.readFileSync(filePath, "utf8")).toBe(HAND_WRITTEN);

        const newPath = tempStackFile(undefined);
        const created = readStackFile(newPath);
        writeYamlFile(created);
        expect(fs.existsSync(newPath)).toBe(true);
        restoreYamlFile(created);
        expect(fs.existsSync(newPath)).toBe(false);
    });

    test.each([
        ["broken YAML", "config: {a: [", "is not valid YAML"],
        ["a list at the top", "- a\n- b\n", "must be a YAML mapping"],
    ])("refuses %s with the file name", (_name, text, message) => {
        const filePath = tempStackFile(text);
        expect(() => readStackFile(filePath)).toThrow(`${filePath}`);
        expect(() => readStackFile(filePath)).toThrow(message);
    });

    test("refuses apps that are not a mapping", () => {
        const file = readStackFile(tempStackFile("config:\n  skyshift:apps: [a, b]\n"));
        expect(() => decisionsNode(file)).toThrow(`config.skyshift:apps must be a mapping of "namespace/name" to {mode} — it is ["a","b"]`);
    });
});
