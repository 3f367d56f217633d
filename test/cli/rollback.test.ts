import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import YAML from "yaml";
import { runRollback } from "../../cli/rollback";
import { RollbackStack } from "../../cli/lib/pulumi-stack";
import { StateResource, UpdateRecord } from "../../cli/lib/rollback-plan";
import { captureIO } from "../support/fake-cluster";

const STACK = `# prod
config:
  skyshift:migration: {maxAppsPerUpdate: 2}
  skyshift:apps:
    # flipped first
    shop/produce: {mode: otel}
    shop/order-service: {mode: otel}
`;

const INVENTORY = `apiVersion: skyshift/v1
kind: Inventory
apps:
  shop/produce: {container: produce}
  shop/order-service: {container: order-service}
  shop/search: {container: search}
`;

function update(startTime: string, result: string, apps: Record<string, { mode: string }>, extra: Record<string, unknown> = {}): UpdateRecord {
    const config: UpdateRecord["config"] = {
        "skyshift:apps": { value: JSON.stringify(apps), objectValue: apps, secret: false },
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { value: JSON.stringify(v), objectValue: v, secret: false }])),
    };
    return { version: 0, result, startTime: new Date(startTime), config };
}

/** A stack that records what was run, and what the stack file held when preview and up ran. */
function fakeStack(options: { history?: UpdateRecord[]; resources?: StateResource[]; upFails?: boolean }, stackFile: string) {
    const calls: { op: string; file: string }[] = [];
    const stack: RollbackStack = {
        history: async () => options.history ?? [],
        resources: async () => options.resources ?? [],
        async preview(onOutput) {
            calls.push({ op: "preview", file: fs.readFileSync(stackFile, "utf8") });
            onOutput("~ kubernetes:apps/v1:DeploymentPatch shop-produce-patch update\n");
            return { update: 1, same: 9 };
        },
        async up(onOutput) {
            calls.push({ op: "up", file: fs.readFileSync(stackFile, "utf8") });
            onOutput("Updating (prod)\n");
            if (options.upFails) throw new Error("update failed\nshop/produce: pod produce-1 restarted 3 times");
            return { update: 1, same: 9 };
        },
    };
    return { stack, calls };
}

function setup(options: Parameters<typeof fakeStack>[0] = {}, interactive = false, answer = false) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-rollback-"));
    const stackFile = path.join(dir, "Pulumi.prod.yaml");
    fs.writeFileSync(stackFile, STACK);
    fs.writeFileSync(path.join(dir, "skyshift.prod.inventory.yaml"), INVENTORY);
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: skyshift\nruntime: nodejs\n");
    const { stack, calls } = fakeStack(options, stackFile);
    const captured = captureIO();
    const asked: string[] = [];
    const run = (...argv: string[]) => runRollback(["--stack", "prod", "--dir", dir, ...argv], {
        io: captured.io,
        confirm: { interactive, ask: async question => { asked.push(question); return answer; } },
        openStack: async name => { opened.push(name); return stack; },
    });
    const modes = () => Object.fromEntries(Object.entries(YAML.parse(fs.readFileSync(stackFile, "utf8")).config["skyshift:apps"] as Record<string, { mode: string }>).map(([k, v]) => [k, v.mode]));
    const opened: string[] = [];
    return { stackFile, calls, captured, asked, run, modes, opened };
}

describe("npm run rollback", () => {
    test("--app --yes: writes the mode, previews, then applies, keeping comments", async () => {
        const { stackFile, calls, captured, run, modes } = setup();
        expect(await run("--app", "shop/produce", "--yes")).toBe(0);
        expect(calls.map(c => c.op)).toEqual(["preview", "up"]);
        expect(calls[0].file).toContain("shop/produce: { mode: skywalking }");
        expect(modes()).toEqual({ "shop/produce": "skywalking", "shop/order-service": "otel" });
        expect(fs.readFileSync(stackFile, "utf8")).toContain("# flipped first");
        expect(captured.out).toEqual([
            `rolling back apps shop/produce in ${stackFile}:`,
            "  shop/produce: mode otel → skywalking",
            "preview:",
            "~ kubernetes:apps/v1:DeploymentPatch shop-produce-patch update",
            "preview: 1 to update, 9 to same",
            "Updating (prod)",
            `rolled back: 1 to update, 9 to same. ${stackFile} now holds the rolled-back config — commit it`,
        ]);
    });

    test("without a terminal and without --yes it previews, refuses, and puts the file back byte for byte", async () => {
        const { stackFile, calls, captured, run } = setup({}, false);
        expect(await run("--app", "shop/produce")).toBe(1);
        expect(calls.map(c => c.op)).toEqual(["preview"]);
        expect(fs.readFileSync(stackFile, "utf8")).toBe(STACK);
        expect(captured.err).toEqual([`refusing to apply without --yes: stdin is not a terminal, so nobody can confirm. ${stackFile} is unchanged; rerun with --yes to apply the preview above`]);
    });

    test("at a terminal it asks after the preview; no means nothing changes", async () => {
        const { stackFile, calls, asked, run } = setup({}, true, false);
        expect(await run("--app", "shop/produce")).toBe(1);
        expect(asked).toEqual(["Apply this update?"]);
        expect(calls.map(c => c.op)).toEqual(["preview"]);
        expect(fs.readFileSync(stackFile, "utf8")).toBe(STACK);
    });

    test("at a terminal, yes applies", async () => {
        const { calls, run } = setup({}, true, true);
        expect(await run("--app", "shop/order-service")).toBe(0);
        expect(calls.map(c => c.op)).toEqual(["preview", "up"]);
    });

    test("--failed rolls back the apps the failed update flipped whose gate did not pass", async () => {
        const resources: StateResource[] = [
            { urn: "urn:pulumi:prod::skyshift::skyshift:index:AppMigration$pulumi-nodejs:dynamic:Resource::shop-order-service-gate", type: "pulumi-nodejs:dynamic:Resource", outputs: { app: "shop/order-service", patchHash: "abc", checkedPods: 3 } },
        ];
        const history = [update("2026-11-24T10:00:00Z", "failed", { "shop/produce": { mode: "otel" } })];
        const { captured, run, modes } = setup({ resources, history });
        expect(await run("--failed", "--yes")).toBe(0);
        expect(captured.out.slice(0, 2)).toEqual(["last update: failed at 2026-11-24T10:00:00.000Z", "  shop/produce: flipped to otel by the failed update of 2026-11-24T10:00:00.000Z; its health gate did not pass"]);
        expect(modes()).toEqual({ "shop/produce": "skywalking", "shop/order-service": "otel" });
    });

    test("--app on an app a selector put in otel writes a per-app decision, which wins over the selector", async () => {
        const { stackFile, run } = setup();
        fs.writeFileSync(stackFile, "config:\n  skyshift:selectors:\n    - {match: shop, mode: otel}\n");
        expect(await run("--app", "shop/search", "--yes")).toBe(0);
        expect(YAML.parse(fs.readFileSync(stackFile, "utf8")).config).toEqual({
            "skyshift:selectors": [{ match: "shop", mode: "otel" }],
            "skyshift:apps": { "shop/search": { mode: "skywalking" } },
        });
    });

    test("--to an update from before the inventory file (full entries in skyshift:apps) restores only the modes", async () => {
        const legacy = [update("2026-11-24T09:00:00Z", "succeeded", { "shop/produce": { mode: "otel", container: "produce" } as never, "shop/search": { mode: "skywalking", container: "search" } as never })];
        const { modes, run } = setup({ history: legacy });
        expect(await run("--to", "@1", "--yes")).toBe(0);
        expect(modes()).toEqual({ "shop/produce": "otel", "shop/search": "skywalking" });
    });

    test("--to @2 restores every app's mode and the other skyshift keys of that update", async () => {
        const history = [
            update("2026-11-24T12:00:00Z", "failed", { "shop/produce": { mode: "otel" }, "shop/order-service": { mode: "otel" } }, { "skyshift:migration": { maxAppsPerUpdate: 2 } }),
            update("2026-11-24T11:00:00Z", "succeeded", { "shop/produce": { mode: "otel" }, "shop/order-service": { mode: "skywalking" } }, { "skyshift:migration": { maxAppsPerUpdate: 10 } }),
        ];
        const { stackFile, captured, run, modes } = setup({ history });
        expect(await run("--to", "@2", "--yes")).toBe(0);
        expect(modes()).toEqual({ "shop/produce": "otel", "shop/order-service": "skywalking" });
        expect(YAML.parse(fs.readFileSync(stackFile, "utf8")).config["skyshift:migration"]).toEqual({ maxAppsPerUpdate: 10 });
        expect(captured.out.slice(0, 3)).toEqual([
            `rolling back update @2 (2026-11-24T11:00:00.000Z, succeeded) in ${stackFile}:`,
            "  shop/order-service: mode otel → skywalking",
            "  skyshift:migration: restored",
        ]);
    });

    test("--to last-good picks the newest update that succeeded", async () => {
        const history = [
            update("2026-11-24T12:00:00Z", "failed", { "shop/produce": { mode: "otel" }, "shop/order-service": { mode: "otel" } }),
            update("2026-11-24T11:00:00Z", "succeeded", { "shop/produce": { mode: "otel" } }),
        ];
        const { modes, run } = setup({ history });
        expect(await run("--to", "last-good", "--yes")).toBe(0);
        expect(modes()).toEqual({ "shop/produce": "otel" });
    });

    test("a failed update keeps the rolled-back config and says what to do", async () => {
        const { captured, run, modes } = setup({ upFails: true });
        expect(await run("--app", "shop/produce", "--yes")).toBe(1);
        expect(modes()["shop/produce"]).toBe("skywalking");
        expect(captured.err).toEqual(["the update failed: update failed", expect.stringContaining("keeps the rolled-back config; fix the cause (npm run status shows each app) and run pulumi up")]);
    });

    test("nothing to change is said and nothing runs", async () => {
        const { calls, captured, run } = setup();
        expect(await run("--app", "shop/search")).toBe(0);
        expect(calls).toEqual([]);
        expect(captured.out[0]).toContain("nothing to roll back for apps shop/search");
    });

    test("--list shows updates with the positions --to takes", async () => {
        const history = [update("2026-11-24T12:00:00Z", "failed", { "shop/produce": { mode: "otel" }, "shop/x": { mode: "skywalking" } })];
        const { captured, run } = setup({ history });
        expect(await run("--list")).toBe(0);
        expect(captured.out).toEqual([
            "POSITION  VERSION  STARTED                   RESULT  MODES",
            "@1        0        2026-11-24T12:00:00.000Z  failed  1/3 apps otel",
        ]);
    });

    const oneFailed = [update("2026-11-24T12:00:00Z", "failed", {})];
    const twoUpdates = [...oneFailed, update("2026-11-24T11:00:00Z", "succeeded", {})];
    test.each([
        { argv: ["--yes"], history: oneFailed, message: "say what to roll back: --app ns/name …, --failed, or --to VERSION|@N|last-good (or --list to see updates)" },
        { argv: ["--failed", "--to", "@1"], history: oneFailed, message: "--failed, --to cannot be combined — use one per run" },
        { argv: ["--app", "produce"], history: oneFailed, message: `--app "produce" is not namespace/workload — write it as e.g. --app shop/order-service` },
        { argv: ["--app", "shop/prodcue"], history: oneFailed, message: "--app shop/prodcue is not in skyshift.prod.inventory.yaml — did you mean shop/produce? (run discover to add apps)" },
        { argv: ["--to", "yesterday"], history: oneFailed, message: `--to "yesterday" is not an update — use a version number, @N (N-th most recent) or last-good` },
        { argv: ["--to", "@3"], history: oneFailed, message: "--to @3: the stack has 1 updates — use @1 … @1" },
        { argv: ["--to", "0"], history: twoUpdates, message: "--to 0: 2 updates carry version 0 (the file backend numbers every update 0) — pick by position instead, e.g. --to @2 (see --list)" },
        { argv: ["--to", "last-good"], history: oneFailed, message: "--to last-good: no update of this stack succeeded — roll back apps with --app instead" },
    ])("rejects $argv and leaves the stack file alone", async ({ argv, history, message }) => {
        const { run, stackFile, calls } = setup({ history });
        await expect(run(...argv)).rejects.toThrow(message);
        expect(calls).toEqual([]);
        expect(fs.readFileSync(stackFile, "utf8")).toBe(STACK);
    });
});

describe("npm run rollback --app checks before it needs the Pulumi CLI", () => {
    test("an unknown app fails without opening the stack", async () => {
        const { run, opened } = setup();
        await expect(run("--app", "shop/nope")).rejects.toThrow("--app shop/nope is not in skyshift.prod.inventory.yaml");
        expect(opened).toEqual([]);
    });
});
