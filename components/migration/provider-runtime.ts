/**
 * Keeps a dynamic provider's serialized closure small. Pulumi stores the provider's source (`__provider`: the
 * text of its methods and of everything they reference) as an input *and* an output of every dynamic resource,
 * and sends it with every Check/Diff/Create/Update call (`@pulumi/pulumi/dynamic/index.js`
 * `serializeProvider`; `cmd/dynamic-provider/index.js` `getProvider`). A provider whose methods capture the
 * Kubernetes client, the gate and YAML serializes to ~28 kB per app, ×2 in state, and the file backend rewrites
 * the whole checkpoint after every step (docs/fleet-scale.md). Instead the methods capture only a module path
 * and `require` it in the provider process, where Node resolves it once and caches it.
 *
 * The program runs TypeScript through ts-node (Pulumi's nodejs runtime with `typescript: true`); the provider
 * process is plain Node, so a `.ts` module is loaded through the same ts-node, registered there on first use.
 */
import * as path from "path";

/** Compiler options for the provider process: transpile only, as Pulumi's own runtime does for the program. */
const PROVIDER_TS_OPTIONS = { module: "commonjs", target: "ES2022", esModuleInterop: true } as const;

/**
 * A loader for `file` that Pulumi can serialize: it captures paths and the options above. Call it inside
 * provider methods only (at run time, in the provider process).
 *
 * The state keeps the absolute paths of the update that wrote it, and `refresh` runs the provider stored in
 * state. So that a stack still refreshes from another checkout (a CI runner's work tree), a path that no longer
 * exists is looked up again relative to the provider process's working directory, the project directory, as
 * the program saw it relative to its own.
 * @param file the module's file as the program's `require.resolve` finds it (its `.ts` file under ts-node).
 */
export function providerRuntime<T>(file: string): () => T {
    const tsNode = file.endsWith(".ts") ? require.resolve("ts-node") : undefined;
    const fromProject = { file: path.relative(process.cwd(), file), tsNode: tsNode && path.relative(process.cwd(), tsNode) };
    const tsOptions = PROVIDER_TS_OPTIONS;
    return function loadProviderRuntime(): T {
        const located = (absolute: string, relative: string): string =>
            require("fs").existsSync(absolute) ? absolute : require("path").resolve(process.cwd(), relative);
        if (tsNode && !require.extensions[".ts"]) {
            require(located(tsNode, fromProject.tsNode!)).register({ transpileOnly: true, skipProject: true, compilerOptions: tsOptions });
        }
        return require(located(file, fromProject.file)) as T;
    };
}
