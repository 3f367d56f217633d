import { ContainerFindings } from "./container";
import { IdentityField } from "./patterns";

export type Identity = Partial<Record<IdentityField, string>>;

/**
 * SkyWalking's own precedence: agent options and `-D` properties over `SW_*` env over the agent.config
 * default. SWCK turns its annotation into an agent option, so it sits between the env and the flags.
 */
export function resolveIdentity(findings: ContainerFindings, swckServiceName: string | undefined): Identity {
    const fromFlags = [
        ...findings.jvmEnv.map(e => e.flags.identity),
        ...findings.unknownEnvWithFlags.map(e => e.flags.identity),
        findings.command?.identity ?? {},
        findings.args?.identity ?? {},
    ];
    return Object.assign({}, findings.envIdentity, swckServiceName ? { serviceName: swckServiceName } : {}, ...fromFlags) as Identity;
}
