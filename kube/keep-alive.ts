/**
 * Connection reuse for the cluster client. client-node's `KubeConfig.applyToHTTPSOptions` builds a new agent for
 * every request (`createAgent` in `@kubernetes/client-node/dist/config.js`), so every call opened a TCP
 * connection and made a TLS handshake (a client certificate's included) on both ends. At fleet size one
 * `pulumi up` makes a call per app from one provider process; the profile showed the handshakes' certificate
 * loading and connects among its largest items (docs/fleet-scale.md). This keeps one keep-alive agent per server
 * and TLS identity in a cache the caller owns (one per `KubeAccess`: module state would be copied, not shared,
 * by Pulumi's closure serializer). Idle sockets are unref'd by Node's agent, so they never keep a command from
 * exiting.
 */
import { createHash } from "crypto";
import * as http from "http";
import * as https from "https";

/**
 * The shared keep-alive agent for requests that `agent` (client-node's per-request agent) would have served:
 * same server, same TLS options. Proxy agents (another class) are returned as they are.
 */
export function keepAliveAgent(agents: Map<string, http.Agent>, server: string, agent: http.Agent | undefined): http.Agent | undefined {
    const kind = agent?.constructor;
    if (!agent || (kind !== https.Agent && kind !== http.Agent)) return agent;
    const options = (agent as http.Agent & { options: Record<string, unknown> }).options;
    const key = identity(server, kind === https.Agent, options);
    let shared = agents.get(key);
    if (!shared) {
        const settings = { ...options, keepAlive: true };
        agents.set(key, shared = kind === https.Agent ? new https.Agent(settings) : new http.Agent(settings));
    }
    return shared;
}

/** A digest of the server and every option that shapes a connection (certificates, keys, verification). */
function identity(server: string, tls: boolean, options: Record<string, unknown>): string {
    const hash = createHash("sha256").update(`${tls ? "https" : "http"} ${server}`);
    for (const name of Object.keys(options).sort()) {
        const value = options[name];
        hash.update(`\n${name}=`).update(Buffer.isBuffer(value) ? value.toString("base64") : JSON.stringify(value) ?? "undefined");
    }
    return hash.digest("hex");
}
