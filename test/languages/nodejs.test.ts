import { nodejs, recordedAgents, removeFromArgv, removeFromOptions } from "../../languages";

/** No decisions recorded: every agent the module cannot classify by its path stays, as for an app without `agents`. */
const keepUnknown = recordedAgents({});

describe("nodejs.skywalkingSpans", () => {
    test.each([
        { name: "--require with its value", input: ["--max-old-space-size=512", "--require", "skywalking-backend-js"], expected: [{ start: 1, end: 3, label: "--require skywalking-backend-js", verdict: "skywalking", loadsAgent: true }] },
        { name: "-r and --require= with a file inside the package", input: ["-r", "skywalking-backend-js", "--require=skywalking-backend-js/lib/index.js"], expected: [
            { start: 0, end: 2, label: "--require skywalking-backend-js", verdict: "skywalking", loadsAgent: true },
            { start: 2, end: 3, label: "--require skywalking-backend-js/lib/index.js", verdict: "skywalking", loadsAgent: true },
        ] },
        { name: "other preloads are not SkyWalking", input: ["--require", "dotenv/config", "-r", "skywalking-backend-js-fork"], expected: [] },
    ])("$name", ({ input, expected }) => {
        expect(nodejs.skywalkingSpans(input, keepUnknown)).toEqual(expected);
    });
});

describe("removeFromOptions (NODE_OPTIONS)", () => {
    test.each([
        { name: "--require value", input: "--max-old-space-size=512 --require skywalking-backend-js", expected: "--max-old-space-size=512" },
        { name: "-r and --require=", input: "-r skywalking-backend-js --enable-source-maps --require=skywalking-backend-js/lib/index.js", expected: "--enable-source-maps" },
        { name: "other preloads stay", input: "--require dotenv/config -r skywalking-backend-js", expected: "--require dotenv/config" },
    ])("$name", ({ input, expected }) => {
        expect(removeFromOptions(nodejs, input, keepUnknown)).toBe(expected);
    });
});

describe("removeFromArgv (Node.js)", () => {
    test.each([
        { name: "drops the preload pair and the = form", input: { command: ["node", "-r", "skywalking-backend-js", "--require=skywalking-backend-js", "server.js"] }, expected: { command: ["node", "server.js"], args: undefined } },
        { name: "a pair split between command and args", input: { command: ["node", "--require"], args: ["skywalking-backend-js", "server.js"] }, expected: { command: ["node"], args: ["server.js"] } },
        { name: "in a shell string", input: { args: ["-c", "exec node -r skywalking-backend-js server.js"] }, expected: { command: undefined, args: ["-c", "exec node server.js"] } },
    ])("$name", ({ input, expected }) => {
        expect(removeFromArgv(nodejs, input, keepUnknown)).toEqual(expected);
    });
});

describe("nodejs.otel", () => {
    test("names what the operator uses for Node.js", () => {
        expect(nodejs.otel).toEqual({
            annotation: "instrumentation.opentelemetry.io/inject-nodejs",
            containerNamesAnnotation: "instrumentation.opentelemetry.io/nodejs-container-names",
            initContainer: "opentelemetry-auto-instrumentation-nodejs",
        });
        expect(nodejs.optionEnvNames).toEqual(["NODE_OPTIONS"]);
    });
});
