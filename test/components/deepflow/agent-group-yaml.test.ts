import { mergeOwnedKeys, readOwnedKeys } from "../../../components/deepflow/agent-group-yaml";

const OWNED = { "inputs.integration.enabled": true, "inputs.integration.listen_port": 38086 };

const HAND_WRITTEN = `# group default: tuned by the platform team, see TICKET-42
global:
  limits:
    max_millicpus: 2000 # big nodes
inputs:
  integration:
    # off until the collector rollout
    enabled: false
    compression:
      trace: false
`;

describe("mergeOwnedKeys", () => {
    test("GIVEN a hand-written config WHEN owned keys are merged THEN only they change and comments and other keys stay", () => {
        expect(mergeOwnedKeys(HAND_WRITTEN, OWNED)).toBe(`# group default: tuned by the platform team, see TICKET-42
global:
  limits:
    max_millicpus: 2000 # big nodes
inputs:
  integration:
    # off until the collector rollout
    enabled: true
    compression:
      trace: false
    listen_port: 38086
`);
    });

    test.each([
        { name: "empty config", current: "", expected: "inputs:\n  integration:\n    enabled: true\n    listen_port: 38086\n" },
        { name: "only comments", current: "# nothing yet\n", expected: "# nothing yet\n\ninputs:\n  integration:\n    enabled: true\n    listen_port: 38086\n" },
        { name: "a sibling section", current: "outputs:\n  flow_log: {}\n", expected: "outputs:\n  flow_log: {}\ninputs:\n  integration:\n    enabled: true\n    listen_port: 38086\n" },
    ])("GIVEN $name THEN the owned keys are added", ({ current, expected }) => {
        expect(mergeOwnedKeys(current, OWNED)).toBe(expected);
    });

    test("GIVEN owned keys already set THEN the config comes back unchanged, trailing comments included", () => {
        const current = "inputs:\n  integration:\n    enabled: true # on since March\n    listen_port: 38086\n";
        expect(mergeOwnedKeys(current, OWNED)).toBe(current);
    });

    test("GIVEN a config in the template's style THEN every line skyshift does not own comes back byte for byte", () => {
        const templateStyle = [
            "inputs:",
            "  proc:",
            "    process_blacklist: [sleep, sh, bash, pause, runc, grep, awk, sed, curl]",
            "    process_matcher:",
            "      - match_regex: \\bjava( +\\S+)* +-jar +(\\S*/)*([^ /]+\\.jar)",
            "        enabled_features: [ebpf.profile.on_cpu, proc.gprocess_info]",
            "  integration:",
            "    enabled: true",
            "    listen_port: 38086",
            "",
        ].join("\n");
        expect(mergeOwnedKeys(templateStyle, { ...OWNED, "inputs.integration.listen_port": 38087 })).toBe(templateStyle.replace("38086", "38087"));
    });

    test("GIVEN a config indented by 4 THEN it stays indented by 4", () => {
        expect(mergeOwnedKeys("global:\n    limits:\n        max_memory: 512\n", OWNED))
            .toBe("global:\n    limits:\n        max_memory: 512\ninputs:\n    integration:\n        enabled: true\n        listen_port: 38086\n");
    });

    test("merging twice equals merging once", () => {
        const once = mergeOwnedKeys(HAND_WRITTEN, OWNED);
        expect(mergeOwnedKeys(once, OWNED)).toBe(once);
    });

    test("a long unowned string is not folded", () => {
        const long = `global:\n  note: ${"x".repeat(150)} ${"y".repeat(50)}\n`;
        expect(mergeOwnedKeys(long, OWNED).startsWith(long)).toBe(true);
    });

    test.each([
        { name: "an empty section", current: "inputs:\n", expected: "inputs:\n  integration:\n    enabled: true\n    listen_port: 38086\n" },
        { name: "an empty subsection", current: "inputs:\n  integration:\n", expected: "inputs:\n  integration:\n    enabled: true\n    listen_port: 38086\n" },
    ])("GIVEN $name THEN it becomes a section holding the owned keys", ({ current, expected }) => {
        expect(mergeOwnedKeys(current, OWNED)).toBe(expected);
    });

    test.each([
        { name: "a value where a section belongs", current: "inputs: 5\n", message: "cannot set inputs.integration.enabled: inputs holds a value, not a section — fix the group's config with deepflow-ctl" },
        { name: "a list at the top", current: "- inputs\n", message: "cannot set inputs.integration.enabled: the agent-group config is not a mapping of sections" },
    ])("GIVEN $name THEN the merge is refused", ({ current, message }) => {
        expect(() => mergeOwnedKeys(current, OWNED)).toThrow(message);
    });

    test("invalid YAML is refused with the parser's reason", () => {
        expect(() => mergeOwnedKeys("inputs: [unclosed\n", OWNED)).toThrow(/^the agent-group config is not valid YAML: /);
    });
});

describe("readOwnedKeys", () => {
    test("reports set keys and leaves out absent ones", () => {
        expect(readOwnedKeys(HAND_WRITTEN, Object.keys(OWNED))).toEqual({ "inputs.integration.enabled": false });
    });

    test("a value of the wrong type counts as not set", () => {
        expect(readOwnedKeys("inputs:\n  integration:\n    listen_port: '38086'\n", ["inputs.integration.listen_port"])).toEqual({});
    });

    test("an empty config has none", () => {
        expect(readOwnedKeys("", Object.keys(OWNED))).toEqual({});
    });
});
