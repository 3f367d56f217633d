import * as http from "node:http";

/** Bytes that crossed the proxy since the last reset: pulled = response bodies, pushed = request bodies. */
export interface Traffic {
    pulled: number;
    pushed: number;
}

/**
 * A pass-through HTTP proxy in front of the lab registry that counts body bytes each way, so every method is
 * measured the same way, on the wire, whatever tool speaks to the registry. The Host header is passed on unchanged,
 * so the registry's upload Locations point back at the proxy.
 */
export function startCountingProxy(listenPort: number, upstreamPort: number): Promise<{ traffic: Traffic; reset(): Traffic; close(): void }> {
    const traffic: Traffic = { pulled: 0, pushed: 0 };
    const server = http.createServer((request, response) => {
        const upstream = http.request({ host: "127.0.0.1", port: upstreamPort, method: request.method, path: request.url, headers: request.headers }, answer => {
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.on("data", (chunk: Buffer) => { traffic.pulled += chunk.length; });
            answer.pipe(response);
        });
        upstream.on("error", error => { response.writeHead(502); response.end(String(error)); });
        request.on("data", (chunk: Buffer) => { traffic.pushed += chunk.length; });
        request.pipe(upstream);
    });
    return new Promise(resolve => server.listen(listenPort, "127.0.0.1", () => resolve({
        traffic,
        reset() {
            const seen = { ...traffic };
            traffic.pulled = 0;
            traffic.pushed = 0;
            return seen;
        },
        close() {
            server.close();
        },
    })));
}
