import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { filesImageProvider, filesLayerEntries, type FilesImageOutputs } from "../../../../components/image-rebuild/layer-append/files-image";

const base64 = (text: string) => Buffer.from(text).toString("base64");

describe("filesLayerEntries", () => {
    test("GIVEN two files THEN their parent directories once, outermost first, then the files in path order with their modes", () => {
        const entries = filesLayerEntries([
            { path: "/opt/skyshift/sw8/b.jar", mode: 0o644, content: base64("b") },
            { path: "/opt/skyshift/bin/java", mode: 0o755, content: base64("#!/bin/sh\n") },
        ]);
        expect(entries.map(e => [e.path, e.type, e.mode.toString(8), e.content?.toString()])).toEqual([
            ["opt", "dir", "755", undefined],
            ["opt/skyshift", "dir", "755", undefined],
            ["opt/skyshift/bin", "dir", "755", undefined],
            ["opt/skyshift/sw8", "dir", "755", undefined],
            ["opt/skyshift/bin/java", "file", "755", "#!/bin/sh\n"],
            ["opt/skyshift/sw8/b.jar", "file", "644", "b"],
        ]);
    });
});

const OLD: FilesImageOutputs = {
    base: "", files: [{ path: "/a", mode: 0o644, content: base64("a") }], labels: {}, repository: "r/skyshift/x", tag: "t-1",
    server: "r", insecure: false, username: "ci", password: "p1", digest: "sha256:aaa",
};

describe("filesImageProvider", () => {
    test.each([
        { name: "nothing changed", change: {}, expected: { changes: false, replaces: [], deleteBeforeReplace: false } },
        { name: "a new tag (new content)", change: { tag: "t-2" }, expected: { changes: true, replaces: ["tag"], deleteBeforeReplace: false } },
        { name: "a rotated password: an update, no push", change: { password: "p2" }, expected: { changes: true, replaces: [], deleteBeforeReplace: false } },
    ])("diff: $name", async ({ change, expected }) => {
        const { digest: _digest, ...olds } = OLD;
        expect(await filesImageProvider.diff!("id", OLD, { ...olds, ...change })).toEqual(expected);
    });

    test("update keeps the pushed digest", async () => {
        const { digest: _digest, ...news } = OLD;
        expect(await filesImageProvider.update!("id", OLD, { ...news, password: "p2" })).toEqual({ outs: { ...news, password: "p2", digest: "sha256:aaa" } });
    });

    test("the provider serializes with all its methods, as the engine runs it", async () => {
        const { text, exportName } = await pulumi.runtime.serializeFunction(() => filesImageProvider, { allowSecrets: false });
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "serialized-")), "closure.js");
        fs.writeFileSync(file, text);
        const out = execFileSync(process.execPath, ["-e", `const f = require(${JSON.stringify(file)}).${exportName}(); process.stdout.write(["create", "diff", "update", "delete"].map(m => typeof f[m]).join(","));`]).toString();
        expect(out).toBe("function,function,function,function");
    });
});

describe("the registry client as the engine runs it, from the serialized closure", () => {
    test("a request through a RegistryClient made inside the serialized code works (its fields survive serialization)", async () => {
        const { RegistryClient } = await import("../../../../components/image-rebuild/layer-append/registry");
        const { text, exportName } = await pulumi.runtime.serializeFunction(() => (server: string) => new RegistryClient({ server, insecure: true }), { allowSecrets: false });
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "serialized-")), "closure.js");
        fs.writeFileSync(file, text);
        const script = `
            const server = require("http").createServer((req, res) => { res.writeHead(200); res.end(req.url); }).listen(0, "127.0.0.1", async () => {
                const client = require(${JSON.stringify(file)}).${exportName}()("127.0.0.1:" + server.address().port);
                const response = await client.request("GET", "/v2/", { scope: "registry:catalog:*" });
                process.stdout.write(response.status + " " + response.body.toString());
                server.close();
            });`;
        expect(execFileSync(process.execPath, ["-e", script]).toString()).toBe("200 /v2/");
    });
});
