/**
 * Runs a dynamic provider the way the engine's dynamic-provider host does: serialized by Pulumi, loaded with
 * `require-from-string` in a plain Node process (no jest, no ts-node preloaded), one method called there.
 */
import { execFile } from "child_process";
import * as pulumi from "@pulumi/pulumi";

export async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<string> {
    return (await pulumi.runtime.serializeFunction(() => provider, { isFactoryFunction: true })).text;
}

/**
 * Calls `provider[method](...args)` in a fresh Node process (working directory `cwd`, as the engine starts
 * plugins in the project directory); resolves with its result or rejects with its error message, keeping the
 * partial-failure fields the dynamic-provider host reads (`id`, `properties`, `reasons`).
 */
export async function callInProviderProcess(text: string, method: string, args: unknown[], cwd = "/"): Promise<unknown> {
    const script = `
        const requireFromString = require(${JSON.stringify(require.resolve("require-from-string"))});
        const provider = requireFromString(process.env.PROVIDER).handler;
        provider[process.env.METHOD](...JSON.parse(process.env.ARGS)).then(
            result => process.stdout.write(JSON.stringify({ result: result === undefined ? null : result })),
            error => process.stdout.write(JSON.stringify({ error: error.message, id: error.id, properties: error.properties, reasons: error.reasons })));`;
    const stdout = await new Promise<string>((resolve, reject) => execFile(process.execPath, ["-e", script], {
        env: { ...process.env, PROVIDER: text, METHOD: method, ARGS: JSON.stringify(args) }, cwd,
    }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out))));
    const answer = JSON.parse(stdout) as { result?: unknown; error?: string; id?: string; properties?: unknown; reasons?: string[] };
    if (answer.error !== undefined) throw Object.assign(new Error(answer.error), { id: answer.id, properties: answer.properties, reasons: answer.reasons });
    return answer.result;
}
