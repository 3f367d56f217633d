import { ownedKeys } from "../../../components/deepflow/payload";
import { ApiFlavour } from "../../../config/deepflow-api";
import { AgentGroupConfigInputs, createConfig, deleteConfig, diffConfig, readConfig, updateConfig } from "../../../components/deepflow/operations";
import { FakeDeepFlowServer } from "../../support/fake-deepflow-server/fake-deepflow-server";

const HAND_WRITTEN = "# ops: keep the agent small\nglobal:\n  limits:\n    max_memory: 512 # MiB\ninputs:\n  integration:\n    enabled: false\n";

describe("agent-group config operations (v7) against the fake controller", () => {
    let server: FakeDeepFlowServer;
    let lcuuid: string;
    let inputs: AgentGroupConfigInputs;

    beforeEach(async () => {
        server = await FakeDeepFlowServer.start();
        lcuuid = server.group(1, "default").LCUUID;
        inputs = { server: server.url, orgId: 1, agentGroup: "default", apiVersion: ApiFlavour.v7, timeoutSeconds: 1, owned: ownedKeys(ApiFlavour.v7, { otelIngest: true, ingestPort: 38086 }) };
    });
    afterEach(() => server.close());

    const calls = () => server.requests.map(r => `${r.method} ${r.url}`);

    test("create on a group with a config: GET, merge, PUT — other keys and comments kept, the original remembered", async () => {
        server.v7Configs(1).set(lcuuid, HAND_WRITTEN);
        const { id, outs } = await createConfig(inputs);
        expect(id).toBe(lcuuid);
        expect(calls()).toEqual(["GET /v1/vtap-groups/?name=default", `GET /v1/agent-group-configuration/${lcuuid}/yaml`, `PUT /v1/agent-group-configuration/${lcuuid}/yaml`]);
        expect(server.v7Configs(1).get(lcuuid)).toBe("# ops: keep the agent small\nglobal:\n  limits:\n    max_memory: 512 # MiB\ninputs:\n  integration:\n    enabled: true\n    listen_port: 38086\n");
        expect(outs).toMatchObject({ hadConfig: true, previousYaml: HAND_WRITTEN, groupLcuuid: lcuuid, groupShortUuid: server.group(1, "default").SHORT_UUID, configLcuuid: "" });
    });

    test("create on a group without config POSTs; delete then removes the config", async () => {
        const { outs } = await createConfig(inputs);
        expect(calls().slice(-1)).toEqual([`POST /v1/agent-group-configuration/${lcuuid}/yaml`]);
        expect(outs).toMatchObject({ hadConfig: false, previousYaml: "" });
        await deleteConfig(outs);
        expect(calls().slice(-1)).toEqual([`DELETE /v1/agent-group-configuration/${lcuuid}`]);
        expect(server.v7Configs(1).has(lcuuid)).toBe(false);
    });

    test("a group by g-… id is looked up by short_uuid", async () => {
        const short = server.group(1, "default").SHORT_UUID;
        await createConfig({ ...inputs, agentGroup: short });
        expect(calls()[0]).toBe(`GET /v1/vtap-groups/?short_uuid=${short}`);
    });

    test("refresh reports the owned keys as DeepFlow holds them after a change made out of band", async () => {
        const { id, outs } = await createConfig(inputs);
        server.v7Configs(1).set(lcuuid, "inputs:\n  integration:\n    enabled: false\n");
        const { props, inputs: refreshedInputs } = await readConfig(id, outs);
        expect(props.owned).toEqual({ "inputs.integration.enabled": false });
        expect(refreshedInputs).toEqual({ ...inputs, owned: { "inputs.integration.enabled": false } });
        expect(diffConfig(props, inputs).detailedDiff).toEqual({
            'owned["inputs.integration.enabled"]': { kind: "update", inputDiff: true },
            'owned["inputs.integration.listen_port"]': { kind: "add", inputDiff: true },
        });
    });

    test("update rewrites only owned keys, keeping what operators changed since", async () => {
        const { outs } = await createConfig(inputs);
        server.v7Configs(1).set(lcuuid, "global:\n  limits:\n    max_memory: 2048\ninputs:\n  integration:\n    enabled: true\n    listen_port: 38086\n");
        const news = { ...inputs, owned: ownedKeys(ApiFlavour.v7, { otelIngest: true, ingestPort: 38087 }) };
        const { outs: updated } = await updateConfig(outs, news);
        expect(server.v7Configs(1).get(lcuuid)).toBe("global:\n  limits:\n    max_memory: 2048\ninputs:\n  integration:\n    enabled: true\n    listen_port: 38087\n");
        expect(updated).toMatchObject({ owned: news.owned, hadConfig: false, previousYaml: "" });
    });

    test("delete puts back the exact previous YAML", async () => {
        server.v7Configs(1).set(lcuuid, HAND_WRITTEN);
        const { outs } = await createConfig(inputs);
        await deleteConfig(outs);
        expect(server.v7Configs(1).get(lcuuid)).toBe(HAND_WRITTEN);
    });

    test("delete restores with POST when the config was removed out of band meanwhile", async () => {
        server.v7Configs(1).set(lcuuid, HAND_WRITTEN);
        const { outs } = await createConfig(inputs);
        server.v7Configs(1).delete(lcuuid);
        await deleteConfig(outs);
        expect(calls().slice(-1)).toEqual([`POST /v1/agent-group-configuration/${lcuuid}/yaml`]);
        expect(server.v7Configs(1).get(lcuuid)).toBe(HAND_WRITTEN);
    });

    test.each([
        { name: "an unknown group", change: { agentGroup: "canary" }, message: (url: string) => `deepflow-server ${url}: GET /v1/vtap-groups/?name=canary found no agent group named "canary" in org 1 — list them with deepflow-ctl agent-group list` },
        { name: "a group in another org", change: { orgId: 2 }, message: (url: string) => `deepflow-server ${url}: GET /v1/vtap-groups/?name=default found no agent group named "default" in org 2 — list them with deepflow-ctl agent-group list` },
        { name: "v6 keys sent to a v7 server", change: { owned: ownedKeys(ApiFlavour.v6, { otelIngest: true, ingestPort: 38086 }) }, message: (url: string, group: string) => `deepflow-server ${url}: POST /v1/agent-group-configuration/${group}/yaml answered FAIL: yaml validate failed: unexpected key in configuration: external_agent_http_proxy_enabled, please check the yaml format` },
    ])("create fails on $name with DeepFlow's words", async ({ change, message }) => {
        await expect(createConfig({ ...inputs, ...change })).rejects.toThrow(message(server.url, lcuuid));
    });

    test("create fails on a FAIL answer, naming DeepFlow's DESCRIPTION", async () => {
        server.fault = { kind: "fail", description: "Error 1045: Access denied for user 'root'" };
        await expect(createConfig(inputs)).rejects.toThrow(`deepflow-server ${server.url}: GET /v1/vtap-groups/?name=default answered FAIL: Error 1045: Access denied for user 'root'`);
    });
});

describe("diffConfig", () => {
    const olds = {
        server: "http://df:20417", orgId: 1, agentGroup: "default", apiVersion: ApiFlavour.v7, timeoutSeconds: 10,
        owned: { "inputs.integration.enabled": true, "inputs.integration.listen_port": 38086 },
        groupLcuuid: "l", groupShortUuid: "g-1", configLcuuid: "", hadConfig: false, previousYaml: "",
    };

    test.each([
        { name: "nothing changed", news: {}, expected: { changes: false, replaces: [], detailedDiff: {} } },
        {
            name: "the port", news: { owned: { ...olds.owned, "inputs.integration.listen_port": 38087 } },
            expected: { changes: true, replaces: [], detailedDiff: { 'owned["inputs.integration.listen_port"]': { kind: "update", inputDiff: true } } },
        },
        {
            name: "another group", news: { agentGroup: "canary" },
            expected: { changes: true, replaces: ["agentGroup"], detailedDiff: { agentGroup: { kind: "update-replace", inputDiff: true } } },
        },
        {
            name: "the timeout only", news: { timeoutSeconds: 30 },
            expected: { changes: true, replaces: [], detailedDiff: { timeoutSeconds: { kind: "update", inputDiff: true } } },
        },
    ])("$name", ({ news, expected }) => {
        expect(diffConfig(olds, { ...olds, ...news })).toEqual({ ...expected, deleteBeforeReplace: true });
    });
});

describe("agent-group config operations (v6 legacy) against the fake controller", () => {
    let server: FakeDeepFlowServer;
    let short: string;
    let inputs: AgentGroupConfigInputs;

    beforeEach(async () => {
        server = await FakeDeepFlowServer.start();
        short = server.group(1, "default").SHORT_UUID;
        inputs = { server: server.url, orgId: 1, agentGroup: "default", apiVersion: ApiFlavour.v6, timeoutSeconds: 1, owned: ownedKeys(ApiFlavour.v6, { otelIngest: true, ingestPort: 38086 }) };
    });
    afterEach(() => server.close());

    const stored = () => server.v6Configs(1).get(server.group(1, "default").LCUUID);

    test("create without a config POSTs the OTel ingest keys; delete removes it by filter", async () => {
        const { outs } = await createConfig(inputs);
        expect(stored()?.yaml).toBe(`vtap_group_id: ${short}\nexternal_agent_http_proxy_enabled: 1\nexternal_agent_http_proxy_port: 38086\n`);
        expect(outs.configLcuuid).toBe(stored()?.lcuuid);
        await deleteConfig(outs);
        expect(stored()).toBeUndefined();
        expect(server.requests.map(r => r.method).slice(-1)).toEqual(["DELETE"]);
    });

    test("create on an existing config PATCHes it by its lcuuid; delete PATCHes the original back", async () => {
        server.v6Configs(1).set(server.group(1, "default").LCUUID, { lcuuid: "cfg-1", yaml: `vtap_group_id: ${short}\nmax_memory: 1024\n` });
        const { outs } = await createConfig(inputs);
        expect(server.requests.map(r => `${r.method} ${r.url}`).slice(-1)).toEqual(["PATCH /v1/vtap-group-configuration/advanced/cfg-1/"]);
        expect(stored()?.yaml).toBe(`vtap_group_id: ${short}\nmax_memory: 1024\nexternal_agent_http_proxy_enabled: 1\nexternal_agent_http_proxy_port: 38086\n`);
        await deleteConfig(outs);
        expect(stored()?.yaml).toBe(`vtap_group_id: ${short}\nmax_memory: 1024\n`);
    });

    test("delete of a config already gone is not an error", async () => {
        const { outs } = await createConfig(inputs);
        server.v6Configs(1).clear();
        await expect(deleteConfig(outs)).resolves.toBeUndefined();
    });
});
