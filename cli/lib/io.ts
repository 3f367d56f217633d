/** Where a command writes: results to `out`, progress and warnings to `err` (so `out` can be piped). */
export interface CommandIO {
    readonly out: (line: string) => void;
    readonly err: (line: string) => void;
}

export const processIO: CommandIO = {
    out: line => process.stdout.write(`${line}\n`),
    err: line => process.stderr.write(`${line}\n`),
};

/** Renders rows as aligned columns under a header; the last column is not padded. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => (row[column] ?? "").length)));
    const line = (cells: readonly string[]) => cells.map((cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column])).join("  ").trimEnd();
    return [line(header), ...rows.map(line)];
}

/** Runs a command's main and turns its errors into an exit code: 2 for usage mistakes, 1 for everything else. */
export function runMain(main: () => Promise<number>, usage: string, io: CommandIO = processIO): void {
    main().then(code => { process.exitCode = code; }, (error: Error) => {
        io.err(`error: ${error.message}`);
        if (error.name === "UsageError") io.err(usage);
        process.exitCode = error.name === "UsageError" ? 2 : 1;
    });
}
