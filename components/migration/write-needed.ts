/**
 * Whether a skywalking-mode apply would change anything on the cluster. Adopting a fleet right after discovery
 * applies, for every app, the values its workload already has: a Server-Side Apply that writes nothing but
 * `managedFields` (a new resourceVersion, a watch event to every controller) per app. When the live owned fields
 * already equal the body *and* skyshift's field manager owns nothing on the object, that apply would change no
 * value and remove no field (Server-Side Apply removes only fields the applying manager owned before:
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/#field-management), so it can be skipped.
 *
 * What skipping gives up, and why that holds: skyshift is not yet a co-owner of those fields. Nothing skyshift
 * does relies on that: the first flip applies with `force`, which takes every field it sends from any other
 * manager, and the flip back then removes exactly what that flip added, because skyshift is their only manager.
 * A manager that owns fields on the object (a flip the state lost, an adoption by an older skyshift) always
 * applies: its apply may remove fields, which the projection of the live object cannot show.
 */
import { projectOwned } from "./owned-projection";

type Json = Record<string, unknown>;

/** One `metadata.managedFields` entry, as the API server returns it. */
interface ManagedFieldsEntry {
    readonly manager?: string;
    readonly operation?: string;
}

/** True when `fieldManager` has applied to `live` before, so an apply may remove fields the body no longer names. */
export function ownsFields(live: Json, fieldManager: string): boolean {
    const entries = (live.metadata as { managedFields?: ManagedFieldsEntry[] } | undefined)?.managedFields ?? [];
    return entries.some(entry => entry.manager === fieldManager && entry.operation === "Apply");
}

/** True unless applying `body` as `fieldManager` to `live` would leave every value as it is (see above). */
export function writeNeeded(live: Json, body: Json, fieldManager: string): boolean {
    return ownsFields(live, fieldManager) || !sameJson(projectOwned(live, body), body);
}

/** Deep equality of JSON values regardless of key order. */
export function sameJson(a: unknown, b: unknown): boolean {
    return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(canonical);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(Object.keys(value).sort().map(key => [key, canonical((value as Json)[key])]));
}
