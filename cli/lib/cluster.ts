import type { V1Deployment, V1StatefulSet } from "@kubernetes/client-node";
import { WorkloadKind } from "../../config/migration";

/** One page of a list call: the items and the token for the next page (absent on the last). */
export interface WorkloadPage {
    readonly items: readonly (V1Deployment | V1StatefulSet)[];
    readonly continueToken?: string;
}

/**
 * The read-only view of a cluster the commands need. Only list and get: nothing here can write,
 * and the client-node implementation also refuses any non-GET request (see kube.ts).
 */
export interface ClusterReader {
    /** Where the reader points, for messages: `context lab (https://127.0.0.1:6443)`. */
    readonly describe: string;
    list(kind: WorkloadKind, namespace: string | undefined, limit: number, continueToken: string | undefined): Promise<WorkloadPage>;
    /** One workload, or undefined when it does not exist. */
    read(kind: WorkloadKind, namespace: string, name: string): Promise<V1Deployment | V1StatefulSet | undefined>;
}

export interface ListedWorkload {
    readonly kind: WorkloadKind;
    readonly workload: V1Deployment | V1StatefulSet;
}

/**
 * Lists every Deployment and StatefulSet in the given namespaces (all when none), page by page with
 * `limit`/`continue` so a large cluster is never one giant response; reports progress after each page.
 */
export async function listWorkloads(
    reader: ClusterReader,
    namespaces: readonly string[] | undefined,
    pageSize: number,
    progress: (line: string) => void,
): Promise<ListedWorkload[]> {
    const listed: ListedWorkload[] = [];
    for (const kind of Object.values(WorkloadKind)) {
        for (const namespace of namespaces && namespaces.length > 0 ? namespaces : [undefined]) {
            let continueToken: string | undefined;
            let pages = 0;
            let count = 0;
            do {
                const page = await reader.list(kind, namespace, pageSize, continueToken);
                pages += 1;
                count += page.items.length;
                listed.push(...page.items.map(workload => ({ kind, workload })));
                continueToken = page.continueToken || undefined;
                progress(`listed ${count} ${kind}s ${namespace ? `in ${namespace}` : "in all namespaces"} (page ${pages}${continueToken ? ", more to come" : ""})`);
            } while (continueToken);
        }
    }
    return listed;
}
