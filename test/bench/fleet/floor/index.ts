/**
 * The engine's floor for a fleet: no logic, one trivial dynamic resource per app of the same inventory file
 * (`skyshift:inventory`) and mode decisions (`skyshift:apps`), carrying only the app's mode so a flip is an
 * update. What skyshift costs beyond this is skyshift's own.
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

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

const config = new pulumi.Config("skyshift");
const inventory = parse(fs.readFileSync(config.require("inventory"), "utf8")) as { apps: Record<string, unknown> };
const decisions = config.getObject<Record<string, { mode: string }>>("apps") ?? {};
for (const key of Object.keys(inventory.apps)) new Noop(key, decisions[key]?.mode ?? "skywalking");
