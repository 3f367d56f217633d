import { request } from "http";
import { gzipSync } from "zlib";
import { FakeDeepFlowServer } from "./fake-deepflow-server";

/** Raw HTTP, so the bytes on the wire are what is asserted. */
function raw(server: FakeDeepFlowServer, method: string, path: string, body?: string, orgId = 1): Promise<{ status: number; contentType: string; body: string }> {
    return new Promise((resolve, reject) => {
        const req = request(`${server.url}${path}`, { method, headers: { "X-Org-Id": String(orgId), "X-User-Id": "1", "X-User-Type": "1" } }, res => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"]), body: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("error", reject);
        req.end(body);
    });
}

describe("fake deepflow-server: the documented controller behaviour", () => {
    let server: FakeDeepFlowServer;
    let lcuuid: string;
    let short: string;

    beforeEach(async () => {
        server = await FakeDeepFlowServer.start();
        ({ LCUUID: lcuuid, SHORT_UUID: short } = server.group(1, "default"));
    });
    afterEach(() => server.close());

    test("group lookup by name answers the envelope with the group list", async () => {
        const res = await raw(server, "GET", "/v1/vtap-groups/?name=default");
        expect(res.status).toBe(200);
        expect(res.contentType).toBe("application/json; charset=utf-8");
        expect(res.body).toBe(`{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":[{"ID":1,"NAME":"default","UPDATED_AT":"2026-01-01 00:00:00",` +
            `"SHORT_UUID":"${short}","LCUUID":"${lcuuid}","TEAM_ID":1,"USER_ID":1,"VTAP_LCUUIDS":[],"DISABLE_VTAP_LCUUIDS":[],"PENDING_VTAP_LCUUIDS":[],"LICENSE_FUNCTIONS":[]}]}`);
    });

    test.each([
        { name: "an unknown name", query: "name=nope" },
        { name: "an unknown short id", query: "short_uuid=g-nope" },
    ])("group lookup by $name is a SUCCESS with no data", async ({ query }) => {
        expect((await raw(server, "GET", `/v1/vtap-groups/?${query}`)).body).toBe(`{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":[]}`);
    });

    test("another org (X-Org-Id) has its own groups", async () => {
        expect((await raw(server, "GET", "/v1/vtap-groups/?name=default", undefined, 2)).body).toBe(`{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":[]}`);
    });

    test("GET of a group without config is FAIL 'record not found' with HTTP 500", async () => {
        expect(await raw(server, "GET", `/v1/agent-group-configuration/${lcuuid}/yaml`))
            .toEqual({ status: 500, contentType: "application/json; charset=utf-8", body: `{"OPT_STATUS":"FAIL","DESCRIPTION":"record not found","DATA":""}` });
    });

    test("PUT needs an existing config; POST creates (answering an empty DATA), then upserts", async () => {
        const yaml = "inputs:\n  integration:\n    enabled: true\n";
        expect((await raw(server, "PUT", `/v1/agent-group-configuration/${lcuuid}/yaml`, yaml)).body).toBe(`{"OPT_STATUS":"FAIL","DESCRIPTION":"record not found","DATA":""}`);
        expect((await raw(server, "POST", `/v1/agent-group-configuration/${lcuuid}/yaml`, yaml)).body).toBe(`{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":""}`);
        const again = "inputs:\n  integration:\n    enabled: false\n";
        expect((await raw(server, "POST", `/v1/agent-group-configuration/${lcuuid}/yaml`, again)).body).toBe(`{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":"inputs:\\n  integration:\\n    enabled: false\\n"}`);
        expect((await raw(server, "PUT", `/v1/agent-group-configuration/${lcuuid}/yaml`, yaml)).body).toBe(`{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":"inputs:\\n  integration:\\n    enabled: true\\n"}`);
        expect((await raw(server, "GET", `/v1/agent-group-configuration/${lcuuid}/yaml`)).body).toBe(`{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":"inputs:\\n  integration:\\n    enabled: true\\n"}`);
    });

    test.each([
        { name: "a v6 key", body: "vtap_group_id: g-x\nexternal_agent_http_proxy_enabled: 1\n", description: "yaml validate failed: unexpected key in configuration: vtap_group_id, please check the yaml format" },
        { name: "a nested unknown key", body: "inputs:\n  integration:\n    enabled: true\n    bogus: 1\n", description: "yaml validate failed: invalid value for key 'inputs': invalid value for key 'integration': unexpected key in configuration: bogus, please check the yaml format" },
        { name: "a string port", body: "inputs:\n  integration:\n    listen_port: '38086'\n", description: "yaml validate failed: invalid value for key 'inputs': invalid value for key 'integration': invalid value for key 'listen_port': scalar type mismatch: expected !!int, got !!str, please check the yaml format" },
        { name: "a list for a section", body: "inputs: []\n", description: "yaml validate failed: invalid value for key 'inputs': node kind mismatch: expected 4, got 2, please check the yaml format" },
    ])("v7 rejects $name (keys outside the template)", async ({ body, description }) => {
        const res = await raw(server, "POST", `/v1/agent-group-configuration/${lcuuid}/yaml`, body);
        expect(res.status).toBe(500);
        expect(JSON.parse(res.body)).toEqual({ OPT_STATUS: "FAIL", DESCRIPTION: description, DATA: "" });
        expect(server.v7Configs(1).size).toBe(0);
    });

    test("an int where the template has one, a float accepted for an int, a list of ints", async () => {
        const body = "global:\n  limits:\n    max_memory: 1024.5\noutputs:\n  flow_log:\n    filters:\n      l7_capture_network_types: [0, 3]\n";
        expect((await raw(server, "POST", `/v1/agent-group-configuration/${lcuuid}/yaml`, body)).body).toBe(`{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":""}`);
    });

    test("POST to an unknown group is FAIL 'record not found'", async () => {
        expect((await raw(server, "POST", "/v1/agent-group-configuration/no-such-group/yaml", "inputs: {}\n")).body).toBe(`{"OPT_STATUS":"FAIL","DESCRIPTION":"record not found","DATA":""}`);
    });

    test("DELETE succeeds with DATA null, whether or not a config exists", async () => {
        server.v7Configs(1).set(lcuuid, "inputs: {}\n");
        for (let i = 0; i < 2; i++) {
            expect(await raw(server, "DELETE", `/v1/agent-group-configuration/${lcuuid}`)).toEqual({ status: 200, contentType: "application/json; charset=utf-8", body: `{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":null}` });
        }
        expect(server.v7Configs(1).has(lcuuid)).toBe(false);
    });

    test("HTML characters are escaped the way Go's encoding/json does", async () => {
        const body = "global:\n  communication:\n    proactive_request_interval: \"<1s & >0s\"\n";
        await raw(server, "POST", `/v1/agent-group-configuration/${lcuuid}/yaml`, body);
        expect((await raw(server, "GET", `/v1/agent-group-configuration/${lcuuid}/yaml`)).body)
            .toBe(`{"OPT_STATUS":"SUCCESS","DESCRIPTION":"","DATA":"global:\\n  communication:\\n    proactive_request_interval: \\"\\u003c1s \\u0026 \\u003e0s\\"\\n"}`);
    });

    test("an unknown route is gin's plain-text 404", async () => {
        expect(await raw(server, "GET", "/v1/nothing")).toEqual({ status: 404, contentType: "text/plain", body: "404 page not found" });
    });

    describe("v6 (legacy vtap-group-configuration)", () => {
        test("create needs vtap_group_id, refuses a second config, drops unknown keys and comments", async () => {
            expect((await raw(server, "POST", "/v1/vtap-group-configuration/advanced/", "external_agent_http_proxy_enabled: 1\n")).body).toBe(`{"OPT_STATUS":"FAIL","DESCRIPTION":"vtap_group_id is None","DATA":""}`);
            expect((await raw(server, "POST", "/v1/vtap-group-configuration/advanced/", "vtap_group_id: g-nope\n")).body).toBe(`{"OPT_STATUS":"FAIL","DESCRIPTION":"vtap group(short_uuid=g-nope) not found","DATA":""}`);
            const body = `# mine\nvtap_group_id: ${short}\nexternal_agent_http_proxy_port: 38086\nnot_a_field: 1\nexternal_agent_http_proxy_enabled: 1\n`;
            expect(JSON.parse((await raw(server, "POST", "/v1/vtap-group-configuration/advanced/", body)).body).DATA)
                .toBe(`vtap_group_id: ${short}\nexternal_agent_http_proxy_enabled: 1\nexternal_agent_http_proxy_port: 38086\n`);
            expect((await raw(server, "POST", "/v1/vtap-group-configuration/advanced/", body)).body).toBe(`{"OPT_STATUS":"FAIL","DESCRIPTION":"vtap group(short_uuid=${short}) configuration already exist","DATA":""}`);
        });

        test("read by filter, list for the config lcuuid, PATCH replaces, delete by filter", async () => {
            expect((await raw(server, "GET", `/v1/vtap-group-configuration/filter/?vtap_group_id=${short}`)).body).toBe(`{"OPT_STATUS":"FAIL","DESCRIPTION":"vtap group(short_uuid=${short}) configuration not found","DATA":""}`);
            await raw(server, "POST", "/v1/vtap-group-configuration/advanced/", `vtap_group_id: ${short}\nmax_memory: 1024\n`);
            const rows = JSON.parse((await raw(server, "GET", `/v1/vtap-group-configuration/?vtap_group_id=${short}`)).body).DATA as { LCUUID: string }[];
            expect(rows).toHaveLength(1);
            expect(JSON.parse((await raw(server, "PATCH", `/v1/vtap-group-configuration/advanced/${rows[0].LCUUID}/`, "external_agent_http_proxy_enabled: 1\n")).body).DATA)
                .toBe(`vtap_group_id: ${short}\nexternal_agent_http_proxy_enabled: 1\n`);
            expect((await raw(server, "PATCH", "/v1/vtap-group-configuration/advanced/nope/", "max_memory: 1\n")).body).toBe(`{"OPT_STATUS":"FAIL","DESCRIPTION":"vtap group configuration(nope) not found","DATA":""}`);
            expect(JSON.parse((await raw(server, "DELETE", `/v1/vtap-group-configuration/filter/?vtap_group_id=${short}`)).body).OPT_STATUS).toBe("SUCCESS");
            expect((await raw(server, "DELETE", `/v1/vtap-group-configuration/filter/?vtap_group_id=${short}`)).body).toBe(`{"OPT_STATUS":"FAIL","DESCRIPTION":"vtap group(short_uuid=${short}) configuration not found","DATA":""}`);
        });
    });
});

describe("fake deepflow-agent ingest: POST /api/v1/otel/trace", () => {
    test("keeps each body as sent, gunzipping a gzip-encoded one, and answers 200", async () => {
        const server = await FakeDeepFlowServer.start();
        try {
            const post = (body: Buffer, gzip: boolean) => new Promise<number>((resolve, reject) => {
                const headers: Record<string, string> = { "Content-Type": "application/x-protobuf" };
                if (gzip) headers["Content-Encoding"] = "gzip";
                const req = request(`${server.url}/api/v1/otel/trace`, { method: "POST", headers }, res => { res.resume(); resolve(res.statusCode ?? 0); });
                req.on("error", reject);
                req.end(body);
            });
            const spans = Buffer.from([0x0a, 0x02, 0xff, 0x00]);
            expect(await post(spans, false)).toBe(200);
            expect(await post(gzipSync(spans), true)).toBe(200);
            expect(server.otelTraces).toEqual([spans, spans]);
        } finally {
            await server.close();
        }
    });
});
