/**
 * Proves the lab's engine end to end before any skyshift test relies on it: the CLI, the Node.js
 * language host (ts-node included), stack config, and the Kubernetes provider against the lab's
 * API server, through a throwaway one-resource program.
 */
import { createStack, LabStack, readObject, waitFor, writeProgram } from "./harness";

const CONFIG_MAP = "skyshift-engine-check";

const program = writeProgram({
  "Pulumi.yaml": "name: engine-check\nruntime: nodejs\n",
  "package.json": JSON.stringify({ name: "engine-check", private: true }),
  "index.ts": `
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";

const greeting = new pulumi.Config().require("greeting");
const map = new k8s.core.v1.ConfigMap("check", {
  metadata: { name: "${CONFIG_MAP}", namespace: "default" },
  data: { greeting },
});
export const name = map.metadata.name;
`,
});

describe("the lab's Pulumi engine", () => {
  let stack: LabStack;

  beforeAll(async () => {
    stack = await createStack("engine", { greeting: "hello" }, { projectDir: program });
  });

  test("up creates the ConfigMap in the cluster", async () => {
    const result = await stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(result.outputs.name.value).toBe(CONFIG_MAP);
    const map = await readObject("v1", "ConfigMap", "default", CONFIG_MAP);
    expect(map?.data).toEqual({ greeting: "hello" });
  });

  test("a second preview expects no changes", async () => {
    const { changes } = await stack.preview(true);
    expect(Object.keys(changes)).toEqual(["same"]);
  });

  test("refresh finds no drift", async () => {
    const result = await stack.refresh(true);
    expect(Object.keys(result.summary.resourceChanges ?? {})).toEqual(["same"]);
  });

  // The provider treats ConfigMap data as immutable: a change replaces the object.
  test("a config change previews as a replacement showing that one field", async () => {
    await stack.setConfig({ greeting: "bye" });
    const { changes, diff } = await stack.preview();
    expect(changes).toEqual({ same: 1, replace: 1 });
    expect(diff).toMatch(/~\s*greeting\s*:\s*"hello" => "bye"/);
  });

  test("destroy removes the ConfigMap", async () => {
    await stack.destroy();
    await waitFor(async () => (await readObject("v1", "ConfigMap", "default", CONFIG_MAP)) === undefined, 30_000,
      "the ConfigMap to be gone");
  });
});
