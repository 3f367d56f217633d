import * as net from "net";

/**
 * The proxy a request to `server` goes through when the kubeconfig's cluster has no `proxy-url`, chosen as
 * client-go chooses it (Go's `http.ProxyFromEnvironment`, golang.org/x/net/http/httpproxy): `HTTPS_PROXY` for
 * https servers and `HTTP_PROXY` for http ones (upper case first, then lower case); none for `localhost` and
 * loopback addresses; none when `NO_PROXY` lists the host. `@kubernetes/client-node` 1.4.0 reads only the
 * kubeconfig's `proxy-url` (its `KubeConfig.createAgent`), so skyshift fills that in from the environment.
 */
export function proxyFromEnvironment(server: string, env: Readonly<Record<string, string | undefined>>): string | undefined {
    const url = new URL(server);
    const https = url.protocol === "https:";
    const proxy = https ? env.HTTPS_PROXY || env.https_proxy : env.HTTP_PROXY || env.http_proxy;
    if (!proxy) return undefined;
    const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
    if (host === "localhost" || isLoopback(host)) return undefined;
    const port = url.port || (https ? "443" : "80");
    const noProxy = (env.NO_PROXY ?? env.no_proxy ?? "").split(",").map(entry => entry.trim().toLowerCase()).filter(Boolean);
    if (noProxy.some(entry => noProxyMatches(entry, host, port))) return undefined;
    // Go accepts a bare host:port and means http://host:port.
    return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}

function isLoopback(host: string): boolean {
    if (net.isIPv4(host)) return host.startsWith("127.");
    return net.isIPv6(host) && (host === "::1" || host === "0:0:0:0:0:0:0:1");
}

/**
 * One `NO_PROXY` entry, with Go's rules: `*` matches everything; an IP or CIDR matches addresses; a domain
 * matches itself and its subdomains, `.domain` only its subdomains; any entry may carry `:port`.
 */
export function noProxyMatches(entry: string, host: string, port: string): boolean {
    if (entry === "*") return true;
    const cidr = entry.match(/^(.+)\/(\d{1,3})$/);
    if (cidr) return ipInCidr(host, cidr[1], Number(cidr[2]));
    if (net.isIP(entry)) return entry === host;
    const [, entryHost, entryPort] = entry.match(/^\[?([^\]]*?)\]?(?::(\d+))?$/) ?? [];
    if (entryPort && entryPort !== port) return false;
    if (net.isIP(entryHost ?? "")) return entryHost === host;
    if (!entryHost) return false;
    if (entryHost.startsWith(".")) return host.endsWith(entryHost);
    return host === entryHost || host.endsWith(`.${entryHost}`);
}

function ipInCidr(host: string, network: string, bits: number): boolean {
    const family = net.isIPv4(network) ? "ipv4" : net.isIPv6(network) ? "ipv6" : undefined;
    if (!family || net.isIP(host) === 0) return false;
    const list = new net.BlockList();
    list.addSubnet(network, bits, family);
    return list.check(host, net.isIPv4(host) ? "ipv4" : "ipv6");
}
