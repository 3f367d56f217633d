import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { requireKubeconfig } from "../../../cli/lib/kube";

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "skyshift-errors-"));

describe("requireKubeconfig: a missing kubeconfig is named, not a raw ENOENT", () => {
    test.each([
        ["--kubeconfig names a missing file", { kubeconfig: "/nonexistent/kubeconfig" }, {}, "--kubeconfig /nonexistent/kubeconfig does not exist — pass the kubeconfig file kubectl uses for the cluster"],
        ["KUBECONFIG names a missing file", {}, { KUBECONFIG: "/nonexistent/a" }, "KUBECONFIG names /nonexistent/a, which does not exist — fix KUBECONFIG or pass --kubeconfig FILE"],
    ])("%s", (_name, target, env, message) => {
        expect(() => requireKubeconfig(target, env, tempDir())).toThrow(message);
    });

    test("no kubeconfig anywhere says where it looked", () => {
        const home = tempDir();
        expect(() => requireKubeconfig({}, {}, home)).toThrow(`no kubeconfig: ${path.join(home, ".kube", "config")} does not exist and KUBECONFIG is unset — pass --kubeconfig FILE (for the local lab: source test/lab/env.sh)`);
    });

    test("an existing default kubeconfig passes", () => {
        const home = tempDir();
        fs.mkdirSync(path.join(home, ".kube"));
        fs.writeFileSync(path.join(home, ".kube", "config"), "apiVersion: v1\n");
        expect(() => requireKubeconfig({}, {}, home)).not.toThrow();
    });
});
