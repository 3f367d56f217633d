/**
 * Shared helpers for the e2e tests: the real Pulumi engine and Kubernetes provider built by
 * `npm run lab:tools`, run through the Automation API against the lab cluster (`npm run lab:up`).
 *
 * Each test file gets its own file backend and its own copy of the project in temporary
 * directories, removed after the file's tests. A typical case:
 *
 * ```ts
 * const stack = await createStack("flip", { "skyshift:apps": { "shop/order": { mode: "otel" } } });
 * stack.setInventory({ "shop/order": { container: "order", agentIn: { env: ["JAVA_OPTS"] }, original: { env: { JAVA_OPTS: "…" } } } });
 * await stack.up();
 * const { changes, diff } = await stack.preview();
 * await waitFor(() => readObject("apps/v1", "Deployment", "shop", "order"), 60_000, "order deployment");
 * await stack.destroy();
 * ```
 *
 * Kubernetes access goes through the lab's kubectl: `@kubernetes/client-node` is an ES module, which
 * jest's CommonJS runtime cannot load.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  DestroyResult,
  LocalWorkspace,
  OpMap,
  OutputMap,
  PulumiCommand,
  RefreshResult,
  Stack,
  UpResult,
} from "@pulumi/pulumi/automation";
import * as YAML from "yaml";

const run = promisify(execFile);

/** The repository root: the project whose Pulumi.yaml the default stacks run. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** What the lab provides to pulumi and kubectl, read from `test/lab/env.sh`. */
export interface LabEnv {
  /** Environment for child processes: lab binaries first on PATH, PULUMI_HOME, KUBECONFIG, … */
  readonly vars: Readonly<Record<string, string>>;
  /** The lab cache (`$SKYSHIFT_CACHE`, default `~/.cache/skyshift`). */
  readonly cache: string;
  /** The lab's `pulumi` (`$SKYSHIFT_CACHE/bin/pulumi`), whatever else is on the test's PATH. */
  readonly pulumi: PulumiCommand;
}

let labEnvOnce: Promise<LabEnv> | undefined;

/**
 * Reads the lab environment once per test file and checks that the tools are built and the API
 * server answers. Rejects with "lab tools missing: run npm run lab:tools" or
 * "lab not up: run npm run lab:up" otherwise.
 */
export function labEnv(): Promise<LabEnv> {
  labEnvOnce ??= loadLabEnv();
  return labEnvOnce;
}

async function loadLabEnv(): Promise<LabEnv> {
  const { stdout } = await run("bash", [path.join(REPO_ROOT, "test/lab/env.sh"), "--plain"]);
  const vars: Record<string, string> = {};
  for (const line of stdout.split("\n").filter(Boolean)) {
    const eq = line.indexOf("=");
    vars[line.slice(0, eq)] = line.slice(eq + 1);
  }
  const cache = vars.SKYSHIFT_CACHE;
  for (const tool of ["pulumi", "pulumi-language-nodejs", "pulumi-resource-kubernetes", "kubectl"]) {
    if (!fs.existsSync(path.join(cache, "bin", tool))) {
      throw new Error(`lab tools missing (${tool}): run npm run lab:tools`);
    }
  }
  if (!fs.existsSync(vars.KUBECONFIG)) throw new Error(`lab not up: run npm run lab:up (no ${vars.KUBECONFIG})`);
  const env: LabEnv = { vars, cache, pulumi: await PulumiCommand.get({ root: cache }) };
  try {
    await kubectlWith(env, ["get", "--raw", "/readyz", "--request-timeout=5s"]);
  } catch (err) {
    throw new Error(`lab not up: run npm run lab:up (${firstLine(err)})`);
  }
  return env;
}

// ---------------------------------------------------------------------------------------------
// Temporary directories, removed after the test file.

const scratch: string[] = [];

function tempDir(role: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `skyshift-e2e-${role}-`));
  scratch.push(dir);
  return dir;
}

if (typeof afterAll === "function") {
  afterAll(() => {
    for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
}

let backendOnce: string | undefined;

/** One file backend per test file: stacks in different files never see each other. */
function backendUrl(): string {
  backendOnce ??= tempDir("state");
  return `file://${backendOnce}`;
}

/** Top-level entries of the repository that a project copy leaves out. */
const NOT_COPIED = new Set([".git", "node_modules", "coverage", "dist", "bin", ".lab"]);

let projectCopyOnce: string | undefined;

/**
 * A copy of the repository's project (shared by the stacks of one test file), so stack files
 * and `pulumi config` writes never touch the work tree. node_modules is a symlink.
 */
function projectCopy(): string {
  if (projectCopyOnce) return projectCopyOnce;
  const dir = tempDir("project");
  for (const entry of fs.readdirSync(REPO_ROOT)) {
    if (NOT_COPIED.has(entry) || /^Pulumi\..+\.ya?ml$/.test(entry) || /^skyshift\..+\.inventory\.ya?ml$/.test(entry)) continue;
    fs.cpSync(path.join(REPO_ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  projectCopyOnce = dir;
  return dir;
}

/**
 * Writes a throwaway Pulumi project (file name → content; include a `Pulumi.yaml`) into a temporary
 * directory with the repository's node_modules linked in, and returns the directory for
 * {@link createStack}'s `projectDir`.
 */
export function writeProgram(files: Readonly<Record<string, string>>): string {
  const dir = tempDir("program");
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  return dir;
}

/**
 * A program of its own for flip tests: only `migrateApps` from the repository (and, with `withCollector`, the
 * `Collector` component, exporting its SkyWalking receiver address), with the Instrumentation ref a literal (the
 * test makes the Instrumentation), exporting `appModes`. `root`: another checkout of the repository (an older
 * commit's code, for upgrade tests).
 */
export function migrateAppsProgram(instrumentationRef: string, { withCollector = false, root = REPO_ROOT } = {}): string {
  const repo = (p: string) => JSON.stringify(path.join(root, p));
  const collector = withCollector ? [
    `import { Collector } from ${repo("components")};`,
    `const collector = new Collector("collector", { namespace: config.platform.namespace, collector: config.collector, deepflow: config.deepflow });`,
    `export const collectorSkywalkingGrpcAddress = collector.skywalkingGrpcAddress;`,
  ] : [];
  return writeProgram({
    "Pulumi.yaml": "name: skyshift\nruntime: {name: nodejs, options: {typescript: true}}\n",
    "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", esModuleInterop: true, skipLibCheck: true } }),
    "index.ts": [
      `import * as pulumi from "@pulumi/pulumi";`,
      `import { migrateApps } from ${repo("components/migration")};`,
      `import { loadStackConfig } from ${repo("config")};`,
      `const { config, warnings } = loadStackConfig(pulumi.runtime.allConfig(), pulumi.getStack());`,
      // As index.ts does: an app left out of the update is a warning naming its fix.
      "for (const warning of warnings) pulumi.log.warn(`${warning.path}: ${warning.message}`);",
      ...collector,
      `export const appModes = migrateApps(config, "${instrumentationRef}", { kubeconfig: process.env.KUBECONFIG }).appModes;`,
    ].join("\n"),
  });
}

// ---------------------------------------------------------------------------------------------
// Stacks.

/**
 * Stack configuration as it would appear under `config:` in `Pulumi.<stack>.yaml`: values may be
 * objects and lists. Keys without a namespace (`apps`) get the project's name (`skyshift:apps`).
 */
export type StackConfig = Readonly<Record<string, unknown>>;

/** Options for {@link createStack}. */
export interface CreateStackOptions {
  /** Project directory to run; default: a temporary copy of the repository's own project. */
  readonly projectDir?: string;
}

/** What a preview would change. */
export interface PreviewOutcome {
  /** Count of resources per operation, e.g. `{ same: 3, update: 1 }`. */
  readonly changes: OpMap;
  /** The engine's `--diff` text, property by property, then its stderr (the program's warnings). */
  readonly diff: string;
}

/**
 * Creates a stack in this test file's backend with the given config and returns it.
 * Stack names only need to be unique within a test file.
 */
export async function createStack(
  name: string,
  config: StackConfig,
  options: CreateStackOptions = {},
): Promise<LabStack> {
  const env = await labEnv();
  const workDir = options.projectDir ?? projectCopy();
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: name, workDir },
    {
      envVars: { ...env.vars, PULUMI_BACKEND_URL: backendUrl() },
      pulumiCommand: env.pulumi,
      secretsProvider: "passphrase",
    },
  );
  const labStack = new LabStack(stack, workDir);
  await labStack.setConfig(config);
  return labStack;
}

/** A stack of the lab's backend with the engine operations the tests need. */
export class LabStack {
  /** @param stack the Automation API stack, for anything the helpers below do not cover. */
  constructor(
    readonly stack: Stack,
    readonly workDir: string,
  ) {}

  /**
   * Replaces the stack's whole config. It is written into `Pulumi.<stack>.yaml` (the stack's
   * own file, in the project copy) because `pulumi config set` takes strings, not objects.
   */
  async setConfig(config: StackConfig): Promise<void> {
    const project = await this.stack.workspace.projectSettings();
    const file = path.join(this.workDir, `Pulumi.${this.stack.name}.yaml`);
    const settings = fs.existsSync(file) ? (YAML.parse(fs.readFileSync(file, "utf8")) ?? {}) : {};
    settings.config = Object.fromEntries(
      Object.entries(config).map(([key, value]) => [key.includes(":") ? key : `${project.name}:${key}`, value]),
    );
    fs.writeFileSync(file, YAML.stringify(settings));
  }

  /**
   * Writes the stack's inventory file, `skyshift.<stack>.inventory.yaml` beside its stack file, as
   * `npm run discover` would: what discovery learned per app, keyed `namespace/name`, without modes.
   */
  setInventory(apps: Readonly<Record<string, unknown>>): void {
    const file = path.join(this.workDir, `skyshift.${this.stack.name}.inventory.yaml`);
    fs.writeFileSync(file, YAML.stringify({ apiVersion: "skyshift/v1", kind: "Inventory", apps }));
  }

  /** Runs `pulumi up`; rejects with the engine's output when the update fails. */
  up(): Promise<UpResult> {
    return this.stack.up({ onOutput: echo() });
  }

  /**
   * Runs `pulumi preview --diff`.
   * @param expectNoChanges reject when anything would change (`--expect-no-changes`).
   */
  async preview(expectNoChanges = false): Promise<PreviewOutcome> {
    const result = await this.stack.preview({ diff: true, expectNoChanges, onOutput: echo() });
    // The program's warnings (pulumi.log.warn) reach the CLI's stderr, not its stdout.
    return { changes: result.changeSummary, diff: `${result.stdout}\n${result.stderr}` };
  }

  /**
   * Runs `pulumi refresh`.
   * @param expectNoChanges reject when the cluster drifted from the state (`--expect-no-changes`).
   */
  refresh(expectNoChanges = false): Promise<RefreshResult> {
    return this.stack.refresh({ expectNoChanges, onOutput: echo() });
  }

  /** Runs `pulumi destroy`. */
  destroy(): Promise<DestroyResult> {
    return this.stack.destroy({ onOutput: echo() });
  }

  /** The stack's outputs after the last update. */
  outputs(): Promise<OutputMap> {
    return this.stack.outputs();
  }
}

/** Engine output is shown live only when SKYSHIFT_E2E_VERBOSE=1; failures carry it regardless. */
function echo(): ((out: string) => void) | undefined {
  return process.env.SKYSHIFT_E2E_VERBOSE === "1" ? (out) => process.stdout.write(out) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes.

/** A Kubernetes object as the API returns it; fields beyond the header are left open. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [field: string]: unknown };
  readonly [field: string]: unknown;
}

/** Runs the lab's kubectl with the lab's KUBECONFIG and returns its stdout. */
export async function kubectl(args: readonly string[], stdin?: string): Promise<string> {
  return kubectlWith(await labEnv(), args, stdin);
}

function kubectlWith(env: LabEnv, args: readonly string[], stdin?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "kubectl",
      [...args],
      { env: { ...process.env, ...env.vars }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) =>
        err ? reject(new Error(`kubectl ${args.join(" ")}: ${stderr.trim() || err.message}`)) : resolve(stdout),
    );
    child.stdin?.end(stdin ?? "");
  });
}

/** Server-side applies objects as field manager `skyshift-e2e`, taking over conflicting fields. */
export async function applyManifest(objects: KubeObject | readonly KubeObject[]): Promise<void> {
  const items = Array.isArray(objects) ? objects : [objects];
  const list = { apiVersion: "v1", kind: "List", items };
  await kubectl(["apply", "--server-side", "--force-conflicts", "--field-manager=skyshift-e2e", "-f", "-"], JSON.stringify(list));
}

/**
 * Reads one object, or `undefined` when it does not exist.
 * @param namespace `undefined` for cluster-scoped kinds.
 */
export async function readObject<T extends KubeObject = KubeObject>(
  apiVersion: string,
  kind: string,
  namespace: string | undefined,
  name: string,
): Promise<T | undefined> {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const args = ["get", `${kind}.${version}.${group}`, name, "--ignore-not-found", "-o", "json"];
  const out = await kubectl(namespace ? [...args, "-n", namespace] : args);
  return out.trim() ? (JSON.parse(out) as T) : undefined;
}

/**
 * Polls `probe` every second until it returns something other than `undefined` or `false`, and
 * returns that. Rejects after `timeoutMs` naming `what` and the probe's last error, if any.
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? "" : ` (last error: ${firstLine(lastError)})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The Instrumentation the flipped apps' inject annotation points at, in the apps' own namespace (`<ns>/skyshift`). */
export function labInstrumentation(namespace: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: "opentelemetry.io/v1alpha1", kind: "Instrumentation", metadata: { name: "skyshift", namespace },
    spec: { exporter: { endpoint: "http://otel-collector.observability.svc.cluster.local:4318" }, ...spec },
  };
}

/**
 * Waits until namespace `name` is gone: a previous test's destroy may still be deleting it. A namespace that is
 * Active and not being deleted belongs to something else on the lab (`npm run demo` leaves the `dev` stack's
 * `observability` and `demo` namespaces up), so waiting cannot help: fail at once and say how to get a clean lab.
 */
export async function waitForNamespaceGone(name: string, timeoutMs = 120_000): Promise<void> {
  const existing = await readObject("v1", "Namespace", undefined, name);
  if (existing && !(existing.metadata as { deletionTimestamp?: string } | undefined)?.deletionTimestamp) {
    throw new Error(`namespace ${name} exists and nothing is deleting it: another stack on the lab owns it ` +
      `(npm run demo's dev stack?). Start a clean lab with npm run lab:down && npm run lab:up, or kubectl delete namespace ${name}`);
  }
  await waitFor(async () => (await readObject("v1", "Namespace", undefined, name)) === undefined, timeoutMs, `namespace ${name} gone`);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}
