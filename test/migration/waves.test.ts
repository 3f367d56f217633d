import { AppsConfig } from "../../config";
import { AppModes, currentModes, flips, selectorSources, waveRefusal } from "../../components/migration/waves";
import { app } from "./apps";

const inventory = (modes: Record<string, "otel" | "skywalking">): AppsConfig =>
    Object.fromEntries(Object.entries(modes).map(([key, mode]) => [key, app({ mode, container: "c" })]));

describe("flips", () => {
    test.each([
        ["nothing changed", { "a/x": "otel" }, { "a/x": "otel", "a/y": "skywalking" }, []],
        ["one flip to otel", { "a/x": "skywalking" }, { "a/x": "otel" }, [{ key: "a/x", from: "skywalking", to: "otel" }]],
        ["a flip back counts too", { "a/x": "otel" }, { "a/x": "skywalking" }, [{ key: "a/x", from: "otel", to: "skywalking" }]],
        ["a new app in skywalking mode is no flip", {}, { "a/new": "skywalking" }, []],
        ["a new app in otel mode is a flip", {}, { "a/new": "otel" }, [{ key: "a/new", from: "skywalking", to: "otel" }]],
        ["an app that left the inventory is no flip", { "a/gone": "otel" }, {}, []],
        ["to bridge and from bridge to otel: each is a flip", { "a/x": "skywalking", "a/y": "bridge" }, { "a/x": "bridge", "a/y": "otel" },
            [{ key: "a/x", from: "skywalking", to: "bridge" }, { key: "a/y", from: "bridge", to: "otel" }]],
        ["a new app in bridge mode is a flip", {}, { "a/new": "bridge" }, [{ key: "a/new", from: "skywalking", to: "bridge" }]],
    ] as const)("%s", (_name, previous, now, expected) => {
        expect(flips(previous, now as AppModes)).toEqual(expected);
    });
});

describe("waveRefusal", () => {
    it("passes at the limit", () => {
        expect(waveRefusal({ modes: {} }, { modes: { "a/1": "otel", "a/2": "otel" }, limit: 2, selectors: {} })).toBeUndefined();
    });

    it("refuses more than the limit with the apps and the split spelled out", () => {
        const modes: AppModes = { "shop/a": "otel", "shop/b": "otel", "shop/c": "skywalking", "shop/d": "otel" };
        expect(waveRefusal({ modes: { "shop/c": "otel" }, limit: 5 }, { modes, limit: 2, selectors: {} })).toBe([
            "this update would flip 4 apps but migration.maxAppsPerUpdate is 2:",
            "  shop/a: skywalking → otel",
            "  shop/b: skywalking → otel",
            "  shop/c: otel → skywalking",
            "  shop/d: skywalking → otel",
            "Split it: keep the first 2 in this update and put the other 2 back until the next one:",
            "  pulumi config set --path 'apps[\"shop/c\"].mode' otel",
            "  pulumi config set --path 'apps[\"shop/d\"].mode' skywalking",
            "(or raise migration.maxAppsPerUpdate for this one update)",
        ].join("\n"));
    });

    it("with no recorded modes (first update, lost state) counts every otel app and says why, never assuming a flip back", () => {
        const modes: AppModes = { "shop/a": "otel", "shop/b": "otel", "shop/c": "skywalking" };
        expect(waveRefusal({}, { modes, limit: 1, selectors: {} })).toBe([
            "this update would flip 2 apps but migration.maxAppsPerUpdate is 1:",
            "  shop/a: skywalking → otel",
            "  shop/b: skywalking → otel",
            "This stack has no modes recorded by an earlier update (its first update with the wave resource, or its state was lost),",
            "so every app in otel mode counts. If they already run otel (npm run status shows it), raise the limit for this one update.",
            "Split it: keep the first 1 in this update and put the other 1 back until the next one:",
            "  pulumi config set --path 'apps[\"shop/b\"].mode' skywalking",
            "(or raise migration.maxAppsPerUpdate for this one update)",
        ].join("\n"));
        expect(waveRefusal({}, { modes, limit: 2, selectors: {} })).toBeUndefined();
    });
});

describe("a selector's flips", () => {
    it("names the selector that chose each flipped app; the split still goes per app, since per-app decisions win", () => {
        const modes: AppModes = { "shop/a": "otel", "shop/b": "otel", "web/c": "otel" };
        const selectors = { "shop/a": 'selectors[0].mode (match "shop")', "shop/b": 'selectors[0].mode (match "shop")' };
        expect(waveRefusal({ modes: {} }, { modes, limit: 2, selectors })).toBe([
            "this update would flip 3 apps but migration.maxAppsPerUpdate is 2:",
            '  shop/a: skywalking → otel (by selectors[0].mode (match "shop"))',
            '  shop/b: skywalking → otel (by selectors[0].mode (match "shop"))',
            "  web/c: skywalking → otel",
            "Split it: keep the first 2 in this update and put the other 1 back until the next one:",
            "  pulumi config set --path 'apps[\"web/c\"].mode' skywalking",
            "(or raise migration.maxAppsPerUpdate for this one update)",
        ].join("\n"));
    });

    it("lists the apps whose mode a selector chose, from the resolved config", () => {
        const resolved = (modeSource: string) => ({ ...app({ mode: "otel", container: "c" }), modeSource });
        expect(selectorSources({ "b/y": resolved('selectors[1].mode (match "b/*")'), "a/x": resolved('apps["a/x"].mode'), "c/z": resolved("default (no decision: skywalking)") }))
            .toEqual({ "b/y": 'selectors[1].mode (match "b/*")' });
    });
});

describe("currentModes", () => {
    it("records every app's mode, sorted by key", () => {
        expect(Object.entries(currentModes(inventory({ "b/y": "otel", "a/x": "skywalking" })))).toEqual([["a/x", "skywalking"], ["b/y", "otel"]]);
    });
});
