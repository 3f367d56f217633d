import { removeWords, unquote } from "./jvm-options";

/** `skywalking-backend-js` (or a file inside it) is SkyWalking's Node.js agent. */
const SKYWALKING_NODE_PACKAGE = /^skywalking-backend-js(\/|$)/;

/**
 * Removes `--require skywalking-backend-js`, `-r skywalking-backend-js` and `--require=skywalking-backend-js`
 * from `NODE_OPTIONS`, keeping every other option and its value in order.
 */
export function removeSkyWalkingNodeOptions(options: string): string {
    return removeWords(options, tokens => {
        const words = tokens.map(token => unquote(token.raw));
        const drop = words.map(word => /^--require=/.test(word) && SKYWALKING_NODE_PACKAGE.test(word.slice("--require=".length)));
        words.forEach((word, index) => {
            const next = words[index + 1];
            if ((word === "-r" || word === "--require") && next !== undefined && SKYWALKING_NODE_PACKAGE.test(next)) {
                drop[index] = true;
                drop[index + 1] = true;
            }
        });
        return drop;
    });
}

/** The argv variant: drops `-r skywalking-backend-js` pairs and `--require=skywalking-backend-js` elements. */
export function removeSkyWalkingNodeArguments(argv: readonly string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const element = argv[i];
        if ((element === "-r" || element === "--require") && SKYWALKING_NODE_PACKAGE.test(argv[i + 1] ?? "")) { i++; continue; }
        if (element.startsWith("--require=") && SKYWALKING_NODE_PACKAGE.test(element.slice("--require=".length))) continue;
        out.push(/\s/.test(element) ? removeSkyWalkingNodeOptions(element) : element);
    }
    return out;
}
