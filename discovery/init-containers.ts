import type { V1Container } from "@kubernetes/client-node";
import { copiesSkywalkingAgent } from "../languages";

/** An initContainer that puts the SkyWalking agent into a volume the app container also mounts (skywalking-java's agent images are used this way). */
export interface AgentCopier {
    readonly name: string;
    readonly image?: string;
    readonly command?: string[];
    readonly args?: string[];
    /** Volumes the copier writes and the app container mounts, with the app's mount path (where a start script looks for the jar). */
    readonly sharedVolumes: readonly { volume: string; appMountPath: string }[];
}

export function findAgentCopiers(initContainers: readonly V1Container[], app: V1Container): AgentCopier[] {
    const appMounts = new Map((app.volumeMounts ?? []).map(mount => [mount.name, mount.mountPath]));
    return initContainers.filter(copiesSkywalkingAgent).map(init => ({
        name: init.name,
        image: init.image,
        command: init.command,
        args: init.args,
        sharedVolumes: (init.volumeMounts ?? [])
            .filter(mount => appMounts.has(mount.name))
            .map(mount => ({ volume: mount.name, appMountPath: appMounts.get(mount.name) as string })),
    }));
}

export function describeCopier(copier: AgentCopier, appContainer: string): string {
    const shared = copier.sharedVolumes.map(s => `volume ${s.volume} (mounted in ${appContainer} at ${s.appMountPath})`).join(", ");
    const where = shared === "" ? `but shares no volume with ${appContainer}` : `into ${shared}`;
    return `initContainer ${copier.name}${copier.image ? ` (image ${copier.image})` : ""} copies the SkyWalking agent ${where}`;
}
