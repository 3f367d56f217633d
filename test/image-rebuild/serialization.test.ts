import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { layerAppendProvider } from "../../components/image-rebuild/layer-append/provider";
import { compressed } from "../../components/image-rebuild/layer-append/process-cache";

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
