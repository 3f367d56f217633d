import * as http from "http";
import * as https from "https";
import type { AddressInfo } from "net";
import { keepAliveAgent } from "../../kube/keep-alive";

describe("keepAliveAgent", () => {
    const server = "https://127.0.0.1:6443";
    const agents = new Map<string, http.Agent>();

    it("gives requests with the same server and TLS options one shared keep-alive agent", () => {
        const first = keepAliveAgent(agents, server, new https.Agent({ ca: Buffer.from("ca-1"), cert: Buffer.from("c"), key: Buffer.from("k") }));
        const second = keepAliveAgent(agents, server, new https.Agent({ ca: Buffer.from("ca-1"), cert: Buffer.from("c"), key: Buffer.from("k") }));
        expect(second).toBe(first);
        expect(first).toBeInstanceOf(https.Agent);
        expect((first as http.Agent & { keepAlive: boolean }).keepAlive).toBe(true);
    });

    test.each([
        ["another client certificate", server, { ca: Buffer.from("ca-1"), cert: Buffer.from("c2"), key: Buffer.from("k") }],
        ["verification switched off", server, { ca: Buffer.from("ca-1"), cert: Buffer.from("c"), key: Buffer.from("k"), rejectUnauthorized: false }],
        ["another server", "https://10.0.0.1:6443", { ca: Buffer.from("ca-1"), cert: Buffer.from("c"), key: Buffer.from("k") }],
    ])("keeps %s apart", (_name, otherServer, options) => {
        const base = keepAliveAgent(agents, server, new https.Agent({ ca: Buffer.from("ca-1"), cert: Buffer.from("c"), key: Buffer.from("k") }));
        expect(keepAliveAgent(agents, otherServer, new https.Agent(options))).not.toBe(base);
    });

    it("leaves a proxy agent (another class) and no agent as they are", () => {
        class ProxyAgent extends https.Agent {}
        const proxy = new ProxyAgent();
        expect(keepAliveAgent(agents, server, proxy)).toBe(proxy);
        expect(keepAliveAgent(agents, server, undefined)).toBeUndefined();
    });

    it("reuses one connection for consecutive requests", async () => {
        let connections = 0;
        const api = http.createServer((_request, response) => response.end("{}"));
        api.on("connection", () => { connections++; });
        await new Promise<void>(resolve => api.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
        const get = () => new Promise<void>((resolve, reject) => {
            // As client-node builds it for each request: a fresh agent, which keepAliveAgent replaces.
            http.get(`${url}/version`, { agent: keepAliveAgent(agents, url, new http.Agent({})) }, response => { response.resume(); response.on("end", resolve); }).on("error", reject);
        });
        try {
            await get();
            await get();
            await get();
            expect(connections).toBe(1);
        } finally {
            keepAliveAgent(agents, url, new http.Agent({}))!.destroy();
            await new Promise<void>(resolve => api.close(() => resolve()));
        }
    });
});
