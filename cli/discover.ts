import { AGENT_FLAGS, DEFAULT_SIDECAR_NAMES, Detection, DiscoveredApp, detectWorkload, Verdict } from "../discovery";
import { modeOf } from "../config/modes";
import { positiveInteger, startCommand, UsageError } from "./lib/args";
import { ClusterReader, listWorkloads } from "./lib/cluster";
import { resolveFleet } from "./lib/fleet";
import { mergeInventory, MergeReport } from "./lib/inventory";
import { inventoryFilePath, readInventoryFile } from "./lib/inventory-file";
import { CommandIO, formatTable, processIO, runMain } from "./lib/io";
import { connectCluster, KubeTarget } from "./lib/kube";
import { readStackFile, stackFilePath } from "./lib/stack-file";
import { writeYamlFile } from "./lib/yaml-file";

export const DISCOVER_USAGE = `usage: npm run discover -- --stack STACK [--context C] [--kubeconfig F] [--namespace N …]
                           [--jvm-env NAME …] [--sidecar NAME …] [--page-size 500] [--dir .] [--dry-run]
                           [${AGENT_FLAGS.skywalking} PATH-OR-GLOB …] [${AGENT_FLAGS.notSkywalking} PATH-OR-GLOB …]
Reads Deployments and StatefulSets (read-only), finds SkyWalking agents and writes what it learns into the
stack's inventory file, skyshift.<STACK>.inventory.yaml (or the stack's skyshift:inventory). Existing entries
keep every key already written. Modes are decisions in Pulumi.<STACK>.yaml: discovery never writes them.
An agent whose path does not say whether it is SkyWalking is reported as a manual step and recorded as
unresolved (the app cannot be flipped); ${AGENT_FLAGS.skywalking} / ${AGENT_FLAGS.notSkywalking} decide it
(\`*\` matches within a path segment, \`**\` across segments).`;

const DEFAULT_PAGE_SIZE = 500;

export interface DiscoverDeps {
    readonly io: CommandIO;
    readonly connect: (target: KubeTarget) => Promise<ClusterReader>;
    /** For the missing-app marker; injected so tests are stable. */
    readonly today: () => string;
}

export async function runDiscover(argv: readonly string[], deps: DiscoverDeps): Promise<number> {
    const start = startCommand(argv, {
        context: { type: "string" },
        kubeconfig: { type: "string" },
        namespace: { type: "string", multiple: true },
        "jvm-env": { type: "string", multiple: true },
        sidecar: { type: "string", multiple: true },
        "skywalking-agent": { type: "string", multiple: true },
        "not-skywalking-agent": { type: "string", multiple: true },
        "page-size": { type: "string" },
        "dry-run": { type: "boolean" },
    }, DISCOVER_USAGE, deps.io);
    if (!start) return 0;
    const { flags, stack, projectDir } = start;
    const pageSize = positiveInteger(flags["page-size"], "--page-size", DEFAULT_PAGE_SIZE);
    const skywalkingAgents = flags["skywalking-agent"] ?? [];
    const notSkywalkingAgents = flags["not-skywalking-agent"] ?? [];
    const both = skywalkingAgents.filter(glob => notSkywalkingAgents.includes(glob));
    if (both.length > 0) throw new UsageError(`${both.join(", ")}: given to both ${AGENT_FLAGS.skywalking} and ${AGENT_FLAGS.notSkywalking} — keep the one that is true`);
    // The stack file may not exist yet (a new stack): its decisions are then empty. Discovery only reads it.
    const stackFile = readStackFile(stackFilePath(projectDir, stack));
    const fleet = resolveFleet(stackFile, projectDir, stack, { allowUnknownDecisions: true });
    const file = readInventoryFile(inventoryFilePath(projectDir, stack, stackFile).path);
    const reader = await deps.connect({ kubeconfig: flags.kubeconfig, context: flags.context });
    deps.io.err(`reading ${reader.describe}`);
    const listed = await listWorkloads(reader, flags.namespace, pageSize, deps.io.err);
    const options = {
        optionEnvNames: flags["jvm-env"] ?? [],
        sidecarNames: [...DEFAULT_SIDECAR_NAMES, ...(flags.sidecar ?? [])],
        skywalkingAgents,
        notSkywalkingAgents,
    };
    const detections = listed.map(({ kind, workload }) => detectWorkload(kind, workload, options))
        .sort((a, b) => a.key.localeCompare(b.key));
    const discovered = new Map<string, DiscoveredApp>();
    for (const d of detections) if (d.verdict === Verdict.skywalking) discovered.set(d.key, d.app);
    const report = mergeInventory(file, {
        discovered,
        present: new Set(detections.map(d => d.key)),
        namespaces: flags.namespace,
        stamp: `${deps.today()}, ${reader.describe}`,
        modeOf: key => modeOf(key, fleet.decisions, fleet.selectors).mode,
    });
    printDetections(deps.io, detections);
    printMerge(deps.io, report, file.path);
    if (flags["dry-run"]) {
        deps.io.out(`--dry-run: ${file.path} left unchanged`);
    } else {
        writeYamlFile(file);
        deps.io.out(`wrote ${file.path} — review and commit it, then flip apps with: pulumi config set --path 'apps["ns/name"].mode' otel ` +
            "(or by namespace with skyshift:selectors, see docs/workflow.md)");
    }
    return 0;
}

function printDetections(io: CommandIO, detections: readonly Detection[]): void {
    const skywalking = detections.filter(d => d.verdict === Verdict.skywalking);
    const rows = skywalking.map(d => [d.namespace, d.name, d.kind, d.app.language, d.app.evidence.filter(e => !e.startsWith("manual step")).join("; ")]);
    for (const line of formatTable(["NAMESPACE", "APP", "KIND", "LANGUAGE", "EVIDENCE"], rows)) io.out(line);
    const count = (verdict: Verdict) => detections.filter(d => d.verdict === verdict).length;
    io.out("");
    io.out(`${detections.length} workloads: ${count(Verdict.skywalking)} SkyWalking, ${count(Verdict.otel)} already OpenTelemetry, ` +
        `${count(Verdict.none)} without an agent, ${count(Verdict.skipped)} skipped`);
    const rebuild = skywalking.filter(d => d.app.rebuildImage).map(d => d.key);
    if (rebuild.length > 0) io.out(`image rebuild needed (the image itself loads the agent): ${rebuild.join(", ")}`);
    for (const d of skywalking) for (const step of d.manualSteps) io.out(`manual step for ${d.key}: ${step}`);
    for (const d of detections) {
        if (d.verdict === Verdict.skipped) io.err(`skipped ${d.key}: ${d.reason}`);
        if (d.verdict === Verdict.none) for (const note of d.notes) io.out(`note for ${d.key}: ${note}`);
    }
}

function printMerge(io: CommandIO, report: MergeReport, file: string): void {
    io.out("");
    io.out(`${file}: ${report.added.length} added, ${report.completed.length} completed, ` +
        `${report.migrated.length} already otel or bridge (left as written), ${report.missing.length} not found`);
    for (const key of report.added) io.out(`  added ${key}`);
    for (const { key, keys } of report.completed) io.out(`  completed ${key}: added ${keys.join(", ")}`);
    for (const { key, keys } of report.differs) {
        io.out(`  kept ${key} as written, though the cluster now differs in: ${keys.join(", ")} — delete those keys and rerun to take the live values`);
    }
    for (const key of report.missing) io.out(`  NOT FOUND ${key}: kept and marked with a comment — delete the entry if the app is gone for good`);
}

if (require.main === module) {
    runMain(() => runDiscover(process.argv.slice(2), {
        io: processIO,
        connect: connectCluster,
        today: () => new Date().toISOString().slice(0, 10),
    }), DISCOVER_USAGE);
}
