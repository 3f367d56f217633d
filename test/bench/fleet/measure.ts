/** Runs a command and measures its wall time and the peak resident memory of its whole process tree. */
import { spawn } from "child_process";
import * as fs from "fs";

export interface Measured {
    readonly seconds: number;
    /** Peak of the summed RSS of the command and all its descendants, sampled every 100 ms. */
    readonly peakMiB: number;
    readonly stdout: string;
}

const PAGE = 4096;

/** Every process's parent and RSS (bytes), from /proc/<pid>/stat. */
function processTable(): Map<number, { ppid: number; rss: number }> {
    const table = new Map<number, { ppid: number; rss: number }>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            // Fields after the command name, which may itself hold spaces and parentheses.
            const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
            table.set(Number(entry), { ppid: Number(fields[1]), rss: Number(fields[21]) * PAGE });
        } catch {
            // The process exited between readdir and read.
        }
    }
    return table;
}

function treeRss(root: number): number {
    const table = processTable();
    const children = new Map<number, number[]>();
    for (const [pid, { ppid }] of table) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    let total = 0;
    const queue = [root];
    while (queue.length > 0) {
        const pid = queue.pop()!;
        total += table.get(pid)?.rss ?? 0;
        queue.push(...(children.get(pid) ?? []));
    }
    return total;
}

/** Resolves with the measurements; rejects with the command's output when it exits non-zero. */
export function measure(command: string, args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<Measured> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", chunk => { stdout += chunk; });
        child.stderr.on("data", chunk => { stderr += chunk; });
        let peak = 0;
        const sampler = setInterval(() => { peak = Math.max(peak, treeRss(child.pid!)); }, 100);
        child.on("close", code => {
            clearInterval(sampler);
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`));
            else resolve({ seconds, peakMiB: Math.round(peak / 2 ** 20), stdout });
        });
    });
}
