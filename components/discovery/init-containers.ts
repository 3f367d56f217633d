import type { V1Container } from "@kubernetes/client-node";
import { SWCK_INIT_CONTAINER } from "./patterns";

/** An initContainer that puts the SkyWalking agent into a volume the app container also mounts (seeds 002, 003). */
export interface AgentCopier {
    readonly name: string;
    readonly image?: string;
    readonly command?: string[];
    readonly args?: string[];
    /** Volumes the copier writes and the app container mounts, with the app's mount path (where a start script looks for the jar). */
    readonly sharedVolumes: readonly { volume: string; appMountPath: string }[];
}

/** A command line that copies files; an initContainer without command or args copies with its image's entrypoint. */
const COPY_COMMAND = /(^|[\s;&|(])(cp|rsync|tar|mv|install|unzip)\s/;

/**
 * Whether an initContainer puts the SkyWalking agent somewhere: its name, image or command line is about
 * SkyWalking (e.g. `cp -r /skywalking/agent /agent`) and it copies. One whose copy was switched off
 * (skyshift's otel mode runs `echo …` instead) no longer counts.
 */
export function copiesSkywalkingAgent(init: V1Container): boolean {
    const commandLine = [...(init.command ?? []), ...(init.args ?? [])].join(" ");
    const aboutSkywalking = init.name === SWCK_INIT_CONTAINER || /skywalking/i.test(`${init.name} ${init.image ?? ""} ${commandLine}`);
    return aboutSkywalking && (commandLine === "" || COPY_COMMAND.test(`${commandLine} `));
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
