import { callApi, Connection, MAX_ATTEMPTS, sendApi } from "../../../components/deepflow/api";
import { FakeDeepFlowServer } from "../../support/fake-deepflow-server/fake-deepflow-server";

describe("controller API client", () => {
    let server: FakeDeepFlowServer;
    let conn: Connection;
    const lookup = { method: "GET", path: "/v1/vtap-groups/?name=default" } as const;

    beforeEach(async () => {
        server = await FakeDeepFlowServer.start();
        conn = { server: server.url, orgId: 1, timeoutSeconds: 1 };
    });
    afterEach(() => server.close());

    test("sends deepflow-ctl's identity headers and the org", async () => {
        await callApi({ ...conn, orgId: 3 }, lookup);
        expect(server.requests[0].headers).toMatchObject({ "x-org-id": "3", "x-user-id": "1", "x-user-type": "1" });
    });

    test("a trailing slash on the server URL is ignored", async () => {
        await callApi({ ...conn, server: `${server.url}/` }, lookup);
        expect(server.requests[0].url).toBe("/v1/vtap-groups/?name=default");
    });

    test("a FAIL envelope is DeepFlow's verdict: one attempt, an error with its DESCRIPTION", async () => {
        server.fault = { kind: "fail", description: "get org(1) db failed" };
        await expect(callApi(conn, lookup)).rejects.toThrow(`deepflow-server ${server.url}: GET /v1/vtap-groups/?name=default answered FAIL: get org(1) db failed`);
        expect(server.requests).toHaveLength(1);
    });

    test("sendApi hands back a FAIL envelope for the caller to judge", async () => {
        const envelope = await sendApi(conn, { method: "GET", path: `/v1/agent-group-configuration/${server.group(1, "default").LCUUID}/yaml` });
        expect(envelope).toEqual({ OPT_STATUS: "FAIL", DESCRIPTION: "record not found", DATA: "" });
    });

    test("a dropped connection is retried, and the call then succeeds", async () => {
        server.fault = { kind: "reset", times: MAX_ATTEMPTS - 1 };
        const envelope = await callApi(conn, lookup);
        expect(envelope.OPT_STATUS).toBe("SUCCESS");
        expect(server.requests).toHaveLength(MAX_ATTEMPTS);
    });

    test("a connection dropped every time fails after the bounded attempts", async () => {
        server.fault = { kind: "reset", times: 10 };
        await expect(callApi(conn, lookup)).rejects.toThrow(`deepflow-server ${server.url}: GET /v1/vtap-groups/?name=default failed after 3 attempts: ECONNRESET socket hang up`);
        expect(server.requests).toHaveLength(MAX_ATTEMPTS);
    });

    test.each([
        { name: "a dropped connection", fault: { kind: "reset", times: 1 } as const, what: "failed: ECONNRESET socket hang up" },
        { name: "a proxy's 502", fault: { kind: "bad-gateway", times: 1 } as const, what: "answered HTTP 502 without a DeepFlow envelope: <html><body><h1>502 Bad Gateway</h1></body></html>" },
    ])("a call that must not land twice is not retried after $name", async ({ fault, what }) => {
        server.fault = { ...fault };
        const create = { method: "POST", path: "/v1/vtap-group-configuration/advanced/", body: "vtap_group_id: g-x\n", idempotent: false } as const;
        await expect(callApi(conn, create)).rejects.toThrow(`deepflow-server ${server.url}: POST /v1/vtap-group-configuration/advanced/ ${what}`);
        expect(server.requests).toHaveLength(1);
    });

    test("a call that must not land twice is still retried when the connection was refused", async () => {
        const gone = await FakeDeepFlowServer.start();
        await gone.close();
        const create = { method: "POST", path: "/v1/vtap-group-configuration/advanced/", idempotent: false } as const;
        await expect(callApi({ ...conn, server: gone.url }, create)).rejects.toThrow(/failed after 3 attempts: ECONNREFUSED/);
    });

    test("a proxy's 502 is retried; when it persists the error quotes the body", async () => {
        server.fault = { kind: "bad-gateway", times: 10 };
        await expect(callApi(conn, lookup)).rejects.toThrow(`deepflow-server ${server.url}: GET /v1/vtap-groups/?name=default answered HTTP 502 after 3 attempts without a DeepFlow envelope: <html><body><h1>502 Bad Gateway</h1></body></html>`);
        expect(server.requests).toHaveLength(MAX_ATTEMPTS);
    });

    test("a 4xx without an envelope is not retried", async () => {
        await expect(callApi(conn, { method: "GET", path: "/v1/nothing" })).rejects.toThrow(`deepflow-server ${server.url}: GET /v1/nothing answered HTTP 404 without a DeepFlow envelope: 404 page not found`);
        expect(server.requests).toHaveLength(1);
    });

    test("a hung server times out once, without retries", async () => {
        server.fault = { kind: "hang" };
        const started = Date.now();
        await expect(callApi(conn, lookup)).rejects.toThrow(`deepflow-server ${server.url}: GET /v1/vtap-groups/?name=default got no answer within 1s`);
        expect(Date.now() - started).toBeLessThan(1900);
        expect(server.requests).toHaveLength(1);
    });

    test("nothing listening is a connection failure after the bounded attempts", async () => {
        const gone = await FakeDeepFlowServer.start();
        await gone.close();
        const port = new URL(gone.url).port;
        await expect(callApi({ ...conn, server: gone.url }, lookup)).rejects.toThrow(`deepflow-server ${gone.url}: GET /v1/vtap-groups/?name=default failed after 3 attempts: ECONNREFUSED connect ECONNREFUSED 127.0.0.1:${port}`);
    });
});
