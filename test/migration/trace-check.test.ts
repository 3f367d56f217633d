import { createServer, Server } from "http";
import { AddressInfo } from "net";
import { Clock } from "../../components/migration/gate-runner";
import { fetchJson, jaegerTraceCount, runTraceCheck, traceBackendProblem } from "../../components/migration/trace-check";

function fakeClock(start: number): Clock & { sleeps: number[] } {
    let now = start;
    const sleeps: number[] = [];
    return { sleeps, now: () => now, sleep: async ms => { sleeps.push(ms); now += ms; } };
}

/** A port nothing listens on (a server's, just closed). */
async function closedPort(): Promise<number> {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>(resolve => closed.close(() => resolve()));
    return port;
}

const since = Date.UTC(2026, 11, 2, 14, 0, 0);
const target = { app: "shop/order", service: "order", backend: "jaeger http://jaeger:16686", sinceMs: since, timeoutSeconds: 30, pollSeconds: 10 };

describe("runTraceCheck", () => {
    it("GIVEN spans arrive on the third ask THEN it passes, asking for the window since the flip every pollSeconds", async () => {
        const clock = fakeClock(since + 60_000);
        const asked: Array<[string, number, number]> = [];
        const answers = [0, 0, 2];
        const traces = await runTraceCheck(target, async (service, start, end) => { asked.push([service, start, end]); return answers.shift()!; }, clock);
        expect(traces).toBe(2);
        expect(asked).toEqual([["order", since, since + 60_000], ["order", since, since + 70_000], ["order", since, since + 80_000]]);
        expect(clock.sleeps).toEqual([10_000, 10_000]);
    });

    it("GIVEN no spans until the timeout THEN the app fails with reason no telemetry naming service, backend and window", async () => {
        const clock = fakeClock(since + 60_000);
        await expect(runTraceCheck(target, async () => 0, clock)).rejects.toMatchObject({
            app: "shop/order", reason: "no telemetry",
            message: expect.stringMatching(/^shop\/order failed the health gate \(no telemetry\): no spans of service "order" in jaeger http:\/\/jaeger:16686 between 2026-12-02T14:00:00.000Z and 2026-12-02T14:01:30.000Z\. /),
        });
        expect(clock.sleeps).toEqual([10_000, 10_000, 10_000]);
    });
});

describe("jaegerTraceCount over HTTP", () => {
    let server: Server;
    let url: string;
    const seen: string[] = [];
    beforeAll(async () => {
        server = createServer((req, res) => {
            seen.push(req.url ?? "");
            const service = new URL(req.url ?? "", "http://x").searchParams.get("service");
            res.writeHead(service === "broken" ? 500 : 200, { "Content-Type": "application/json" });
            res.end(JSON.stringify({ data: service === "order" ? [{ traceID: "a" }, { traceID: "b" }] : null }));
        });
        await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

    it("asks /api/traces with the window in microseconds and counts traces; no data is zero", async () => {
        const count = jaegerTraceCount(`${url}/`, u => fetchJson(u));
        expect(await count("order", 1_000, 2_000)).toBe(2);
        expect(await count("idle", 1_000, 2_000)).toBe(0);
        expect(seen[0]).toBe("/api/traces?service=order&start=1000000&end=2000000&limit=20");
    });

    it("names the URL on an HTTP error and on a refused connection", async () => {
        await expect(jaegerTraceCount(url, u => fetchJson(u))("broken", 1, 2)).rejects.toThrow(`GET ${url}/api/traces?service=broken&start=1000&end=2000&limit=20: HTTP 500`);
        const port = await closedPort();
        await expect(fetchJson(`http://127.0.0.1:${port}/api/services`)).rejects.toThrow(`GET http://127.0.0.1:${port}/api/services: ECONNREFUSED`);
    });
});

describe("traceBackendProblem (preview)", () => {
    it("accepts Jaeger's /api/services answer and names an unreachable or non-Jaeger URL", async () => {
        const server = createServer((req, res) => {
            res.writeHead(200, { "Content-Type": "application/json" });
            res.end(req.url === "/jaeger/api/services" ? JSON.stringify({ data: ["order"] }) : JSON.stringify({ status: "ok" }));
        });
        await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
        const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
        try {
            expect(await traceBackendProblem(`${base}/jaeger/`)).toBeUndefined();
            expect(await traceBackendProblem(`${base}/other`)).toBe(`${base}/other answers, but not as Jaeger's query API (no "data" in /api/services)`);
        } finally {
            await new Promise<void>(resolve => server.close(() => resolve()));
        }
        const refused = `http://127.0.0.1:${await closedPort()}`;
        expect(await traceBackendProblem(refused)).toBe(`GET ${refused}/api/services: ECONNREFUSED — check the URL and that Jaeger's query service is reachable from where pulumi runs`);
    });
});
