import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { IMAGE_LAYOUT } from "../../../components/image-rebuild/layout";
import { renderJavaLauncher, shellQuote, type LauncherSpec } from "../../../components/image-rebuild/start-script";

const OTEL = `-javaagent:${IMAGE_LAYOUT.agentJar}`;
const EXT = `-Dotel.javaagent.extensions=${IMAGE_LAYOUT.extensionsDir}`;

/**
 * Runs an app's start script the way the rebuilt image does: the generated launcher first on PATH, a stand-in java
 * behind it that records its argv (NUL-separated, so any byte survives) and JAVA_TOOL_OPTIONS.
 */
function run(script: string, env: Record<string, string> = {}, spec: LauncherSpec = { extensions: false, jvmOptions: [] }) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launcher-"));
    const launcherDir = path.join(dir, "skyshift-bin");
    const jvmDir = path.join(dir, "jvm");
    fs.mkdirSync(launcherDir);
    fs.mkdirSync(jvmDir);
    // The launcher takes its own directory off PATH by name; point that name at the test's directory.
    const launcher = renderJavaLauncher(spec).replace(shellQuote(IMAGE_LAYOUT.launcherDir), shellQuote(launcherDir));
    fs.writeFileSync(path.join(launcherDir, "java"), launcher, { mode: 0o755 });
    const record = path.join(dir, "argv");
    fs.writeFileSync(path.join(jvmDir, "java"), `#!/bin/sh\nprintf '%s\\0' "$@" > '${record}'\nprintf '%s' "\${JAVA_TOOL_OPTIONS-<unset>}" > '${record}.env'\n`, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, "start.sh"), script);
    execFileSync("/bin/sh", [path.join(dir, "start.sh")], { env: { PATH: `${launcherDir}:${jvmDir}:/usr/bin:/bin`, ...env }, cwd: dir });
    const argv = fs.readFileSync(record, "utf8").split("\0").slice(0, -1);
    return { argv, javaToolOptions: fs.readFileSync(`${record}.env`, "utf8") };
}

describe("the generated java launcher, run behind common start-script styles", () => {
    test.each<{ name: string; script: string; env: Record<string, string>; expected: string[] }>([
        {
            name: "a script that adds the agent only when its jar exists (gone after the rebuild)",
            script: `#!/bin/sh
echo 'ready to start service'
if [ x"\${JAVA_ENABLE_DEBUG}" != x ] && [ "\${JAVA_ENABLE_DEBUG}" != "false" ]
then
java -jar -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=5005 /home/app.jar
elif [ -f "/opt/skywalking/agent/skywalking-agent.jar" ]
then
java -javaagent:/opt/skywalking/agent/skywalking-agent.jar \${JAVA_OPTS} -jar /home/app.jar
else
java \${JAVA_OPTS} -jar /home/app.jar
fi
`,
            env: { JAVA_OPTS: " -Xmx4096m -Xms2048m", JAVA_ENABLE_DEBUG: "false" },
            expected: [OTEL, "-Xmx4096m", "-Xms2048m", "-jar", "/home/app.jar"],
        },
        {
            name: "a script that always adds SkyWalking; CATALINA_OPTS carries its options",
            script: `#!/bin/sh\nexec java -javaagent:/home/admin/skywalking-agent/skywalking-agent.jar $CATALINA_OPTS -Dfile.encoding=UTF-8 -jar /home/admin/app.jar --spring.profiles.active=prod\n`,
            env: { CATALINA_OPTS: "-Dskywalking.agent.service_name=order -Xms1g -Dskywalking.collector.backend_service=oap:11800" },
            expected: [OTEL, "-Xms1g", "-Dfile.encoding=UTF-8", "-jar", "/home/admin/app.jar", "--spring.profiles.active=prod"],
        },
        {
            name: "the app's own arguments after the main class are never touched, even SkyWalking-looking ones",
            script: `#!/bin/sh\njava -cp '/skywalking/agent/lib/*' -Xss1m com.corp.Main -Dskywalking.x=1 -javaagent:skywalking.jar '*'\n`,
            env: {},
            expected: [OTEL, "-cp", "/skywalking/agent/lib/*", "-Xss1m", "com.corp.Main", "-Dskywalking.x=1", "-javaagent:skywalking.jar", "*"],
        },
        {
            name: "-m module: the module and its arguments are the app's",
            script: `#!/bin/sh\njava --add-opens java.base/java.lang=ALL-UNNAMED -m app/com.corp.Main -Dskywalking.keep\n`,
            env: {},
            expected: [OTEL, "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-m", "app/com.corp.Main", "-Dskywalking.keep"],
        },
        {
            name: "an OTel agent already on the command line (a second launcher run) is not added twice",
            script: `#!/bin/sh\njava ${OTEL} -jar app.jar\n`,
            env: {},
            expected: [OTEL, "-jar", "app.jar"],
        },
        {
            name: "the operator's injected agent in JAVA_TOOL_OPTIONS counts as present",
            script: "#!/bin/sh\njava -jar app.jar\n",
            env: { JAVA_TOOL_OPTIONS: "-javaagent:/otel-auto-instrumentation-java/javaagent.jar" },
            expected: ["-jar", "app.jar"],
        },
    ])("$name", ({ script, env, expected }) => {
        expect(run(script, env).argv).toEqual(expected);
    });

    test("SkyWalking options in JAVA_TOOL_OPTIONS are dropped and the rest kept; an emptied variable is unset", () => {
        expect(run("#!/bin/sh\njava -jar app.jar\n", { JAVA_TOOL_OPTIONS: "-Dskywalking.agent.service_name=a -Xshare:off -javaagent:/sky/agent/skywalking-agent.jar" }).javaToolOptions)
            .toBe("-Xshare:off");
        expect(run("#!/bin/sh\njava -jar app.jar\n", { JAVA_TOOL_OPTIONS: "-javaagent:/skywalking/agent/skywalking-agent.jar" }).javaToolOptions)
            .toBe("<unset>");
    });

    test("extensions and extra JVM options follow the agent, each exactly one argument whatever it contains", () => {
        const awkward = ["-Dotel.resource.attributes=team=it's ours", "-Dx=$HOME `id` $(id) \"q\"", "-Dmulti=line1\nline2", "-Dglob=*"];
        const { argv } = run("#!/bin/sh\njava -jar app.jar\n", {}, { extensions: true, jvmOptions: awkward });
        expect(argv).toEqual([OTEL, EXT, ...awkward, "-jar", "app.jar"]);
    });
});

test("GIVEN no java behind the launcher THEN it fails with 127 and says why, instead of calling itself", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "launcher-"));
    fs.writeFileSync(path.join(dir, "java"), renderJavaLauncher({ extensions: false, jvmOptions: [] }).replace(shellQuote(IMAGE_LAYOUT.launcherDir), shellQuote(dir)), { mode: 0o755 });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-java-"));
    const result = spawnSync(path.join(dir, "java"), ["-version"], { env: { PATH: `${dir}:${empty}` } });
    expect({ status: result.status, stderr: result.stderr.toString() }).toEqual({ status: 127, stderr: `skyshift: no java on PATH besides ${dir}\n` });
});

test("the launcher's text is pinned: it is part of every tag, so changing it rebuilds every app's image", () => {
    // Update this hash deliberately, and say in the change that every rebuilt image will be rebuilt once.
    expect(createHash("sha256").update(renderJavaLauncher({ extensions: true, jvmOptions: [] })).digest("hex"))
        .toBe("9e96535e1938963286b8eebb639727528d06d331ce125c10a72135ca5e26f59c");
});

describe("shellQuote", () => {
    test.each([
        { name: "plain", input: "-Xmx1g", expected: "'-Xmx1g'" },
        { name: "single quote", input: "it's", expected: "'it'\\''s'" },
        { name: "empty", input: "", expected: "''" },
        { name: "dollar and backtick stay literal", input: "$HOME`x`", expected: "'$HOME`x`'" },
    ])("$name", ({ input, expected }) => {
        expect(shellQuote(input)).toBe(expected);
    });

    test("rejects a NUL byte, which no argv can carry", () => {
        expect(() => shellQuote("a\0b")).toThrow("a shell word cannot contain a NUL byte");
    });
});
