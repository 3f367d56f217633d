/**
 * The engine's floor for a fleet: no logic, one trivial dynamic resource per app of the same stack config
 * (`skyshift:apps`), carrying only the app's mode so a flip is an update. What skyshift costs beyond this is
 * skyshift's own.
 */
import * as pulumi from "@pulumi/pulumi";

const provider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: { mode: string }) {
        return { id: "floor", outs: inputs };
    },
};

class Noop extends pulumi.dynamic.Resource {
    constructor(name: string, mode: string) {
        super(provider, name, { mode });
    }
}

const apps = new pulumi.Config("skyshift").requireObject<Record<string, { mode: string }>>("apps");
for (const [key, app] of Object.entries(apps)) new Noop(key, app.mode);
