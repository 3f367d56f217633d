import * as fs from "fs";
import { Document, isMap, isScalar, YAMLMap } from "yaml";
import { parseYamlDocument } from "../../config/yaml-document";

/** A YAML file kept as a document, so edits keep every comment, key order and untouched value as written. */
export interface YamlFile {
    readonly path: string;
    /** The text as read; empty when the file did not exist. */
    readonly original: string;
    readonly doc: Document;
}

/** Reads a file that must hold a mapping; `initial` is the document a missing file starts as. */
export function readYamlFile(file: string, initial: string): YamlFile {
    const original = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const doc = parseYamlDocument(original === "" ? initial : original);
    if (doc.errors.length > 0) {
        throw new Error(`${file} is not valid YAML: ${doc.errors[0].message} — fix the file (or restore it from git) and run again`);
    }
    if (!isMap(doc.contents)) throw new Error(`${file} must be a YAML mapping — it holds ${typeof doc.toJSON()}`);
    return { path: file, original, doc };
}

/** Renders without folding long values: JVM option strings stay on one line, as people wrote them. */
export function renderYamlFile(file: YamlFile): string {
    return file.doc.toString({ lineWidth: 0 });
}

export function writeYamlFile(file: YamlFile): void {
    fs.writeFileSync(file.path, renderYamlFile(file));
}

/** Puts the file back exactly as it was read (used when an update is declined or refused). */
export function restoreYamlFile(file: YamlFile): void {
    if (file.original === "") fs.rmSync(file.path, { force: true });
    else fs.writeFileSync(file.path, file.original);
}

/**
 * The mapping at `key` under `parent`, created (empty, block style) when absent or null. `describe` says what the
 * mapping holds, for the error when the key holds something else.
 */
export function mapUnder(file: YamlFile, parent: YAMLMap, key: string, where: string, describe: string): YAMLMap {
    const node: unknown = parent.get(key, true);
    if (isMap(node)) return node;
    if (node !== undefined && node !== null && !(isScalar(node) && node.value === null)) {
        throw new Error(`${file.path}: ${where} must be a mapping of ${describe} — it is ${JSON.stringify(parent.toJSON()[key])}`);
    }
    const created = file.doc.createNode({}) as YAMLMap;
    parent.set(key, created);
    return created;
}

/** The map's keys as strings, in file order. */
export function keysOf(map: YAMLMap): string[] {
    return map.items.map(pair => String(isScalar(pair.key) ? pair.key.value : pair.key));
}
