import type { AppsConfig } from "../../config/apps";
import { AppMode } from "../../config/migration";
import { nearest } from "../../config/problems";
import { CONFIG_NAMESPACE } from "../../config/stack";
import { UsageError } from "./args";
import { APPS_KEY } from "./stack-file";

/** One app's mode as the rollback will write it. */
export interface ModeChange {
    readonly key: string;
    readonly from: string;
    readonly to: string;
}

/** `--app ns/name …`: those apps back to skywalking. Unknown keys are a usage error naming the nearest known one. */
export function planAppRollback(apps: AppsConfig, keys: readonly string[]): ModeChange[] {
    const known = Object.keys(apps);
    for (const key of keys) {
        if (!(key in apps)) {
            const hint = nearest(key, known);
            throw new UsageError(`--app ${key} is not in ${APPS_KEY}${hint ? ` — did you mean ${hint}?` : ""} (run discover to add apps)`);
        }
    }
    return toSkywalking(apps, keys);
}

/** The given apps back to skywalking; those already there need no change. */
export function toSkywalking(apps: AppsConfig, keys: readonly string[]): ModeChange[] {
    return [...new Set(keys)].filter(key => apps[key].mode !== AppMode.skywalking)
        .map(key => ({ key, from: apps[key].mode, to: AppMode.skywalking }));
}

/** The part of a `pulumi stack export` resource this command reads. */
export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly inputs?: Record<string, unknown>;
    readonly outputs?: Record<string, unknown>;
    readonly initErrors?: readonly string[];
    /** When the engine last changed the resource (RFC 3339); absent in old checkpoints. */
    readonly modified?: string;
}

const WORKLOAD_PATCH = /:(Deployment|StatefulSet)Patch$/;

/**
 * `--failed`: the apps the last update tried to move to otel and that did not make it. They are read from
 * the engine's own records: the failed update's config (history) against the newest update that
 * succeeded says which apps it flipped; the state says whose health gate passed during it. The
 * RolloutGate (docs/migration.md) only changes state when the new pods soaked cleanly, so a flipped app
 * whose gate was not modified since the update started failed it. A workload patch left with
 * `initErrors` (its own await failed) counts too. Only apps still in otel in the stack file are returned.
 */
export function failedApps(apps: AppsConfig, resources: readonly StateResource[], history: readonly UpdateRecord[]): { keys: string[]; reasons: Record<string, string> } {
    const reasons: Record<string, string> = {};
    const [last] = history;
    if (!last || last.result === "succeeded") return { keys: [], reasons };
    const lastGood = history.find(u => u.result === "succeeded");
    const triedModes = modesIn(last);
    const goodModes = lastGood ? modesIn(lastGood) : {};
    const started = last.startTime.getTime();
    for (const [key, app] of Object.entries(apps)) {
        if (app.mode !== AppMode.otel) continue;
        const patch = resources.find(r => WORKLOAD_PATCH.test(r.type) && workloadKey(r) === key);
        if (patch?.initErrors?.length) {
            reasons[key] = `${patch.type} failed: ${patch.initErrors[0]}`;
            continue;
        }
        const flipped = triedModes[key] === AppMode.otel && (goodModes[key] ?? AppMode.skywalking) !== AppMode.otel;
        if (!flipped) continue;
        const gate = resources.find(r => !WORKLOAD_PATCH.test(r.type) && (r.inputs?.app === key || r.outputs?.app === key));
        const passedDuringLast = gate?.outputs?.patchHash !== undefined && gate.modified !== undefined && Date.parse(gate.modified) >= started;
        if (!passedDuringLast) reasons[key] = `flipped to otel by the ${last.result} update of ${last.startTime.toISOString()}; its health gate did not pass`;
    }
    const keys = Object.keys(reasons).sort();
    return { keys, reasons };
}

function modesIn(update: UpdateRecord): Record<string, string | undefined> {
    const entry = update.config[APPS_KEY];
    const apps = (entry?.objectValue ?? (entry ? decode(entry.value) : {})) as Record<string, { mode?: string }>;
    return Object.fromEntries(Object.entries(apps ?? {}).map(([key, app]) => [key, app?.mode]));
}

function workloadKey(resource: StateResource): string | undefined {
    const metadata = (resource.inputs?.metadata ?? resource.outputs?.metadata) as { namespace?: string; name?: string } | undefined;
    return metadata?.namespace && metadata.name ? `${metadata.namespace}/${metadata.name}` : undefined;
}

/** The part of `stack history` entries this command reads (Automation API `UpdateSummary`). */
export interface UpdateRecord {
    readonly version: number;
    readonly result: string;
    readonly startTime: Date;
    readonly config: Readonly<Record<string, { value: string; objectValue?: unknown; secret?: boolean }>>;
}

/**
 * Picks an update from history (newest first): `@N` is the N-th most recent (`@1` the last), `last-good`
 * the newest that succeeded, a number its version. The file backend numbers every update 0, so there only
 * `@N` and `last-good` can tell updates apart.
 */
export function pickUpdate(history: readonly UpdateRecord[], selector: string): { update: UpdateRecord; label: string } {
    if (history.length === 0) throw new UsageError("--to: the stack has no updates yet — there is nothing to go back to");
    if (selector === "last-good") {
        const update = history.find(u => u.result === "succeeded");
        if (!update) throw new UsageError("--to last-good: no update of this stack succeeded — roll back apps with --app instead");
        return { update, label: `the last good update (@${history.indexOf(update) + 1}, ${update.startTime.toISOString()})` };
    }
    const position = /^@(\d+)$/.exec(selector);
    if (position) {
        const index = Number(position[1]) - 1;
        if (index < 0 || index >= history.length) throw new UsageError(`--to ${selector}: the stack has ${history.length} updates — use @1 … @${history.length}`);
        return { update: history[index], label: `update ${selector} (${history[index].startTime.toISOString()}, ${history[index].result})` };
    }
    if (!/^\d+$/.test(selector)) throw new UsageError(`--to ${JSON.stringify(selector)} is not an update — use a version number, @N (N-th most recent) or last-good`);
    const matches = history.filter(u => u.version === Number(selector));
    if (matches.length === 0) throw new UsageError(`--to ${selector}: no update with that version — versions here: ${[...new Set(history.map(u => u.version))].join(", ")}`);
    if (matches.length > 1) {
        throw new UsageError(`--to ${selector}: ${matches.length} updates carry version ${selector} (the file backend numbers every update 0) — pick by position instead, e.g. --to @2 (see --list)`);
    }
    return { update: matches[0], label: `update version ${selector} (${matches[0].startTime.toISOString()}, ${matches[0].result})` };
}

/** A `skyshift:*` key other than apps, as the restore will write it (undefined: remove it). */
export interface KeyChange {
    readonly key: string;
    readonly value: unknown;
}

/**
 * `--to`: the stack's `skyshift:` config as it was at that update. Apps get their mode back (apps that
 * were not in the inventory then go back to skywalking, their state before skyshift); other keys get their
 * old value, or are removed if they were not set. Secret values are not restored: they are reported.
 */
export function planRestore(apps: AppsConfig, current: Readonly<Record<string, unknown>>, update: UpdateRecord): { modes: ModeChange[]; keys: KeyChange[]; secrets: string[] } {
    const prefix = `${CONFIG_NAMESPACE}:`;
    const old: Record<string, unknown> = {};
    const secrets: string[] = [];
    for (const [key, entry] of Object.entries(update.config)) {
        if (!key.startsWith(prefix)) continue;
        if (entry.secret) secrets.push(key);
        else old[key.slice(prefix.length)] = entry.objectValue ?? decode(entry.value);
    }
    const oldApps = (old.apps ?? {}) as Record<string, { mode?: string }>;
    const modes = Object.entries(apps)
        .map(([key, app]) => ({ key, from: app.mode as string, to: oldApps[key]?.mode ?? AppMode.skywalking }))
        .filter(change => change.from !== change.to);
    const keys: KeyChange[] = [];
    for (const key of new Set([...Object.keys(old), ...Object.keys(current)])) {
        if (key === "apps" || secrets.includes(`${prefix}${key}`)) continue;
        if (JSON.stringify(old[key]) !== JSON.stringify(current[key])) keys.push({ key, value: old[key] });
    }
    return { modes, keys, secrets };
}

function decode(value: string): unknown {
    try {
        return JSON.parse(value);
    } catch {
        return value;
    }
}
