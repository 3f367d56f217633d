/**
 * Removing SkyWalking's Python launcher, `sw-python [-d] run [-p] <program> …`, from a container's argv.
 * The launcher may sit in `command`, in `args`, or start in one and end in the other; it may also sit inside
 * a shell string (`sh -c "sw-python run -p gunicorn app:app"`).
 */

export interface Argv {
    readonly command?: readonly string[];
    readonly args?: readonly string[];
}

const LAUNCHER = /^(?:\S*\/)?sw-python$/;
const IN_SHELL_STRING = /(^|[\s;&|(])(?:\S*\/)?sw-python(?:\s+-d)?\s+run(?:\s+-p)?\s+/g;

/** How many leading argv elements are the launcher (0 when there is none). */
export function launcherLength(argv: readonly string[]): number {
    if (argv.length === 0 || !LAUNCHER.test(argv[0])) return 0;
    let i = 1;
    if (argv[i] === "-d") i++;
    if (argv[i] !== "run") return 0;
    i++;
    if (argv[i] === "-p") i++;
    return i;
}

/** Removes the launcher from a shell string, keeping the program it launched and everything around it. */
export function removeLauncherFromShell(script: string): string {
    return script.replace(IN_SHELL_STRING, "$1");
}

/**
 * The container's argv without the launcher. When the launcher was all of `command`, the launched program
 * moves from `args` into `command`: an empty `command` would mean "the image's entrypoint", not the program.
 */
export function removeSwPython(argv: Argv): Argv {
    const command = argv.command ? [...argv.command] : undefined;
    const args = argv.args ? [...argv.args] : undefined;
    const whole = [...(command ?? []), ...(args ?? [])];
    const cut = launcherLength(whole);
    if (cut === 0) return { command: command?.map(removeLauncherFromShell), args: args?.map(removeLauncherFromShell) };
    const rest = whole.slice(cut);
    if (command === undefined) return { args: rest };
    if (cut < command.length) return { command: command.slice(cut), args };
    return args === undefined ? { command: rest } : { command: rest.slice(0, 1), args: rest.slice(1) };
}
