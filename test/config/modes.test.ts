import { emptyInventory, Inventory } from "../../config/inventory";
import { DEFAULT_MODE_SOURCE, modeOf, resolveModes, selectorMatches, selectorsSchema } from "../../config/modes";
import { splitApps } from "../support/inventory";

describe("selectorMatches", () => {
    test.each<[string, string, string, boolean]>([
        ["a bare namespace covers its apps", "shop", "shop/cart", true],
        ["a bare namespace only its own", "shop", "shopfront/cart", false],
        ["ns/* covers the namespace", "shop/*", "shop/order-service", true],
        ["a namespace glob", "shop*", "shopfront/cart", true],
        ["* stays within the namespace", "s*/cart", "shop/x/cart", false],
        ["a name glob across namespaces", "*/order-*", "eu/order-service", true],
        ["a name glob that does not match", "*/order-*", "eu/cart", false],
        ["? is one character", "shop/cart-?", "shop/cart-2", true],
        ["? is exactly one", "shop/cart-?", "shop/cart-12", false],
        ["dots are literal", "shop/a.b", "shop/axb", false],
        ["an exact key", "shop/cart", "shop/cart", true],
    ])("%s: %s vs %s", (_name, match, key, expected) => {
        expect(selectorMatches(match, key)).toBe(expected);
    });

    test.each([["Shop/*"], ["shop/"], ["/cart"], ["shop/a/b"], ["shop cart"]])("rejects %j naming the fix", match => {
        const result = selectorsSchema.safeParse([{ match, mode: "otel" }]);
        expect(result.success).toBe(false);
        expect(result.error?.issues[0].message).toBe("must be a namespace or a namespace/name glob — e.g. shop, shop/* or */order-*");
    });
});

describe("modeOf: per-app decisions win, then the last matching selector, then skywalking", () => {
    const selectors = selectorsSchema.parse([{ match: "shop", mode: "otel" }, { match: "shop/legacy-*", mode: "skywalking" }]);
    test.each([
        ["shop/cart", {}, { mode: "otel", modeSource: 'selectors[0].mode (match "shop")' }],
        ["shop/legacy-billing", {}, { mode: "skywalking", modeSource: 'selectors[1].mode (match "shop/legacy-*")' }],
        ["shop/legacy-billing", { "shop/legacy-billing": { mode: "otel" as const } }, { mode: "otel", modeSource: 'apps["shop/legacy-billing"].mode' }],
        ["ml/ranker", {}, { mode: "skywalking", modeSource: DEFAULT_MODE_SOURCE }],
    ])("%s with decisions %j", (key, decisions, expected) => {
        expect(modeOf(key, decisions, selectors)).toEqual(expected);
    });
});

describe("resolveModes", () => {
    const { inventory } = splitApps({ "shop/cart": { container: "cart" }, "shop/order": { container: "order" }, "ml/ranker": { container: "ranker" } }, "skyshift.prod.inventory.yaml");

    test("gives every inventory app its mode and where it came from", () => {
        const { apps, problems, warnings } = resolveModes(inventory, { "shop/order": { mode: "skywalking" } }, selectorsSchema.parse([{ match: "shop/*", mode: "otel" }]));
        expect(problems).toEqual([]);
        expect(warnings).toEqual([]);
        expect(Object.fromEntries(Object.entries(apps).map(([key, app]) => [key, [app.mode, app.modeSource, app.container]]))).toEqual({
            "ml/ranker": ["skywalking", DEFAULT_MODE_SOURCE, "ranker"],
            "shop/cart": ["otel", 'selectors[0].mode (match "shop/*")', "cart"],
            "shop/order": ["skywalking", 'apps["shop/order"].mode', "order"],
        });
    });

    test("a decision for an app not in the inventory is an error naming the key, the file and the nearest app", () => {
        const { problems } = resolveModes(inventory, { "shop/crat": { mode: "otel" } }, []);
        expect(problems).toEqual([
            'apps["shop/crat"]: has no entry in skyshift.prod.inventory.yaml — did you mean "shop/cart"? — run npm run discover to add it, ' +
            "or remove the decision (a deleted inventory entry is never a silent flip back)",
        ]);
    });

    test("says when the inventory file itself is missing", () => {
        const missing: Inventory = emptyInventory("skyshift.prod.inventory.yaml");
        expect(resolveModes(missing, { "shop/cart": { mode: "otel" } }, []).problems[0]).toContain("has no entry in skyshift.prod.inventory.yaml (the file does not exist)");
    });

    test("a selector that matches nothing is a warning, not an error", () => {
        const { warnings, problems } = resolveModes(inventory, {}, selectorsSchema.parse([{ match: "payments", mode: "otel" }]));
        expect(problems).toEqual([]);
        expect(warnings).toEqual([{ path: "selectors[0]", message: 'match "payments" matches no app in skyshift.prod.inventory.yaml — fix the pattern or remove the selector' }]);
    });
});
