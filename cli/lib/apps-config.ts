import { appsSchema, AppsConfig } from "../../config/apps";
import { ConfigError, describeIssues } from "../../config/problems";
import { appsValue, StackFile } from "./stack-file";

/** The stack file's `skyshift:apps`, validated and defaulted exactly as the program reads them. */
export function readApps(file: StackFile): AppsConfig {
    const result = appsSchema.safeParse(appsValue(file), { reportInput: true });
    if (!result.success) {
        throw new ConfigError(describeIssues(appsSchema, result.error.issues, ["apps"]).map(problem => `${file.path}: ${problem}`));
    }
    return result.data;
}
