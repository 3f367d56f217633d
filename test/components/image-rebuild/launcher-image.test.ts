import * as fs from "node:fs";
import * as path from "node:path";
import { DOCKER_BUILD_CONTEXT_DIR, dockerBuildContext, launcherImageFiles } from "../../../components/image-rebuild/launcher-image";

describe("docker-build's context", () => {
    test("is a committed directory holding only a .dockerignore that excludes everything", () => {
        expect(fs.readdirSync(DOCKER_BUILD_CONTEXT_DIR)).toEqual([".dockerignore"]);
        const patterns = fs.readFileSync(path.join(DOCKER_BUILD_CONTEXT_DIR, ".dockerignore"), "utf8").split("\n").filter(line => line && !line.startsWith("#"));
        expect(patterns).toEqual(["*"]);
    });

    test("is named relative to the program directory, so state is the same on every machine", () => {
        expect(dockerBuildContext(path.resolve(DOCKER_BUILD_CONTEXT_DIR, "../../.."))).toBe("components/image-rebuild/docker-build-context");
        expect(dockerBuildContext(DOCKER_BUILD_CONTEXT_DIR)).toBe(".");
    });
});

test("the launcher image holds the launcher, executable, where the rebuilt image runs it", () => {
    expect(launcherImageFiles("#!/bin/sh\nexec java\n")).toEqual([{ path: "/opt/skyshift/bin/java", mode: 0o755, content: Buffer.from("#!/bin/sh\nexec java\n").toString("base64") }]);
});
