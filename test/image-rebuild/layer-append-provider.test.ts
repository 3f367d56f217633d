import { layerAppendProvider, type LayerAppendOutputs } from "../../components/image-rebuild/layer-append/provider";

const OLD: LayerAppendOutputs = {
    source: "r/app@sha256:1", agentImage: "r/agent:2", extensions: [], agentDir: "/skywalking/agent", launcher: "#!/bin/sh\n",
    repository: "r/skyshift/shop/app", tag: "otel-1", labels: {}, server: "r", insecure: false, username: "ci", password: "p1",
    digest: "sha256:aaa",
};

describe("layerAppendProvider", () => {
    test.each([
        { name: "nothing changed", change: {}, expected: { changes: false, replaces: [], deleteBeforeReplace: false } },
        { name: "a new tag (any input that shapes the image)", change: { tag: "otel-2" }, expected: { changes: true, replaces: ["tag"], deleteBeforeReplace: false } },
        { name: "another repository", change: { repository: "r/other/app" }, expected: { changes: true, replaces: ["tag"], deleteBeforeReplace: false } },
        { name: "a rotated password: an update, no push", change: { password: "p2" }, expected: { changes: true, replaces: [], deleteBeforeReplace: false } },
    ])("diff: $name", async ({ change, expected }) => {
        const { digest: _digest, ...olds } = OLD;
        expect(await layerAppendProvider.diff!("id", OLD, { ...olds, ...change })).toEqual(expected);
    });

    test("update keeps the pushed digest (only credentials changed) and delete leaves the image in the registry", async () => {
        const { digest: _digest, ...news } = OLD;
        expect(await layerAppendProvider.update!("id", OLD, { ...news, password: "p2" })).toEqual({ outs: { ...news, password: "p2", digest: "sha256:aaa" } });
        await expect(layerAppendProvider.delete!("id", OLD)).resolves.toBeUndefined();
    });
});
