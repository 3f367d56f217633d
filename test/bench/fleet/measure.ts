/**
 * Runs a command and measures its wall time, the CPU time and peak resident memory of its whole process tree, and
 * the CPU time the lab's API server and etcd spent meanwhile. CPU time is the figure to compare on a shared,
 * loaded machine: wall time there mostly measures the other users.
 */
import { spawn } from "child_process";
import * as fs from "fs";

export interface Measured {
    readonly seconds: number;
    /** Peak of the summed RSS of the command and all its descendants, sampled every 100 ms. */
    readonly peakMiB: number;
    /** User + system CPU seconds of the command and its descendants (each process's last sample, every 100 ms). */
    readonly cpuSeconds: number;
    /** User + system CPU seconds of kube-apiserver and etcd while it ran. */
    readonly clusterCpuSeconds: number;
    readonly stdout: string;
}

const PAGE = 4096;
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100;
const CLUSTER_COMMANDS = new Set(["kube-apiserver", "etcd"]);

interface ProcessStat { ppid: number; rss: number; cpuTicks: number; command: string }

/** Every process's parent, RSS (bytes), CPU ticks and command, from /proc/<pid>/stat. */
function processTable(): Map<number, ProcessStat> {
    const table = new Map<number, ProcessStat>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // Fields after the command name, which may itself hold spaces and parentheses.
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            const command = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
            table.set(Number(entry), { ppid: Number(fields[1]), rss: Number(fields[21]) * PAGE, cpuTicks: Number(fields[11]) + Number(fields[12]), command });
        } catch {
            // The process exited between readdir and read.
        }
    }
    return table;
}

/** The tree's summed RSS now; records each process's CPU ticks into `cpu` (the last sample wins). */
function sampleTree(root: number, cpu: Map<number, number>): number {
    const table = processTable();
    const children = new Map<number, number[]>();
    for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    let total = 0;
    const queue = [root];
    while (queue.length > 0) {
        const pid = queue.pop()!;
        const stat = table.get(pid);
        if (stat) {
            total += stat.rss;
            cpu.set(pid, stat.cpuTicks);
        }
        queue.push(...(children.get(pid) ?? []));
    }
    return total;
}

function clusterTicks(): number {
    let ticks = 0;
    for (const stat of processTable().values()) if (CLUSTER_COMMANDS.has(stat.command)) ticks += stat.cpuTicks;
    return ticks;
}

/** Resolves with the measurements; rejects with the command's output when it exits non-zero. */
export function measure(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Measured> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const clusterBefore = clusterTicks();
        const cpu = new Map<number, number>();
        const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", chunk => { stdout += chunk; });
        child.stderr.on("data", chunk => { stderr += chunk; });
        let peak = 0;
        const sampler = setInterval(() => { peak = Math.max(peak, sampleTree(child.pid!, cpu)); }, 100);
        child.on("close", code => {
            clearInterval(sampler);
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const cpuSeconds = [...cpu.values()].reduce((sum, ticks) => sum + ticks, 0) / TICKS;
            if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`));
            else resolve({ seconds, peakMiB: Math.round(peak / 2 ** 20), cpuSeconds, clusterCpuSeconds: (clusterTicks() - clusterBefore) / TICKS, stdout });
        });
    });
}
