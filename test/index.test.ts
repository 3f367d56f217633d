import * as path from "path";
import { REPO_ROOT, runUnderMocks, stackFileConfig } from "./support/program";

describe("the program under mocks", () => {
    it("registers the dev stack's platform", async () => {
        const run = await runUnderMocks(stackFileConfig(path.join(REPO_ROOT, "Pulumi.dev.yaml")));
        console.log(run.registrations.map(r => `${r.type} ${r.name} <- ${r.dependsOn.join(",")} parent=${r.parent}`).join("\n"));
        console.log(JSON.stringify(run.outputs));
    });
});
