/**
 * DeepFlowAgentGroupConfig through the real Pulumi engine, against the fake deepflow-server controller
 * (a protocol peer, not DeepFlow). A dynamic provider needs no cluster, so this runs the engine on a
 * file backend of its own instead of the lab's; it needs only `npm run lab:tools` (pulumi and the Node.js
 * language host in $SKYSHIFT_CACHE/bin).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { REPO_ROOT, writeProgram } from "./harness";
import { FakeDeepFlowServer } from "../support/fake-deepflow-server/fake-deepflow-server";

const CACHE = process.env.SKYSHIFT_CACHE ?? path.join(os.homedir(), ".cache", "skyshift");

/** The operators' own config for group `default`, which skyshift must keep and, on destroy, restore byte for byte. */
const HAND_WRITTEN = `# default group — tuned by the platform team (TICKET-42)
global:
  limits:
    max_memory: 512 # MiB, small nodes
inputs:
  integration:
    enabled: false # waiting for the collector
`;

const program = writeProgram({
    "package.json": `{"name": "deepflow-e2e", "private": true}\n`,
    "Pulumi.yaml": "name: deepflow-e2e\nruntime: nodejs\n",
    "index.ts": `
import * as pulumi from "@pulumi/pulumi";
import { DeepFlowAgentGroupConfig } from ${JSON.stringify(path.join(REPO_ROOT, "components/deepflow"))};
import { deepflowSchema } from ${JSON.stringify(path.join(REPO_ROOT, "config"))};

const config = new pulumi.Config();
const server = config.require("server");
// As in the composition root: the schema settles defaults and rules, the component takes the validated section.
const section = deepflowSchema.parse({
    server,
    agentGroup: config.get("agentGroup"),
    apiVersion: config.get("apiVersion"),
    ingestPort: config.getNumber("ingestPort"),
    timeoutSeconds: config.getNumber("timeoutSeconds"),
});
const deepflow = new DeepFlowAgentGroupConfig("deepflow", { deepflow: { ...section, server } });
export const groupShortUuid = deepflow.groupShortUuid;
export const owned = deepflow.owned;
`,
});

const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-e2e-deepflow-state-"));
afterAll(() => fs.rmSync(stateDir, { recursive: true, force: true }));

async function stack(name: string, config: Record<string, string>): Promise<Stack> {
    const s = await LocalWorkspace.createOrSelectStack({ stackName: name, workDir: program }, {
        pulumiCommand: await PulumiCommand.get({ root: CACHE }),
        envVars: {
            PATH: `${path.join(CACHE, "bin")}:${process.env.PATH ?? ""}`,
            PULUMI_HOME: path.join(stateDir, "home"),
            PULUMI_BACKEND_URL: `file://${stateDir}`,
            PULUMI_CONFIG_PASSPHRASE: "skyshift-e2e",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            PULUMI_SKIP_UPDATE_CHECK: "true",
        },
    });
    await s.setAllConfig(Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }])));
    return s;
}

const log = process.env.SKYSHIFT_E2E_VERBOSE === "1" ? { onOutput: (out: string) => process.stdout.write(out) } : {};

describe("DeepFlowAgentGroupConfig through the Pulumi engine", () => {
    let server: FakeDeepFlowServer;
    let lcuuid: string;
    const stored = () => server.v7Configs(1).get(lcuuid);

    beforeAll(async () => {
        server = await FakeDeepFlowServer.start();
        lcuuid = server.group(1, "default").LCUUID;
        server.v7Configs(1).set(lcuuid, HAND_WRITTEN);
    });
    afterAll(() => server.close());

    describe("a group with a hand-written config", () => {
        let s: Stack;
        beforeAll(async () => { s = await stack("main", { server: server.url }); });

        test("up turns on OTel ingest and keeps every other key and comment", async () => {
            const result = await s.up(log);
            expect(result.summary.result).toBe("succeeded");
            expect(stored()).toBe(`# default group — tuned by the platform team (TICKET-42)
global:
  limits:
    max_memory: 512 # MiB, small nodes
inputs:
  integration:
    enabled: true # waiting for the collector
    listen_port: 38086
`);
            expect(result.outputs.groupShortUuid.value).toBe(server.group(1, "default").SHORT_UUID);
        });

        test("a second preview changes nothing", async () => {
            const result = await s.preview({ expectNoChanges: true, ...log });
            expect(result.changeSummary).toEqual({ same: 3 });
        });

        test("a port change previews as an update of exactly that key, then applies", async () => {
            await s.setConfig("ingestPort", { value: "38087" });
            const preview = await s.preview({ diff: true, ...log });
            expect(preview.changeSummary).toEqual({ same: 2, update: 1 });
            // The URN's type chain shows the dynamic resource parented by the component.
            expect(preview.stdout).toContain("::skyshift:index:DeepFlowAgentGroupConfig$pulumi-nodejs:dynamic/skyshift:DeepFlowAgentGroupConfig::deepflow-config]");
            expect(preview.stdout).toMatch(/~ owned\s*: \{\s*inputs\.integration\.enabled\s*: true\s*~ inputs\.integration\.listen_port: 38086 => 38087\s*\}/);
            await s.up(log);
            expect(stored()).toContain("    listen_port: 38087\n");
            expect(stored()).toContain("max_memory: 512 # MiB, small nodes");
        });

        test("refresh finds a change made out of band, and up puts the owned key back but keeps the operators' other edit", async () => {
            server.v7Configs(1).set(lcuuid, stored()!.replace("enabled: true", "enabled: false").replace("max_memory: 512", "max_memory: 1024"));
            const refresh = await s.refresh(log);
            expect(refresh.summary.resourceChanges).toEqual({ same: 2, update: 1 });
            const preview = await s.preview({ diff: true, ...log });
            expect(preview.stdout).toMatch(/~ inputs\.integration\.enabled\s*: false => true/);
            await s.up(log);
            expect(stored()).toContain("    enabled: true # waiting for the collector\n");
            expect(stored()).toContain("max_memory: 1024 # MiB, small nodes");
        });

        test("destroy restores the exact original YAML", async () => {
            await s.destroy(log);
            expect(stored()).toBe(HAND_WRITTEN);
        });
    });

    test("a group without config gets one, and destroy removes it again", async () => {
        const group = server.addGroup(1, "canary");
        const s = await stack("fresh", { server: server.url, agentGroup: "canary" });
        await s.up(log);
        expect(server.v7Configs(1).get(group.LCUUID)).toBe("inputs:\n  integration:\n    enabled: true\n    listen_port: 38086\n");
        await s.destroy(log);
        expect(server.v7Configs(1).has(group.LCUUID)).toBe(false);
        expect(server.requests.slice(-1).map(r => `${r.method} ${r.url}`)).toEqual([`DELETE /v1/agent-group-configuration/${group.LCUUID}`]);
    });

    test("v6 (legacy): the external agent proxy keys are PATCHed in, and destroy PATCHes the original back", async () => {
        const group = server.addGroup(1, "legacy");
        const original = `vtap_group_id: ${group.SHORT_UUID}\nmax_memory: 1024\nexternal_agent_http_proxy_enabled: 0\n`;
        server.v6Configs(1).set(group.LCUUID, { lcuuid: "cfg-legacy", yaml: original });
        const s = await stack("legacy", { server: server.url, agentGroup: group.SHORT_UUID, apiVersion: "v6" });
        await s.up(log);
        expect(server.v6Configs(1).get(group.LCUUID)).toEqual({ lcuuid: "cfg-legacy", yaml: `vtap_group_id: ${group.SHORT_UUID}\nmax_memory: 1024\nexternal_agent_http_proxy_enabled: 1\nexternal_agent_http_proxy_port: 38086\n` });
        await s.destroy(log);
        expect(server.v6Configs(1).get(group.LCUUID)).toEqual({ lcuuid: "cfg-legacy", yaml: original });
    });

    describe("failures", () => {
        afterEach(() => { server.fault = undefined; });

        test("an unknown group fails the update naming the server, the call and the group", async () => {
            const s = await stack("unknown", { server: server.url, agentGroup: "nope" });
            await expect(s.up(log)).rejects.toThrow(`deepflow-server ${server.url}: GET /v1/vtap-groups/?name=nope found no agent group named "nope" in org 1 — list them with deepflow-ctl agent-group list`);
        });

        test("a FAIL answer fails the update with DeepFlow's DESCRIPTION", async () => {
            server.fault = { kind: "fail", description: "get org db failed" };
            const s = await stack("fail", { server: server.url });
            await expect(s.up(log)).rejects.toThrow(`deepflow-server ${server.url}: GET /v1/vtap-groups/?name=default answered FAIL: get org db failed`);
        });

        test("a hung server fails the update after the timeout", async () => {
            server.fault = { kind: "hang" };
            const s = await stack("hang", { server: server.url, timeoutSeconds: "1" });
            await expect(s.up(log)).rejects.toThrow(`deepflow-server ${server.url}: GET /v1/vtap-groups/?name=default got no answer within 1s`);
        });
    });
});
