/**
 * What a lab e2e needs to turn `instrumentation.java.sw8Propagator` on with the real engine: the lab registry (TLS
 * from the lab CA, htpasswd auth) that `imageRebuild.registry` names, a base image with `cp` for the operator's
 * extension init container, and the stack config with the password as a Pulumi secret. The same steps as
 * shared with sw8-propagator.e2e.test.ts, which proves the image itself.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import * as path from "node:path";
import * as tls from "node:tls";
import { pushFilesImage } from "../../components/image-rebuild/layer-append/files-image";
import { sw8Paths } from "../lab/runner/lab-telemetry";
import { LabStack, REPO_ROOT, StackConfig } from "./harness";

const SECRET_KEY = "skyshift-secrets:imageRegistryPassword";
const BASE_REPOSITORY = "lab/busybox-cp";

export interface LabSw8 {
    /** The lab registry's address and credentials (the password is read from its file, never printed). */
    readonly registry: { readonly server: string; readonly username: string; readonly password: string };
    /** The base image with `cp` that the extension image is pushed onto. */
    readonly baseImage: string;
    /** Writes `config` with the propagator on or off and the lab registry for image pushes, then the password as a secret. */
    configure(stack: LabStack, config: StackConfig, sw8: boolean): Promise<void>;
}

/** Starts the lab registry, trusts its CA (here and in the engine) and pushes the base image once per call. */
export async function labSw8(): Promise<LabSw8> {
    const script = path.join(REPO_ROOT, "test/lab/registry/registry.sh");
    execFileSync("bash", [path.join(REPO_ROOT, "test/lab/registry/install.sh")], { stdio: "inherit" });
    execFileSync("bash", [script, "up"], { stdio: "inherit" });
    const vars = Object.fromEntries(execFileSync("bash", [script, "env"]).toString().split("\n").filter(Boolean)
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]));
    const registry = { server: vars.SKYSHIFT_REGISTRY, username: vars.SKYSHIFT_REGISTRY_USERNAME, password: fs.readFileSync(vars.SKYSHIFT_REGISTRY_PASSWORD_FILE, "utf8").trim() };
    // The dynamic provider pushing the extension image runs in the engine's process: it inherits NODE_EXTRA_CA_CERTS.
    https.globalAgent.options.ca = [...tls.rootCertificates, fs.readFileSync(vars.SKYSHIFT_REGISTRY_CA, "utf8")];
    process.env.NODE_EXTRA_CA_CERTS = vars.SKYSHIFT_REGISTRY_CA;
    // Debian's static busybox is also `cp` when called so: the operator's extension init container runs `cp -r`.
    const busybox = fs.readFileSync("/bin/busybox").toString("base64");
    await pushFilesImage({
        base: "", labels: {}, repository: `${registry.server}/${BASE_REPOSITORY}`, tag: "1", server: registry.server, insecure: false,
        username: registry.username, password: registry.password,
        files: [{ path: "/bin/busybox", mode: 0o755, content: busybox }, { path: "/bin/cp", mode: 0o755, content: busybox }],
    });
    const baseImage = `${registry.server}/${BASE_REPOSITORY}:1`;
    return {
        registry,
        baseImage,
        async configure(stack, config, sw8) {
            const instrumentation = (config["skyshift:instrumentation"] ?? {}) as { java?: object };
            await stack.setConfig({
                ...config,
                "skyshift:instrumentation": { ...instrumentation, java: { ...instrumentation.java, sw8Propagator: sw8 ? { jar: sw8Paths().jar, baseImage } : false } },
                "skyshift:imageRebuild": { builder: "layer-append", registry: { server: registry.server, username: registry.username, passwordSecret: SECRET_KEY } },
            });
            // setConfig rewrites the stack file's config: the secret goes in after it, encrypted by the engine.
            await stack.stack.setConfig(SECRET_KEY, { value: registry.password, secret: true });
        },
    };
}
