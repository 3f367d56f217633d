import * as fs from "fs";
import * as path from "path";
import { isMap, YAMLMap } from "yaml";
import { APPS_KEY, CONFIG_NAMESPACE } from "../../config/stack";
import { mapUnder, readYamlFile, YamlFile } from "./yaml-file";

/** `Pulumi.<stack>.yaml` beside `Pulumi.yaml`, the file `pulumi config set` edits. */
export function stackFilePath(projectDir: string, stack: string): string {
    return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

export type StackFile = YamlFile;

export function readStackFile(file: string): StackFile {
    return readYamlFile(file, "config: {}\n");
}

/** For commands that act on an existing stack: a missing file is a mistake in `--stack` or `--dir`, not an empty stack. */
export function readExistingStackFile(file: string): StackFile {
    if (!fs.existsSync(file)) {
        throw new Error(`${file} does not exist — run from the Pulumi project directory or pass --dir, and check --stack (pulumi stack init creates the stack)`);
    }
    return readStackFile(file);
}

function configNode(file: StackFile): YAMLMap {
    return mapUnder(file, file.doc.contents as YAMLMap, "config", "config", "config keys to values");
}

/** The `skyshift:apps` decisions map (`"ns/name": {mode}`), created (empty) when absent. */
export function decisionsNode(file: StackFile): YAMLMap {
    return mapUnder(file, configNode(file), APPS_KEY, `config.${APPS_KEY}`, `"namespace/name" to {mode}`);
}

/** Every `skyshift:*` key as plain values, without the prefix (the shape `parseStackConfig` takes). */
export function skyshiftConfig(file: StackFile): Record<string, unknown> {
    const config = (file.doc.toJSON() as { config?: Record<string, unknown> } | null)?.config ?? {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    return Object.fromEntries(Object.entries(config).filter(([key]) => key.startsWith(prefix)).map(([key, value]) => [key.slice(prefix.length), value]));
}

/** Sets one app's mode decision in place, adding the decision when there is none (a per-app decision wins over selectors). */
export function setAppMode(file: StackFile, key: string, mode: string): void {
    const decisions = decisionsNode(file);
    const decision = decisions.get(key, true);
    if (isMap(decision)) decision.set("mode", mode);
    else decisions.set(key, file.doc.createNode({ mode }, { flow: true }));
}

/** Removes one app's decision, so selectors or the default decide its mode again. */
export function removeAppDecision(file: StackFile, key: string): void {
    decisionsNode(file).delete(key);
}

/** Sets (or, with undefined, removes) one `skyshift:<key>` config value; other keys and comments stay. */
export function setSkyshiftKey(file: StackFile, key: string, value: unknown): void {
    const config = configNode(file);
    const fullKey = `${CONFIG_NAMESPACE}:${key}`;
    if (value === undefined) config.delete(fullKey);
    else config.set(fullKey, file.doc.createNode(value));
}
