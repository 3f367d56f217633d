import { AppConfig, AppMode, splitAppKey } from "../../config";
import { BACKEND_ADDRESS_ENV, BackendSource, bridgedContainer, BridgedValues, LANGUAGES, rewriteContainer, SWCK_INJECT_LABEL } from "../../languages";
import { otelIdentityEnv } from "./otel-identity";

/**
 * The initContainer command in otel mode: it copies nothing, so the image's start script finds no
 * SkyWalking jar in the shared volume and starts without it (the start-script pattern: load the agent only when its jar exists). `/bin/sh` is in every agent image
 * the seeds show; the message tells whoever reads the pod's logs why the copy is gone.
 */
export const DISABLED_AGENT_COPY = {
    command: ["/bin/sh", "-c"],
    args: ["echo 'skyshift: SkyWalking agent copy disabled (otel mode)'"],
} as const;

export interface WorkloadPatchInput {
    /** `namespace/workload`, the app's key in stack config. */
    readonly key: string;
    /** The app, already checked by appFlipProblems. */
    readonly app: AppConfig;
    /** `namespace/name` of the Instrumentation the inject annotation points at. */
    readonly instrumentationRef: string;
    /** The rebuilt image for `rebuildImage` apps in otel mode. */
    readonly image?: string;
    /** `host:port` of the collector's `skywalking` receiver, where bridge mode points the agent. */
    readonly skywalkingReceiverAddress?: string;
}

type Env = { name: string; value: string };
type Container = { name: string; env?: Env[]; command?: string[]; args?: string[]; image?: string };

/**
 * The Server-Side Apply body for the app's Deployment/StatefulSet: only the fields skyshift owns. In skywalking
 * mode every owned field carries its original value; in bridge mode too, except the one backend address, pointed at
 * the collector's `skywalking` receiver. Fields that exist only in otel or bridge mode (the operator annotations,
 * OTEL_* env, an initContainer command that was unset, a backend env var the app did not set) are left out, and
 * Server-Side Apply removes a field its sole manager stops sending: that removal is the restore, since those fields
 * did not exist before the flip. The apply forces, so skyshift is the sole manager of what it sends and a flip back cannot leave a
 * stale value behind.
 */
export function workloadPatch(input: WorkloadPatchInput): Record<string, unknown> {
    const { app } = input;
    const otel = app.mode === AppMode.otel;
    const { namespace, name } = splitAppKey(input.key);
    const container = appContainer(input, otel);
    const template: Record<string, unknown> = { spec: podSpec(app, container, otel) };
    const injection = LANGUAGES[app.language].otel;
    const annotations = otel
        ? { [injection.annotation]: input.instrumentationRef, [injection.containerNamesAnnotation]: container.name }
        : undefined;
    const labels = app.agentIn.swck ? { [SWCK_INJECT_LABEL]: otel ? "false" : "true" } : undefined;
    if (annotations || labels) template.metadata = { ...(annotations && { annotations }), ...(labels && { labels }) };
    return { apiVersion: "apps/v1", kind: app.kind, metadata: { name, namespace }, spec: { template } };
}

function appContainer(input: WorkloadPatchInput, otel: boolean): Container {
    const { app } = input;
    const rewritten = rewriteContainer(app);
    const bridged = app.mode === AppMode.bridge ? bridgedContainer(app, receiverAddress(input)) : undefined;
    const container: Container = { name: app.container ?? "" };
    const env = rewritten.env.map(v => ({ name: v.name, value: otel ? v.otel : bridged?.env.get(v.name) ?? v.original }));
    env.push(...backendEnv(input, bridged, env.map(v => v.name)));
    if (otel) env.push(...otelIdentityEnv(app));
    if (env.length > 0) container.env = env;
    if (rewritten.command) container.command = [...(otel ? rewritten.command.otel : bridged?.command ?? rewritten.command.original)];
    if (rewritten.args) container.args = [...(otel ? rewritten.args.otel : bridged?.args ?? rewritten.args.original)];
    if (app.rebuildImage) {
        if (otel && !input.image) throw new Error(`${input.key}: rebuildImage is true but no rebuilt image was handed to the flip — pass AppMigrationArgs.image`);
        container.image = otel ? input.image : app.original.image;
    }
    return container;
}

function receiverAddress(input: WorkloadPatchInput): string {
    if (input.skywalkingReceiverAddress) return input.skywalkingReceiverAddress;
    throw new Error(`${input.key}: mode bridge but no skywalking receiver address was handed to the flip — set collector.skywalkingReceiver`);
}

/**
 * `SW_AGENT_COLLECTOR_BACKEND_SERVICES` when it is the app's backend setting: owned in every mode (its original value
 * outside bridge), so leaving bridge restores it; or, in bridge mode only, added when the app set the address nowhere.
 */
function backendEnv(input: WorkloadPatchInput, bridged: BridgedValues | undefined, owned: readonly string[]): Env[] {
    const location = input.app.backendAddress;
    if (bridged?.added) return [{ ...bridged.added }];
    if (location?.source !== BackendSource.env || location.valueFrom || owned.includes(BACKEND_ADDRESS_ENV)) return [];
    return [{ name: BACKEND_ADDRESS_ENV, value: bridged?.env.get(BACKEND_ADDRESS_ENV) ?? location.value ?? "" }];
}

function podSpec(app: AppConfig, container: Container, otel: boolean): Record<string, unknown> {
    const spec: Record<string, unknown> = { containers: [container] };
    const initName = app.agentIn.initContainer;
    if (initName === undefined) return spec;
    const init: Container = { name: initName };
    const command = otel ? DISABLED_AGENT_COPY.command : app.original.initContainerCommand;
    const args = otel ? DISABLED_AGENT_COPY.args : app.original.initContainerArgs;
    if (command) init.command = [...command];
    if (args) init.args = [...args];
    spec.initContainers = [init];
    return spec;
}
