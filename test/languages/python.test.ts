import { python, recordedAgents, removeFromArgv } from "../../languages";

/** No decisions recorded: every agent the module cannot classify by its path stays, as for an app without `agents`. */
const keepUnknown = recordedAgents({});

describe("python.skywalkingSpans", () => {
    test.each([
        { name: "launcher with -d and -p", input: ["/usr/local/bin/sw-python", "-d", "run", "-p", "gunicorn", "app:app"], expected: [{ start: 0, end: 4, label: "sw-python run", verdict: "skywalking", loadsAgent: true }] },
        { name: "inside a shell script's words", input: ["cd", "/srv", "&&", "exec", "sw-python", "run", "python", "app.py"], expected: [{ start: 4, end: 6, label: "sw-python run", verdict: "skywalking", loadsAgent: true }] },
        { name: "sw-python without run is not the launcher", input: ["sw-python", "--help"], expected: [] },
        { name: "a program merely named like it", input: ["python", "sw-python-tools.py", "run"], expected: [] },
    ])("$name", ({ input, expected }) => {
        expect(python.skywalkingSpans(input, keepUnknown)).toEqual(expected);
    });
});

describe("removeFromArgv (Python)", () => {
    test.each([
        { name: "launcher and program in command", input: { command: ["sw-python", "run", "python", "app.py"] }, expected: { command: ["python", "app.py"], args: undefined } },
        { name: "-p and -d flags", input: { command: ["/usr/local/bin/sw-python", "-d", "run", "-p", "gunicorn", "app:app"] }, expected: { command: ["gunicorn", "app:app"], args: undefined } },
        { name: "launcher in args only (image entrypoint)", input: { args: ["sw-python", "run", "uvicorn", "main:app"] }, expected: { command: undefined, args: ["uvicorn", "main:app"] } },
        { name: "the launcher is the whole command: the program moves into command", input: { command: ["sw-python", "run", "-p"], args: ["gunicorn", "app:app"] }, expected: { command: ["gunicorn"], args: ["app:app"] } },
        { name: "the launcher spans command and args", input: { command: ["sw-python"], args: ["run", "python", "app.py"] }, expected: { command: ["python"], args: ["app.py"] } },
        { name: "inside a shell string", input: { command: ["sh", "-c", "cd /srv && exec sw-python run -p gunicorn app:app"] }, expected: { command: ["sh", "-c", "cd /srv && exec gunicorn app:app"], args: undefined } },
        { name: "no launcher: unchanged", input: { command: ["python", "app.py"], args: ["--port", "80"] }, expected: { command: ["python", "app.py"], args: ["--port", "80"] } },
    ])("$name", ({ input, expected }) => {
        expect(removeFromArgv(python, input, keepUnknown)).toEqual(expected);
    });
});

describe("python.otel", () => {
    test("names what the operator uses for Python", () => {
        expect(python.otel).toEqual({
            annotation: "instrumentation.opentelemetry.io/inject-python",
            containerNamesAnnotation: "instrumentation.opentelemetry.io/python-container-names",
            initContainer: "opentelemetry-auto-instrumentation-python",
        });
        expect(python.optionEnvNames).toEqual([]);
    });
});
