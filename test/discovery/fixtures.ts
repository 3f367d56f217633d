import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import type { Workload, WorkloadKind } from "../../discovery";

export const WORKLOAD_FIXTURES_DIR = path.join(__dirname, "..", "fixtures", "workloads");

export interface WorkloadFixture {
    readonly kind: WorkloadKind;
    readonly workload: Workload;
}

/** Reads `test/fixtures/workloads/<name>.yaml`, one Deployment or StatefulSet manifest. */
export function loadWorkloadFixture(name: string): WorkloadFixture {
    const manifest = YAML.parse(fs.readFileSync(path.join(WORKLOAD_FIXTURES_DIR, `${name}.yaml`), "utf8")) as Workload & { kind: WorkloadKind };
    return { kind: manifest.kind, workload: manifest };
}

export function workloadFixtureNames(): string[] {
    return fs.readdirSync(WORKLOAD_FIXTURES_DIR).filter(f => f.endsWith(".yaml")).map(f => f.replace(/\.yaml$/, "")).sort();
}
