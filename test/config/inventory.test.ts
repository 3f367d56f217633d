import { inventoryFileName, parseInventory } from "../../config/inventory";

const FILE = "skyshift.prod.inventory.yaml";

describe("parseInventory", () => {
    test("reads a valid file, applying the schema's defaults", () => {
        const { inventory, problems } = parseInventory("apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/cart: {container: cart}\n", FILE);
        expect(problems).toEqual([]);
        expect(inventory.exists).toBe(true);
        expect(inventory.apps["shop/cart"]).toMatchObject({ container: "cart", kind: "Deployment", language: "java", agentIn: { env: [] }, rebuildImage: false });
    });

    test("a missing file is an empty inventory", () => {
        expect(parseInventory(undefined, FILE)).toEqual({ inventory: { file: FILE, exists: false, apps: {} }, problems: [] });
    });

    test.each<[string, string, string]>([
        ["a wrong version", "apiVersion: skyshift/v2\nkind: Inventory\n", `${FILE}: apiVersion: "skyshift/v2" is not allowed — use one of: skyshift/v1`],
        ["a stack file by mistake", "config:\n  skyshift:apps: {}\n", `${FILE}: config: unknown key — known keys here: apiVersion, kind, apps`],
        ["a mode in the inventory", "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/cart: {mode: otel}\n",
            `${FILE}: apps["shop/cart"].mode: unknown key — known keys here: kind, language, container, agentIn, serviceName, instanceName, serviceNamespace, original, backendAddress, agents, rebuildImage, evidence`],
        ["a bad app key", "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  cart: {}\n", `${FILE}: apps.cart: "cart" is not namespace/workload — write the key as e.g. shop/order-service`],
        ["a bad field", "apiVersion: skyshift/v1\nkind: Inventory\napps:\n  shop/cart: {language: go}\n", `${FILE}: apps["shop/cart"].language: "go" is not allowed — use one of: java, python, nodejs`],
        ["broken YAML", "apps: [", `${FILE}: is not valid YAML`],
    ])("names the file, the app and the field: %s", (_name, text, expected) => {
        const { problems } = parseInventory(text, FILE);
        expect(problems.some(problem => problem.startsWith(expected))).toBe(true);
    });

    test("the default name cannot be mistaken for a Pulumi stack file", () => {
        expect(inventoryFileName("prod")).toBe("skyshift.prod.inventory.yaml");
        expect(inventoryFileName("prod")).not.toMatch(/^Pulumi\./);
    });
});
