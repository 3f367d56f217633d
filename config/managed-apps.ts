import { appFlipProblems } from "./apps";
import { imageRebuildProblems, ImageRebuildConfig, rebuildNeeds } from "./image-rebuild";
import type { InstrumentationConfig } from "./instrumentation";
import { AppMode } from "./migration";
import type { ResolvedApp } from "./modes";
import { ConfigWarning, formatPath } from "./problems";

/** The sections an app's problems are read against. */
export interface AppSections {
    readonly imageRebuild: ImageRebuildConfig;
    readonly instrumentation: InstrumentationConfig;
}

export interface ManagedApps {
    /** Apps the program declares: every otel and bridge app (all problem-free, else `problems` says why) and the clean skywalking ones. */
    readonly apps: Record<string, ResolvedApp>;
    /** Problems of apps in otel or bridge mode and of the sections they need: they fail the config check. */
    readonly problems: string[];
    /** Apps in skywalking mode left out of this update because of their own problems, each with its fix. */
    readonly warnings: ConfigWarning[];
}

/**
 * One app never blocks the fleet: a problem that belongs to one app (a missing container or original value, a
 * rebuild it cannot get) fails only an update that has that app in otel or bridge mode. An app in skywalking mode with a
 * problem is left out (its workload runs as it is) and reported with the fix; the other apps go ahead.
 * `where` names the inventory file in problems about its fields.
 */
export function managedApps(apps: Readonly<Record<string, ResolvedApp>>, sections: AppSections, where: string): ManagedApps {
    const managed: Record<string, ResolvedApp> = {};
    const problems: string[] = [];
    const warnings: ConfigWarning[] = [];
    for (const [key, app] of Object.entries(apps)) {
        const flip = appFlipProblems(key, app, where);
        if (app.mode !== AppMode.skywalking) {
            problems.push(...flip);
            managed[key] = app;
            continue;
        }
        const own = [...flip, ...rebuildNeeds(key, app, sections.imageRebuild, sections.instrumentation, where)];
        if (own.length === 0) {
            managed[key] = app;
            continue;
        }
        warnings.push({
            path: formatPath(["apps", key]),
            message: `left out of this update (its workload stays as it runs, in skywalking mode) until fixed; flipping it to otel fails until then:\n` +
                own.map(problem => `      - ${problem}`).join("\n"),
        });
    }
    problems.push(...imageRebuildProblems(sections.imageRebuild, sections.instrumentation, apps, where));
    return { apps: managed, problems, warnings };
}
