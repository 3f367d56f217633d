import { execFileSync } from "node:child_process";
import { gunzipSync, gzipSync } from "node:zlib";
import { appendedConfig, launcherPath, rebuildLayerEntries } from "../../../../components/image-rebuild/layer-append/layer";
import { readTar, writeTar } from "../../../../components/image-rebuild/layer-append/tar";

describe("the appended layer", () => {
    const entries = rebuildLayerEntries({
        agentJar: Buffer.from("agent"),
        extensions: new Map([["b.jar", Buffer.from("b")], ["a.jar", Buffer.from("a")]]),
        launcher: "#!/bin/sh\n",
        agentDir: "/home/admin/skywalking-agent",
    });

    test("holds the whiteout, the directories, the agent, the extensions and the launcher, in that order", () => {
        expect(entries.map(e => [e.path, e.type, e.mode.toString(8)])).toEqual([
            ["home/admin/.wh.skywalking-agent", "file", "644"],
            ["opt", "dir", "755"],
            ["opt/skyshift", "dir", "755"],
            ["opt/skyshift/bin", "dir", "755"],
            ["opt/skyshift/otel", "dir", "755"],
            ["opt/skyshift/otel/extensions", "dir", "755"],
            ["opt/skyshift/otel/javaagent.jar", "file", "644"],
            ["opt/skyshift/otel/extensions/a.jar", "file", "644"],
            ["opt/skyshift/otel/extensions/b.jar", "file", "644"],
            ["opt/skyshift/bin/java", "file", "755"],
        ]);
    });

    test("GIVEN the SkyWalking directory kept THEN no whiteout, the rest unchanged", () => {
        const kept = rebuildLayerEntries({ agentJar: Buffer.from("agent"), extensions: new Map(), launcher: "#!/bin/sh\n" });
        expect(kept.map(e => e.path)).toEqual(["opt", "opt/skyshift", "opt/skyshift/bin", "opt/skyshift/otel", "opt/skyshift/otel/javaagent.jar", "opt/skyshift/bin/java"]);
    });

    test("tars and gzips to the same bytes every time (the same inputs push the same digest)", () => {
        expect(gzipSync(writeTar(entries)).equals(gzipSync(writeTar(entries)))).toBe(true);
    });

    test("reads back what was written, including ustar's prefix split for long paths", () => {
        const long = `${"d".repeat(90)}/${"f".repeat(90)}.jar`;
        const tar = gunzipSync(gzipSync(writeTar([...entries, { path: long, type: "file", mode: 0o644, content: Buffer.from("x") }])));
        const read = readTar(tar);
        expect(read.map(e => e.path)).toEqual([...entries.map(e => e.path), long]);
        expect(read.find(e => e.path === "opt/skyshift/bin/java")?.content.toString()).toBe("#!/bin/sh\n");
        expect(read.find(e => e.path === "opt")?.type).toBe("5");
    });

    test("passes GNU tar's own check (checksums, octal fields)", () => {
        expect(execFileSync("tar", ["-tvf", "-"], { input: writeTar(entries) }).toString()).toContain("opt/skyshift/bin/java");
    });
});

describe("the appended config", () => {
    const base = {
        architecture: "amd64",
        config: { Env: ["JAVA_OPTS=-Xss512k", "PATH=/usr/lib/jvm/bin:/bin"], Entrypoint: ["/bin/sh", "/home/admin/start.sh"], Labels: { team: "shop" } },
        rootfs: { type: "layers", diff_ids: ["sha256:1"] },
        history: [{ created_by: "base" }],
    };

    test("puts the launcher first on PATH, adds the diff id and labels, keeps the entrypoint and everything else", () => {
        expect(appendedConfig(base, "sha256:2", { "io.skyshift.rebuild-tag": "otel-x" }, "/skywalking/agent")).toEqual({
            architecture: "amd64",
            config: {
                Env: ["JAVA_OPTS=-Xss512k", "PATH=/opt/skyshift/bin:/usr/lib/jvm/bin:/bin"],
                Entrypoint: ["/bin/sh", "/home/admin/start.sh"],
                Labels: { team: "shop", "io.skyshift.rebuild-tag": "otel-x" },
            },
            rootfs: { type: "layers", diff_ids: ["sha256:1", "sha256:2"] },
            history: [{ created_by: "base" }, { created_by: "skyshift layer-append: OTel Java agent added, /skywalking/agent removed" }],
        });
    });

    test("a base without PATH gets Docker's default behind the launcher, as the Dockerfile's ${PATH:-…} does", () => {
        expect(launcherPath([])).toBe("PATH=/opt/skyshift/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    });
});
