import * as fs from "fs";
import * as path from "path";
import YAML, { Document, isMap, isScalar, YAMLMap } from "yaml";
import { CONFIG_NAMESPACE } from "../../config/stack";

/** The config key that holds the fleet inventory. */
export const APPS_KEY = `${CONFIG_NAMESPACE}:apps`;

/** `Pulumi.<stack>.yaml` beside `Pulumi.yaml`, the file `pulumi config set` edits. */
export function stackFilePath(projectDir: string, stack: string): string {
    return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

/** A stack file kept as a YAML document, so edits keep every comment, key order and untouched value as written. */
export interface StackFile {
    readonly path: string;
    /** The text as read; empty when the file did not exist. */
    readonly original: string;
    readonly doc: Document;
}

export function readStackFile(file: string): StackFile {
    const original = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const doc = YAML.parseDocument(original === "" ? "config: {}\n" : original);
    if (doc.errors.length > 0) {
        throw new Error(`${file} is not valid YAML: ${doc.errors[0].message} — fix the file (or restore it from git) and run again`);
    }
    if (!isMap(doc.contents)) throw new Error(`${file} must be a YAML mapping with a config: section — it holds ${typeof doc.toJSON()}`);
    return { path: file, original, doc };
}

/** For commands that act on an existing stack: a missing file is a mistake in `--stack` or `--dir`, not an empty inventory. */
export function readExistingStackFile(file: string): StackFile {
    if (!fs.existsSync(file)) {
        throw new Error(`${file} does not exist — run from the Pulumi project directory or pass --dir, and check --stack (npm run discover writes the file)`);
    }
    return readStackFile(file);
}

/** Renders without folding long values: JVM option strings stay on one line, as people wrote them. */
export function renderStackFile(file: StackFile): string {
    return file.doc.toString({ lineWidth: 0 });
}

export function writeStackFile(file: StackFile): void {
    fs.writeFileSync(file.path, renderStackFile(file));
}

/** Puts the file back exactly as it was read (used when an update is declined or refused). */
export function restoreStackFile(file: StackFile): void {
    if (file.original === "") fs.rmSync(file.path, { force: true });
    else fs.writeFileSync(file.path, file.original);
}

/** The `skyshift:apps` map node, created (empty, block style) when absent. */
export function appsNode(file: StackFile): YAMLMap {
    const { doc } = file;
    let config = doc.get("config", true);
    if (!isMap(config)) {
        config = doc.createNode({}) as YAMLMap;
        doc.set("config", config);
    }
    const configMap = config as YAMLMap;
    const apps: unknown = configMap.get(APPS_KEY, true);
    if (isMap(apps)) return apps;
    if (apps !== undefined && apps !== null && !(isScalar(apps) && apps.value === null)) {
        throw new Error(`${file.path}: config.${APPS_KEY} must be a mapping of "namespace/name" to app settings — it is ${JSON.stringify(configMap.toJSON()[APPS_KEY])}`);
    }
    const created = doc.createNode({}) as YAMLMap;
    configMap.set(APPS_KEY, created);
    return created;
}

/** The apps as plain values (what Pulumi will hand the program). */
export function appsValue(file: StackFile): Record<string, Record<string, unknown>> {
    return (appsNode(file).toJSON() ?? {}) as Record<string, Record<string, unknown>>;
}

/** Every `skyshift:*` key as plain values, without the prefix (the shape `parseStackConfig` takes). */
export function skyshiftConfig(file: StackFile): Record<string, unknown> {
    const config = (file.doc.toJSON() as { config?: Record<string, unknown> } | null)?.config ?? {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    return Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}

/** Sets one app's mode in place (keeping its other keys and comments). Returns the previous mode. */
export function setAppMode(file: StackFile, key: string, mode: string): unknown {
    const app = appsNode(file).get(key, true);
    if (!isMap(app)) throw new Error(`${file.path}: ${APPS_KEY} has no app ${JSON.stringify(key)} — run discover, or check the key (namespace/name)`);
    const previous = app.get("mode");
    app.set("mode", mode);
    return previous;
}

/** Sets (or, with undefined, removes) one `skyshift:<key>` config value; other keys and comments stay. */
export function setSkyshiftKey(file: StackFile, key: string, value: unknown): void {
    appsNode(file);
    const config = file.doc.get("config", true) as YAMLMap;
    const fullKey = `${CONFIG_NAMESPACE}:${key}`;
    if (value === undefined) config.delete(fullKey);
    else config.set(fullKey, file.doc.createNode(value));
}
