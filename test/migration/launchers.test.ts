import { encodeAttributeValue } from "../../components/migration/otel-identity";
import { removeSkyWalkingNodeArguments, removeSkyWalkingNodeOptions } from "../../components/migration/node-options";
import { removeSwPython } from "../../components/migration/python-wrapper";

describe("removeSwPython", () => {
    test.each([
        ["wrapper and program in command", { command: ["sw-python", "run", "python", "app.py"] }, { command: ["python", "app.py"] }],
        ["-p and -d flags", { command: ["/usr/local/bin/sw-python", "-d", "run", "-p", "gunicorn", "app:app"] }, { command: ["gunicorn", "app:app"] }],
        ["wrapper in args only (image entrypoint)", { args: ["sw-python", "run", "uvicorn", "main:app"] }, { args: ["uvicorn", "main:app"] }],
        ["wrapper is the whole command", { command: ["sw-python", "run", "-p"], args: ["gunicorn", "app:app"] }, { command: ["gunicorn"], args: ["app:app"] }],
        ["wrapper spans command and args", { command: ["sw-python"], args: ["run", "python", "app.py"] }, { command: ["python"], args: ["app.py"] }],
        ["inside a shell string", { command: ["sh", "-c", "cd /srv && exec sw-python run -p gunicorn app:app"] },
            { command: ["sh", "-c", "cd /srv && exec gunicorn app:app"], args: undefined }],
        ["no wrapper: unchanged", { command: ["python", "app.py"], args: ["--port", "80"] }, { command: ["python", "app.py"], args: ["--port", "80"] }],
        ["sw-python without run is not the launcher", { command: ["sw-python", "--help"] }, { command: ["sw-python", "--help"], args: undefined }],
    ])("%s", (_name, input, expected) => {
        expect(removeSwPython(input)).toEqual(expected);
    });
});

describe("Node.js agent", () => {
    test.each([
        ["--require value", "--max-old-space-size=512 --require skywalking-backend-js", "--max-old-space-size=512"],
        ["-r and --require=", "-r skywalking-backend-js --enable-source-maps --require=skywalking-backend-js/lib/index.js", "--enable-source-maps"],
        ["other preloads stay", "--require dotenv/config -r skywalking-backend-js", "--require dotenv/config"],
    ])("NODE_OPTIONS: %s", (_name, input, expected) => {
        expect(removeSkyWalkingNodeOptions(input)).toBe(expected);
    });

    it("argv: drops the preload pair and keeps the rest", () => {
        expect(removeSkyWalkingNodeArguments(["node", "-r", "skywalking-backend-js", "--require=skywalking-backend-js", "server.js"])).toEqual(["node", "server.js"]);
    });
});

describe("encodeAttributeValue", () => {
    it("percent-encodes what would split OTEL_RESOURCE_ATTRIBUTES", () => {
        expect(encodeAttributeValue("pay,v=1 50%")).toBe("pay%2Cv%3D1%2050%25");
    });
});
