import { ownedKeys, v6Payload, v7Payload } from "../../../components/deepflow/payload";
import { ApiFlavour } from "../../../config/deepflow-api";

describe("ownedKeys", () => {
    test.each([
        { name: "v7 on", flavour: ApiFlavour.v7, otelIngest: true, ingestPort: 38086, expected: { "inputs.integration.enabled": true, "inputs.integration.listen_port": 38086 } },
        { name: "v7 off", flavour: ApiFlavour.v7, otelIngest: false, ingestPort: 38087, expected: { "inputs.integration.enabled": false, "inputs.integration.listen_port": 38087 } },
        { name: "v6 on", flavour: ApiFlavour.v6, otelIngest: true, ingestPort: 38086, expected: { external_agent_http_proxy_enabled: 1, external_agent_http_proxy_port: 38086 } },
        { name: "v6 off", flavour: ApiFlavour.v6, otelIngest: false, ingestPort: 38086, expected: { external_agent_http_proxy_enabled: 0, external_agent_http_proxy_port: 38086 } },
    ])("$name", ({ flavour, otelIngest, ingestPort, expected }) => {
        expect(ownedKeys(flavour, { otelIngest, ingestPort })).toEqual(expected);
    });
});

describe("payloads", () => {
    test("v7: the partial YAML the template accepts, no group id (it is in the URL)", () => {
        expect(v7Payload("", ownedKeys(ApiFlavour.v7, { otelIngest: true, ingestPort: 38086 })))
            .toBe("inputs:\n  integration:\n    enabled: true\n    listen_port: 38086\n");
    });

    test("v6: the legacy advanced-config file — vtap_group_id and the external agent proxy keys", () => {
        expect(v6Payload("", ownedKeys(ApiFlavour.v6, { otelIngest: true, ingestPort: 38086 }), "g-0a1b2c3d4e"))
            .toBe("external_agent_http_proxy_enabled: 1\nexternal_agent_http_proxy_port: 38086\nvtap_group_id: g-0a1b2c3d4e\n");
    });

    test("v6: an exported config keeps its keys and order", () => {
        const current = "vtap_group_id: g-0a1b2c3d4e\nmax_memory: 1024\nexternal_agent_http_proxy_enabled: 0\n";
        expect(v6Payload(current, ownedKeys(ApiFlavour.v6, { otelIngest: true, ingestPort: 38086 }), "g-0a1b2c3d4e"))
            .toBe("vtap_group_id: g-0a1b2c3d4e\nmax_memory: 1024\nexternal_agent_http_proxy_enabled: 1\nexternal_agent_http_proxy_port: 38086\n");
    });
});
