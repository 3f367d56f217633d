/**
 * Keeps a dynamic provider's serialized closure small. Pulumi stores the provider's source (`__provider`: the
 * text of its methods and of everything they reference) as an input *and* an output of every dynamic resource,
 * and sends it with every Check/Diff/Create/Update call (`@pulumi/pulumi/dynamic/index.js`
 * `serializeProvider`; `cmd/dynamic-provider/index.js` `getProvider`). The engine re-serializes the whole
 * snapshot after every step (docs/fleet-scale.md), so each byte of it is paid apps × steps times. A provider whose
 * methods capture the Kubernetes client, the gate and YAML serializes to ~28 kB; methods that `require` their
 * module in the provider process, ~2.9 kB; one loader shared by one-line methods (below), ~1.9 kB.
 *
 * The program runs TypeScript through ts-node (Pulumi's nodejs runtime with `typescript: true`); the provider
 * process is plain Node, so a `.ts` module is loaded through the project's ts-node, registered there on first use.
 */
import type * as pulumi from "@pulumi/pulumi";
import * as path from "path";

/**
 * A provider whose methods call `require(file)[exportName][method]` in the provider process. Node caches the
 * module, so it loads once per engine run.
 *
 * The state keeps the absolute path of the update that wrote it, and `refresh` runs the provider stored in
 * state. So that a stack still refreshes from another checkout (a CI runner's work tree), a path that no longer
 * exists is looked up again relative to the provider process's working directory, the project directory, as
 * the program saw it relative to its own.
 * @param file the module's file as the program's `require.resolve` finds it (its `.ts` file under ts-node).
 * @param exportName the export holding the provider's methods.
 * @param methods the methods the provider has; a method the host finds missing is skipped by it (`delete`, `read`).
 */
export function delegatingProvider<Module>(file: string, exportName: keyof Module & string, methods: readonly ProviderMethod[]): pulumi.dynamic.ResourceProvider {
    const where = [file, path.relative(process.cwd(), file), exportName];
    function load() {
        const paths = require("path"), found = require("fs").existsSync(where[0]) ? where[0] : paths.resolve(where[1]);
        if (found.endsWith(".ts") && !require.extensions[".ts"]) {
            require(require.resolve("ts-node", { paths: [paths.dirname(found)] })).register({ transpileOnly: true, skipProject: true,
                compilerOptions: { module: "commonjs", target: "ES2022", esModuleInterop: true } });
        }
        return require(found)[where[2]];
    }
    return Object.fromEntries(methods.map(method => [method, (...args: unknown[]) => load()[method](...args)])) as unknown as pulumi.dynamic.ResourceProvider;
}

export type ProviderMethod = "check" | "diff" | "create" | "read" | "update" | "delete";
