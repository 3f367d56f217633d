import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requirePulumiCli } from "../../../cli/lib/pulumi-stack";

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-errors-"));

describe("requirePulumiCli: a missing CLI is named, not a spawn ENOENT", () => {
    test("no pulumi on PATH names the CLI and how to get it", () => {
        expect(() => requirePulumiCli(tempDir())).toThrow("the pulumi CLI is not on PATH — install it (https://www.pulumi.com/docs/iac/download-install/), or for the local lab run: source test/lab/env.sh");
    });

    test("a pulumi on PATH passes", () => {
        const dir = tempDir();
        fs.writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
        expect(() => requirePulumiCli(`/nonexistent${path.delimiter}${dir}`)).not.toThrow();
    });
});
