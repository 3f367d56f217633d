import { AppsConfig } from "../../config";
import { checkWave, currentModes, flips, removedApps, WaveLimitError } from "../../components/migration/waves";
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
    ] as const)("%s", (_name, previous, now, expected) => {
        expect(flips(previous, inventory(now))).toEqual(expected);
    });
});

describe("checkWave", () => {
    it("passes at the limit", () => {
        expect(checkWave({}, inventory({ "a/1": "otel", "a/2": "otel" }), 2)).toHaveLength(2);
    });

    it("refuses more than the limit with the apps and the split spelled out", () => {
        const apps = inventory({ "shop/a": "otel", "shop/b": "otel", "shop/c": "skywalking", "shop/d": "otel" });
        const run = () => checkWave({ "shop/c": "otel" }, apps, 2);
        expect(run).toThrow(WaveLimitError);
        expect(run).toThrow([
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
});

describe("removedApps and currentModes", () => {
    it("lists apps the last update knew that the inventory dropped", () => {
        expect(removedApps({ "a/gone": "otel", "a/kept": "otel" }, inventory({ "a/kept": "otel" }))).toEqual(["a/gone"]);
    });

    it("records every app's mode, sorted by key", () => {
        expect(Object.entries(currentModes(inventory({ "b/y": "otel", "a/x": "skywalking" })))).toEqual([["a/x", "skywalking"], ["b/y", "otel"]]);
    });
});
