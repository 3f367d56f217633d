import * as fs from "fs";
import * as path from "path";
import type * as pulumiModule from "@pulumi/pulumi";
import { parse } from "yaml";



export const REPO_ROOT = path.resolve(__dirname, "../..");

/** One resource registration seen under Pulumi mocks. */
export interface Registration {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    /** Names of the resources this one was told to depend on (from the resource options). */
    readonly dependsOn: readonly string[];
    readonly parent?: string;
}

export interface ProgramRun {
    readonly registrations: readonly Registration[];
    readonly outputs: Record<string, unknown>;
    /** The registration with this type and name; throws listing what exists otherwise. */
    get(type: string, name: string): Registration;
    ofType(type: string): Registration[];
}

/** Reads `Pulumi.<stack>.yaml` and returns its config with the `skyshift:` keys as Pulumi hands them to the program. */
export function stackFileConfig(stackFile: string): Record<string, string> {
    const parsed = parse(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> };
    return encodeConfig(parsed.config ?? {});
}

/** Encodes config the way the engine passes it: objects as JSON text, scalars as strings. */
export function encodeConfig(config: Record<string, unknown>): Record<string, string> {
    const encoded: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        const fullKey = key.includes(":") ? key : `skyshift:${key}`;
        encoded[fullKey] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return encoded;
}

/**
 * Runs a module (the program, by default `index.ts`) under Pulumi mocks with the given config, in an isolated
 * module registry so every run gets a fresh Pulumi runtime. Resolves once registrations have settled.
 */
export async function runUnderMocks(config: Record<string, string>, modulePath = path.join(REPO_ROOT, "index.ts")): Promise<ProgramRun> {
    const registrations: Registration[] = [];
    let program: Record<string, unknown> = {};
    let programError: unknown;
    let pulumi!: typeof pulumiModule;
    await jestIsolated(async () => {
        pulumi = require("@pulumi/pulumi");
        await pulumi.runtime.setMocks({
            newResource: args => ({ id: `${args.name}-id`, state: { ...args.inputs } }),
            call: args => args.inputs,
        }, "skyshift", "unit", true, "organization");
        pulumi.runtime.setAllConfig(config);
        await pulumi.runtime.runInPulumiStack(async () => {
            // Legacy transformations run inside the SDK, so they see resource options (dependsOn) even under mocks.
            pulumi.runtime.registerStackTransformation(args => {
            const dependsOn = ([] as unknown[]).concat(args.opts.dependsOn ?? []) as pulumiModule.Resource[];
            registrations.push({
                type: args.type,
                name: args.name,
                inputs: args.props as Record<string, any>,
                dependsOn: dependsOn.map(resourceName),
                parent: args.opts.parent ? resourceName(args.opts.parent) : undefined,
            });
            return undefined;
            });
            // Thrown out of the stack callback, an error also rejects the Stack resource unobserved and kills jest.
            try {
                program = require(modulePath);
            } catch (error) {
                programError = error;
            }
        });
    });
    if (programError !== undefined) throw programError;
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(program)) {
        outputs[key] = pulumi.Output.isInstance(value) ? await promiseOf(value) : value;
    }
    const resolved = await Promise.all(registrations.map(async r => ({ ...r, inputs: await resolveDeep(pulumi, r.inputs) })));
    return {
        registrations: resolved,
        outputs,
        get(type, name) {
            const found = resolved.find(r => r.type === type && r.name === name);
            if (!found) throw new Error(`no ${type} named ${name}; registered: ${resolved.map(r => `${r.type}::${r.name}`).join(", ")}`);
            return found;
        },
        ofType: type => resolved.filter(r => r.type === type),
    };
}

/** The whole body, awaits included, loads modules from a fresh registry, so each run evaluates the program anew. */
function jestIsolated(body: () => Promise<void>): Promise<void> {
    return jest.isolateModulesAsync(body);
}

function resourceName(resource: pulumiModule.Resource): string {
    // The SDK keeps the logical name on a private field; it is stable across SDK 3.x.
    return (resource as unknown as { __name?: string }).__name ?? "<unknown>";
}

/** Stands for a value the engine only learns during an update (apply never runs on it in a preview). */
export const UNKNOWN = "<unknown>";

async function promiseOf<T>(output: pulumiModule.Output<T>): Promise<T | typeof UNKNOWN> {
    const known = await (output as unknown as { isKnown: Promise<boolean> }).isKnown;
    if (!known) return UNKNOWN;
    return new Promise(resolve => output.apply(value => { resolve(value); return value; }));
}

/** Resolves Outputs and promises nested anywhere in resource inputs. */
async function resolveDeep(pulumi: typeof pulumiModule, value: unknown): Promise<any> {
    if (pulumi.Output.isInstance(value)) return resolveDeep(pulumi, await promiseOf(value));
    if (value instanceof Promise) return resolveDeep(pulumi, await value);
    if (Array.isArray(value)) return Promise.all(value.map(v => resolveDeep(pulumi, v)));
    if (value && typeof value === "object" && !pulumi.Resource.isInstance(value)) {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveDeep(pulumi, v)] as const));
        return Object.fromEntries(entries);
    }
    return value;
}
