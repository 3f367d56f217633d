import * as readline from "node:readline/promises";

/** How a command asks before changing things. */
export interface Confirmer {
    /** Whether someone can answer (stdin is a terminal). */
    readonly interactive: boolean;
    ask(question: string): Promise<boolean>;
}

export const terminalConfirmer: Confirmer = {
    interactive: Boolean(process.stdin.isTTY),
    async ask(question) {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        try {
            return /^y(es)?$/i.test((await rl.question(`${question} [yes/no] `)).trim());
        } finally {
            rl.close();
        }
    },
};
