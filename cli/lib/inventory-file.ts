import * as path from "path";
import { YAMLMap } from "yaml";
import { INVENTORY_API_VERSION, INVENTORY_KIND, inventoryFileName } from "../../config/inventory";
import { skyshiftConfig, StackFile } from "./stack-file";
import { mapUnder, readYamlFile, YamlFile } from "./yaml-file";

export type InventoryFile = YamlFile;

const NEW_INVENTORY = `# What skyshift discovery learned about each app of this stack. Written by npm run discover, reviewed and
# committed like code. Modes are not here: they are decisions in the stack file (skyshift:apps, skyshift:selectors).
apiVersion: ${INVENTORY_API_VERSION}
kind: ${INVENTORY_KIND}
apps: {}
`;

/**
 * The inventory file the program reads for this stack: the stack file's `skyshift:inventory` if set, else
 * `skyshift.<stack>.inventory.yaml`, both relative to the project directory. Returns the path and its name as
 * the program spells it in messages.
 */
export function inventoryFilePath(projectDir: string, stack: string, stackFile: StackFile): { path: string; name: string } {
    const configured = skyshiftConfig(stackFile).inventory;
    const name = typeof configured === "string" && configured !== "" ? configured : inventoryFileName(stack);
    return { path: path.resolve(projectDir, name), name };
}

/** Reads the inventory file as a document; a missing one starts with the versioned header and no apps. */
export function readInventoryFile(file: string): InventoryFile {
    return readYamlFile(file, NEW_INVENTORY);
}

/** The `apps` map of an inventory file, created when absent; an empty `apps: {}` grows in block style. */
export function inventoryAppsNode(file: InventoryFile): YAMLMap {
    const apps = mapUnder(file, file.doc.contents as YAMLMap, "apps", "apps", `"namespace/name" to what discovery found`);
    if (apps.items.length === 0) apps.flow = false;
    return apps;
}
