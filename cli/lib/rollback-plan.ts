import { appModeSchema, AppsConfig } from "../../config/apps";
import { AppMode } from "../../config/migration";
import { AppDecisions, modeOf, Selectors, selectorsSchema } from "../../config/modes";
import { nearest } from "../../config/problems";
import { CONFIG_NAMESPACE, decodeConfigValue } from "../../config/stack";
import { UsageError } from "./args";

/** One app's mode as the rollback will change it. */
export interface ModeChange {
    readonly key: string;
    readonly from: string;
    readonly to: string;
}

/** `--app ns/name …`: the apps must be in the inventory (`inventoryName` says which file), checked before anything runs. */
export function checkAppKeys(apps: AppsConfig, keys: readonly string[], inventoryName: string): void {
    const known = Object.keys(apps);
    for (const key of keys) {
        if (!(key in apps)) {
            const hint = nearest(key, known);
            throw new UsageError(`--app ${key} is not in ${inventoryName}${hint ? ` — did you mean ${hint}?` : ""} (run discover to add apps)`);
        }
    }
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
 * `--failed`: the apps the last update tried to move to otel or bridge (the modes whose flip the health gate
 * certifies) and that did not make it. They are read from
 * the engine's own records: the failed update's config (history) against the newest update that
 * succeeded says which apps it flipped; the state says whose health gate passed during it. The
 * AppFlip's gate (docs/migration.md) only changes state when the new pods soaked cleanly, so a flipped app
 * whose gate was not modified since the update started failed it. A workload patch left with
 * `initErrors` (its own await failed) counts too. Only apps still in that mode in the stack file are returned.
 */
export function failedApps(apps: AppsConfig, resources: readonly StateResource[], history: readonly UpdateRecord[]): { keys: string[]; reasons: Record<string, string> } {
    const reasons: Record<string, string> = {};
    const [last] = history;
    if (!last || last.result === "succeeded") return { keys: [], reasons };
    const lastGood = history.find(u => u.result === "succeeded");
    const keys = Object.keys(apps);
    const triedModes = modesAt(last, keys);
    const goodModes = lastGood ? modesAt(lastGood, keys) : {};
    const started = last.startTime.getTime();
    for (const [key, app] of Object.entries(apps)) {
        if (app.mode === AppMode.skywalking) continue;
        const patch = resources.find(r => WORKLOAD_PATCH.test(r.type) && workloadKey(r) === key);
        if (patch?.initErrors?.length) {
            reasons[key] = `${patch.type} failed: ${patch.initErrors[0]}`;
            continue;
        }
        const flipped = triedModes[key] === app.mode && (goodModes[key] ?? AppMode.skywalking) !== app.mode;
        if (!flipped) continue;
        const gate = resources.find(r => !WORKLOAD_PATCH.test(r.type) && (r.inputs?.app === key || r.outputs?.app === key));
        const passedDuringLast = gate?.outputs?.patchHash !== undefined && gate.modified !== undefined && Date.parse(gate.modified) >= started;
        if (!passedDuringLast) reasons[key] = `flipped to ${app.mode} by the ${last.result} update of ${last.startTime.toISOString()}; its health gate did not pass`;
    }
    return { keys: Object.keys(reasons).sort(), reasons };
}

/**
 * The modes an update's config gave the given apps: its per-app decisions (or, before the inventory file, its
 * full entries, which carry `mode` too), else its selectors, else skywalking.
 */
export function modesAt(update: UpdateRecord, keys: readonly string[]): Record<string, AppMode> {
    const { decisions, selectors } = decisionsAt(update);
    return Object.fromEntries(keys.map(key => [key, modeOf(key, decisions, selectors).mode]));
}

function decisionsAt(update: UpdateRecord): { decisions: AppDecisions; selectors: Selectors } {
    const value = (key: string) => {
        const entry = update.config[`${CONFIG_NAMESPACE}:${key}`];
        return entry ? entry.objectValue ?? decodeConfigValue(entry.value) : undefined;
    };
    const apps = (value("apps") ?? {}) as Record<string, { mode?: unknown }>;
    const decisions: Record<string, { mode: AppMode }> = {};
    for (const [key, app] of Object.entries(apps)) {
        const mode = appModeSchema.safeParse(app?.mode);
        if (mode.success) decisions[key] = { mode: mode.data };
    }
    const selectors = selectorsSchema.safeParse(value("selectors") ?? []);
    return { decisions, selectors: selectors.success ? selectors.data : [] };
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

/** One per-app decision in `skyshift:apps` as the rollback writes it (mode undefined: remove the decision). */
export interface DecisionChange {
    readonly key: string;
    readonly mode: AppMode | undefined;
}

/** What `--to` writes: per-app decisions, other keys, the mode each app ends up with, and secrets it cannot restore. */
export interface RestorePlan {
    readonly modes: ModeChange[];
    readonly decisions: DecisionChange[];
    readonly keys: KeyChange[];
    readonly secrets: string[];
}

/**
 * `--to`: the stack's `skyshift:` config as it was at that update. Per-app decisions get their old mode (or go, if
 * there was none; decisions for apps no longer in the inventory are not brought back), selectors and every other
 * key get their old value, or are removed if they were not set. `modes` says which apps that moves, with the
 * current inventory. Secret values are not restored: they are reported.
 */
export function planRestore(apps: AppsConfig, current: Readonly<Record<string, unknown>>, update: UpdateRecord): RestorePlan {
    const prefix = `${CONFIG_NAMESPACE}:`;
    const old: Record<string, unknown> = {};
    const secrets: string[] = [];
    for (const [key, entry] of Object.entries(update.config)) {
        if (!key.startsWith(prefix)) continue;
        if (entry.secret) secrets.push(key);
        else old[key.slice(prefix.length)] = entry.objectValue ?? decodeConfigValue(entry.value);
    }
    const oldModes = modesAt(update, Object.keys(apps));
    const modes = Object.entries(apps)
        .map(([key, app]) => ({ key, from: app.mode as string, to: oldModes[key] }))
        .filter(change => change.from !== change.to);
    const oldDecisions = decisionsAt(update).decisions;
    const currentDecisions = (current.apps ?? {}) as Record<string, { mode?: AppMode }>;
    const decisions = [...new Set([...Object.keys(currentDecisions), ...Object.keys(oldDecisions).filter(key => key in apps)])].sort()
        .map(key => ({ key, mode: oldDecisions[key]?.mode }))
        .filter(change => change.mode !== currentDecisions[change.key]?.mode);
    const keys: KeyChange[] = [];
    for (const key of new Set([...Object.keys(old), ...Object.keys(current)])) {
        if (key === "apps" || secrets.includes(`${prefix}${key}`)) continue;
        if (JSON.stringify(old[key]) !== JSON.stringify(current[key])) keys.push({ key, value: old[key] });
    }
    return { modes, decisions, keys, secrets };
}

/** How many apps an update had in otel, with the current inventory (for `--list`). */
export function otelCountAt(update: UpdateRecord, keys: readonly string[]): number {
    return Object.values(modesAt(update, keys)).filter(mode => mode === AppMode.otel).length;
}
