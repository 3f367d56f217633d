import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { compressed } from "../../../../components/image-rebuild/layer-append/process-cache";
import { layerAppendProvider, type LayerAppendOutputs } from "../../../../components/image-rebuild/layer-append/provider";

const OLD: LayerAppendOutputs = {
    source: "r/app@sha256:1", agentImage: "r/agent:2", extensions: [], agentDir: "/skywalking/agent", launcher: "#!/bin/sh\n",
    repository: "r/skyshift/shop/app", tag: "otel-1", labels: {}, server: "r", insecure: false, username: "ci", password: "p1",
    digest: "sha256:aaa",
};

describe("layerAppendProvider", () => {
    test.each([
        { name: "nothing changed", change: {}, expected: { changes: false, replaces: [], deleteBeforeReplace: false } },
        { name: "a new tag (any input that shapes the image)", change: { tag: "otel-2" }, expected: { changes: true, replaces: ["tag"], deleteBeforeReplace: false } },
        { name: "another repository", change: { repository: "r/other/app" }, expected: { changes: true, replaces: ["tag"], deleteBeforeReplace: false } },
        { name: "a rotated password: an update, no push", change: { password: "p2" }, expected: { changes: true, replaces: [], deleteBeforeReplace: false } },
    ])("diff: $name", async ({ change, expected }) => {
        const { digest: _digest, ...olds } = OLD;
        expect(await layerAppendProvider.diff!("id", OLD, { ...olds, ...change })).toEqual(expected);
    });

    test("update keeps the pushed digest (only credentials changed) and delete leaves the image in the registry", async () => {
        const { digest: _digest, ...news } = OLD;
        expect(await layerAppendProvider.update!("id", OLD, { ...news, password: "p2" })).toEqual({ outs: { ...news, password: "p2", digest: "sha256:aaa" } });
        await expect(layerAppendProvider.delete!("id", OLD)).resolves.toBeUndefined();
    });
});

/**
 * The engine runs a dynamic provider from its serialized closure, in another process; mocks never do. Serialize the
 * way dynamic.Resource does and run the result in a fresh node: a module-level Map captured by value would arrive as
 * a plain object and fail there ("Map.prototype.get called on incompatible receiver").
 */
async function runSerialized(factory: () => unknown, call: string): Promise<string> {
    const { text, exportName } = await pulumi.runtime.serializeFunction(factory, { allowSecrets: false });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "serialized-"));
    const file = path.join(dir, "closure.js");
    fs.writeFileSync(file, text);
    return execFileSync(process.execPath, ["-e", `const f = require(${JSON.stringify(file)}).${exportName}(); ${call}`]).toString();
}

describe("code that runs inside the layer-append dynamic provider", () => {
    test("the process cache still works after Pulumi's closure serialization", async () => {
        const out = await runSerialized(() => compressed,
            `const a = f("sha256:x", Buffer.from("layer")); const b = f("sha256:x", Buffer.from("other")); process.stdout.write(String(a === b && a.length > 0));`);
        expect(out).toBe("true");
    });

    test("the provider serializes with all its methods", async () => {
        const out = await runSerialized(() => layerAppendProvider, `process.stdout.write(["create", "diff", "update", "delete"].map(m => typeof f[m]).join(","));`);
        expect(out).toBe("function,function,function,function");
    });
});
