/**
 * Starting and inspecting the local processes of the lab's workload runner (see process-spec.ts for what a
 * process is made of). Every process gets its own log file and is stopped by its pid.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ProcessSpec, startable } from "./process-spec";

export interface LabProcess {
    readonly pid: number;
    readonly logFile: string;
    /** The process's output so far (stdout and stderr). */
    output(): string;
    /** True while the process runs. */
    running(): boolean;
    /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
    stop(graceMs?: number): Promise<void>;
}

/** Starts `spec` as `name` (its log is `<logDir>/<name>.log`). Refuses a spec that points into unmapped volumes. */
export function startProcess(name: string, spec: ProcessSpec, logDir: string): LabProcess {
    startable(spec, name);
    fs.mkdirSync(logDir, { recursive: true });
    const logFile = path.join(logDir, `${name}.log`);
    const log = fs.openSync(logFile, "w");
    const child: ChildProcess = spawn(spec.argv[0], spec.argv.slice(1), { cwd: spec.cwd, env: { ...spec.env }, stdio: ["ignore", log, log] });
    fs.closeSync(log);
    if (child.pid === undefined) throw new Error(`${name}: could not start ${spec.argv[0]}`);
    let exited = false;
    const done = new Promise<void>((resolve) => child.once("exit", () => { exited = true; resolve(); }));
    return {
        pid: child.pid,
        logFile,
        output: () => fs.readFileSync(logFile, "utf8"),
        running: () => !exited,
        async stop(graceMs = 10_000) {
            if (exited) return;
            child.kill("SIGTERM");
            const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
            await done;
            clearTimeout(timer);
        },
    };
}

/** A process's argv and environment as the kernel holds them (`/proc/<pid>/cmdline`, `/proc/<pid>/environ`). */
export function procView(pid: number): { argv: string[]; env: Record<string, string> } {
    const split = (file: string) => fs.readFileSync(`/proc/${pid}/${file}`, "utf8").split("\0").filter(Boolean);
    const env: Record<string, string> = {};
    for (const entry of split("environ")) {
        const eq = entry.indexOf("=");
        env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
    return { argv: split("cmdline"), env };
}

/**
 * Every `-javaagent:` a JVM started with this argv and env loads: the launcher's arguments and the options the JVM
 * itself reads from JAVA_TOOL_OPTIONS, and the `java` launcher from JDK_JAVA_OPTIONS (JDK 9+).
 */
export function javaAgentFlags(argv: readonly string[], env: Readonly<Record<string, string>>): string[] {
    const fromEnv = ["JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"].flatMap((name) => (env[name] ?? "").split(/\s+/));
    return [...argv, ...fromEnv].filter((arg) => arg.startsWith("-javaagent:"));
}

/** The peak resident memory of a running process in MiB (VmHWM in `/proc/<pid>/status`). */
export function peakMemoryMiB(pid: number): number {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    if (!match) throw new Error(`no VmHWM for pid ${pid}`);
    return Number(match[1]) / 1024;
}
