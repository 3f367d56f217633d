import type { V1Deployment, V1StatefulSet } from "@kubernetes/client-node";
import type { Workload, WorkloadKind } from "../../discovery";
import type { ClusterReader } from "../../cli/lib/cluster";

/** Every call the fake answered, to assert paging and that only reads happened. */
export interface FakeCall {
    readonly verb: "list" | "read";
    readonly kind: WorkloadKind;
    readonly namespace?: string;
    readonly limit?: number;
    readonly continueToken?: string;
}

/**
 * An in-memory cluster that pages like the API server (opaque `continue` tokens, `limit` honoured). It offers
 * only the reader's two verbs; `calls` records them so tests can assert nothing else was attempted.
 */
export function fakeCluster(workloads: readonly { kind: WorkloadKind; workload: Workload }[]): ClusterReader & { calls: FakeCall[] } {
    const calls: FakeCall[] = [];
    const matching = (kind: WorkloadKind, namespace?: string) => workloads
        .filter(w => w.kind === kind && (!namespace || (w.workload.metadata?.namespace ?? "default") === namespace))
        .map(w => w.workload as V1Deployment | V1StatefulSet);
    return {
        calls,
        describe: "context fake (https://fake.invalid)",
        async list(kind, namespace, limit, continueToken) {
            calls.push({ verb: "list", kind, namespace, limit, continueToken });
            const all = matching(kind, namespace);
            const start = continueToken ? Number(Buffer.from(continueToken, "base64").toString()) : 0;
            const end = start + limit;
            return { items: all.slice(start, end), continueToken: end < all.length ? Buffer.from(String(end)).toString("base64") : undefined };
        },
        async read(kind, namespace, name) {
            calls.push({ verb: "read", kind, namespace });
            return matching(kind, namespace).find(w => w.metadata?.name === name);
        },
    };
}

/** Collects a command's output lines. */
export function captureIO(): { io: { out: (l: string) => void; err: (l: string) => void }; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: l => out.push(l), err: l => err.push(l) }, out, err };
}
