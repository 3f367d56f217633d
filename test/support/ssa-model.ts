/**
 * A model of Server-Side Apply for the pod-template fields skyshift's workload patches name, for unit tests of flip
 * sequences. It takes the strict view of a forced apply: the manager owns every field it ever sent, so a field it
 * stops sending is deleted (Kubernetes docs, "Server-Side Apply": a field an applier removes from its config is
 * removed when no other manager owns it). Containers and env vars merge by `name`, as their list-map keys say.
 * The lab e2e tests prove the same sequences on the real API server.
 */
import type { V1Container, V1EnvVar, V1PodTemplateSpec } from "@kubernetes/client-node";

type Body = Record<string, unknown>;
type Field = { readonly path: string; readonly value: unknown };

/** The template a body is applied to after `previous` (the last body the same manager sent; undefined: none yet). */
export function applyBody(live: V1PodTemplateSpec, previous: Body | undefined, body: Body): V1PodTemplateSpec {
    const next = structuredClone(live);
    const wanted = fieldsOf(body);
    const stopped = previous ? fieldsOf(previous).filter(old => !wanted.some(field => field.path === old.path)) : [];
    for (const field of stopped) remove(next, field.path);
    for (const field of wanted) set(next, field.path, field.value);
    return normalized(next);
}

/** Drops empty maps and lists and `undefined`s, as the API server returns objects. */
export function normalized<T>(value: T): T {
    const clean = (v: unknown): unknown => {
        if (Array.isArray(v)) return v.map(clean);
        if (v === null || typeof v !== "object") return v;
        const entries = Object.entries(v).map(([k, inner]) => [k, clean(inner)] as const)
            .filter(([, inner]) => inner !== undefined && !(typeof inner === "object" && inner !== null && Object.keys(inner).length === 0));
        return Object.fromEntries(entries);
    };
    return clean(value) as T;
}

function fieldsOf(body: Body): Field[] {
    const template = (body.spec as { template: { metadata?: { annotations?: Record<string, string>; labels?: Record<string, string> }; spec: { containers: V1Container[]; initContainers?: V1Container[] } } }).template;
    const fields: Field[] = [];
    for (const [key, value] of Object.entries(template.metadata?.annotations ?? {})) fields.push({ path: `annotation\u0000${key}`, value });
    for (const [key, value] of Object.entries(template.metadata?.labels ?? {})) fields.push({ path: `label\u0000${key}`, value });
    for (const [list, containers] of [["containers", template.spec.containers], ["initContainers", template.spec.initContainers ?? []]] as const) {
        for (const container of containers) {
            for (const variable of container.env ?? []) fields.push({ path: `${list}\u0000${container.name}\u0000env\u0000${variable.name}`, value: variable.value });
            for (const key of ["command", "args", "image"] as const) {
                if (container[key] !== undefined) fields.push({ path: `${list}\u0000${container.name}\u0000${key}`, value: container[key] });
            }
        }
    }
    return fields;
}

function set(template: V1PodTemplateSpec, path: string, value: unknown): void {
    const [kind, a, b, c] = path.split("\u0000");
    if (kind === "annotation" || kind === "label") {
        template.metadata ??= {};
        const map = kind === "annotation" ? (template.metadata.annotations ??= {}) : (template.metadata.labels ??= {});
        map[a] = value as string;
        return;
    }
    const container = containerOf(template, kind, a);
    if (b === "env") {
        container.env ??= [];
        const variable = container.env.find(v => v.name === c);
        if (variable) Object.assign(variable, { value, valueFrom: undefined });
        else container.env.push({ name: c, value } as V1EnvVar);
        return;
    }
    (container as unknown as Record<string, unknown>)[b] = value;
}

function remove(template: V1PodTemplateSpec, path: string): void {
    const [kind, a, b, c] = path.split("\u0000");
    if (kind === "annotation") return void delete template.metadata?.annotations?.[a];
    if (kind === "label") return void delete template.metadata?.labels?.[a];
    const container = containerOf(template, kind, a);
    if (b === "env") container.env = (container.env ?? []).filter(v => v.name !== c);
    else delete (container as unknown as Record<string, unknown>)[b];
}

function containerOf(template: V1PodTemplateSpec, list: string, name: string): V1Container {
    const containers = list === "containers" ? template.spec?.containers : template.spec?.initContainers;
    const container = containers?.find(c => c.name === name);
    if (!container) throw new Error(`the model's template has no ${list} entry ${name}: skyshift patches only containers that exist`);
    return container;
}
