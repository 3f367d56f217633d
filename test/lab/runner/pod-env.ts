/**
 * A container's environment as the kubelet would build it from the admitted pod: `env` in order, `valueFrom.fieldRef`
 * read from the pod object itself, and `$(VAR)` references expanded against the variables defined before them
 * (k8s.io/kubernetes pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, and the expansion rules of
 * third_party/forked/golang/expansion/expand.go). The operator relies on that expansion, e.g.
 * `OTEL_RESOURCE_ATTRIBUTES=k8s.pod.name=$(OTEL_RESOURCE_ATTRIBUTES_POD_NAME),…`.
 *
 * What a kubelet would add and the runner does not: Service env vars (`<SVC>_SERVICE_HOST`, `KUBERNETES_*`) and the
 * image's own ENV. Sources the runner cannot resolve faithfully (secretKeyRef, configMapKeyRef, resourceFieldRef,
 * envFrom) are errors naming the variable, never guessed.
 */

export interface EnvVar {
    readonly name: string;
    readonly value?: string;
    readonly valueFrom?: { readonly fieldRef?: { readonly fieldPath: string }; readonly [source: string]: unknown };
}

export interface PodContainer {
    readonly name: string;
    readonly image: string;
    readonly command?: readonly string[];
    readonly args?: readonly string[];
    readonly env?: readonly EnvVar[];
    readonly envFrom?: readonly unknown[];
    readonly workingDir?: string;
    readonly volumeMounts?: ReadonlyArray<{ readonly name: string; readonly mountPath: string }>;
}

/** The fields of a Pod the runner reads. */
export interface Pod {
    readonly metadata: {
        readonly name: string;
        readonly namespace: string;
        readonly uid?: string;
        readonly labels?: Readonly<Record<string, string>>;
        readonly annotations?: Readonly<Record<string, string>>;
    };
    readonly spec: {
        readonly nodeName?: string;
        readonly serviceAccountName?: string;
        readonly containers: readonly PodContainer[];
        readonly initContainers?: readonly PodContainer[];
    };
    readonly status?: { readonly podIP?: string; readonly hostIP?: string };
}

/** Expands `$(VAR)` with `lookup`; `$$` is a literal `$`; unknown or unterminated references stay as written. */
export function expandReferences(input: string, lookup: (name: string) => string | undefined): string {
    let out = "";
    for (let i = 0; i < input.length; i++) {
        const c = input[i];
        if (c !== "$" || i + 1 >= input.length) {
            out += c;
            continue;
        }
        const next = input[i + 1];
        if (next === "$") {
            out += "$";
            i += 1;
        } else if (next === "(") {
            const close = input.indexOf(")", i + 2);
            if (close === -1) {
                out += "$(";
                i += 1;
            } else {
                const name = input.slice(i + 2, close);
                out += lookup(name) ?? `$(${name})`;
                i = close;
            }
        } else {
            out += `$${next}`;
            i += 1;
        }
    }
    return out;
}

/** The value of a downward-API `fieldRef` from the pod object; the paths the kubelet supports for env. */
export function fieldRefValue(pod: Pod, fieldPath: string): string {
    const keyed = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(fieldPath);
    if (keyed) return (keyed[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations)?.[keyed[2]] ?? "";
    const simple: Record<string, string | undefined> = {
        "metadata.name": pod.metadata.name,
        "metadata.namespace": pod.metadata.namespace,
        "metadata.uid": pod.metadata.uid,
        "spec.nodeName": pod.spec.nodeName,
        "spec.serviceAccountName": pod.spec.serviceAccountName,
        "status.podIP": pod.status?.podIP,
        "status.hostIP": pod.status?.hostIP,
    };
    if (!(fieldPath in simple)) throw new Error(`fieldRef ${fieldPath} is not supported by the lab runner`);
    const value = simple[fieldPath];
    if (value === undefined) throw new Error(`fieldRef ${fieldPath} is not set on pod ${pod.metadata.namespace}/${pod.metadata.name} yet`);
    return value;
}

/** The container's env, resolved and expanded in order, as name → value (later duplicates win, as in the kubelet). */
export function containerEnv(pod: Pod, container: PodContainer): Map<string, string> {
    const where = `pod ${pod.metadata.namespace}/${pod.metadata.name} container ${container.name}`;
    if ((container.envFrom ?? []).length > 0) throw new Error(`${where}: envFrom is not supported by the lab runner`);
    const env = new Map<string, string>();
    for (const variable of container.env ?? []) {
        if (variable.valueFrom) {
            const fieldPath = variable.valueFrom.fieldRef?.fieldPath;
            const source = Object.keys(variable.valueFrom).join(", ");
            if (!fieldPath) throw new Error(`${where}: env ${variable.name} comes from ${source}, which the lab runner does not resolve`);
            try {
                env.set(variable.name, fieldRefValue(pod, fieldPath));
            } catch (error) {
                throw new Error(`${where}: env ${variable.name}: ${(error as Error).message}`);
            }
        } else {
            env.set(variable.name, expandReferences(variable.value ?? "", (name) => env.get(name)));
        }
    }
    return env;
}
