import * as pulumi from "@pulumi/pulumi";
import type * as DeepFlow from "../../../components/deepflow";
import { deepflowSchema, parseStackConfig } from "../../../config";

interface Registered { readonly type: string; readonly name: string; readonly inputs: Record<string, unknown> }
const registered: Registered[] = [];

/**
 * Pulumi serializes a dynamic provider's functions through the V8 inspector, which jest's module runtime
 * does not offer; so here the dynamic resource is a plain custom resource of the same type. The provider
 * itself runs in operations.test.ts beside this file and, serialized for real, in the e2e test.
 */
jest.mock("../../../components/deepflow/provider", () => {
    const { CustomResource } = jest.requireActual<typeof pulumi>("@pulumi/pulumi");
    class AgentGroupConfigResource extends CustomResource {
        constructor(name: string, args: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
            super("pulumi-nodejs:dynamic/skyshift:DeepFlowAgentGroupConfig", name, { ...args, groupLcuuid: undefined, groupShortUuid: undefined }, opts);
        }
    }
    return { AgentGroupConfigResource };
});

pulumi.runtime.setMocks({
    newResource: args => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, groupLcuuid: "6c2d6a1e-lcuuid", groupShortUuid: "g-0a1b2c3d4e" } };
    },
    call: args => args.inputs,
}, "skyshift", "test", false);

let deepflow: typeof DeepFlow;
beforeAll(async () => { deepflow = await import("../../../components/deepflow"); });
beforeEach(() => { registered.length = 0; });

/** The validated `deepflow` section, as the composition root hands it over. */
const section = (raw: object) => ({ deepflow: { ...deepflowSchema.parse(raw), server: "http://df:20417" } });
const outputOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise(resolve => output.apply(resolve));

describe("DeepFlowAgentGroupConfig", () => {
    test("one dynamic child named <name>-config, owning the v7 keys (its parenting is asserted in the e2e URN)", async () => {
        const component = new deepflow.DeepFlowAgentGroupConfig("df", section({ ingestPort: 38087 }));
        expect(await outputOf(component.groupShortUuid)).toBe("g-0a1b2c3d4e");
        expect(registered.map(r => [r.type, r.name])).toEqual([
            ["skyshift:index:DeepFlowAgentGroupConfig", "df"],
            ["pulumi-nodejs:dynamic/skyshift:DeepFlowAgentGroupConfig", "df-config"],
        ]);
        expect(registered[1].inputs).toMatchObject({
            server: "http://df:20417", orgId: 1, agentGroup: "default", apiVersion: "v7", timeoutSeconds: 10,
            owned: { "inputs.integration.enabled": true, "inputs.integration.listen_port": 38087 },
        });
    });

    test("v6 owns the external_agent_http_proxy_* keys", async () => {
        const component = new deepflow.DeepFlowAgentGroupConfig("legacy", section({ apiVersion: "v6", otelIngest: false }));
        await outputOf(component.owned);
        expect(registered[1].inputs.owned).toEqual({ external_agent_http_proxy_enabled: 0, external_agent_http_proxy_port: 38086 });
    });
});

describe("deepflowAgentGroup (the composition root's entry)", () => {
    const stack = (df: object) => parseStackConfig({ collector: { exporters: [{ name: "deepflow", kind: "deepflow" }] }, deepflow: df }).config;

    test("without deepflow.server skyshift leaves DeepFlow alone", () => {
        expect(deepflow.deepflowAgentGroup(stack({}))).toBeUndefined();
        expect(registered).toEqual([]);
    });

    test("with deepflow.server it declares the agent group's config from stack config", async () => {
        const component = deepflow.deepflowAgentGroup(stack({ server: "http://deepflow-server.deepflow:20417", agentGroup: "g-0a1b2c3d4e", orgId: 2, timeoutSeconds: 5 }));
        await outputOf(component!.owned);
        expect(registered[1].inputs).toMatchObject({
            server: "http://deepflow-server.deepflow:20417", agentGroup: "g-0a1b2c3d4e", orgId: 2, apiVersion: "v7", timeoutSeconds: 5,
            owned: { "inputs.integration.enabled": true, "inputs.integration.listen_port": 38086 },
        });
    });
});
