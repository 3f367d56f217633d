import { appFlipProblems } from "../../config";
import { workloadPatch } from "../../components/migration/workload-patch";
import { app, catalinaRaw, initCopyRaw, pythonRaw } from "./apps";

const REF = "observability/skyshift";
const header = (name: string, namespace: string) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace } });
const build = (key: string, raw: Record<string, unknown>, image?: string) =>
    workloadPatch({ key, app: app(raw), instrumentationRef: REF, image });

describe("workloadPatch", () => {
    it("GIVEN SkyWalking in CATALINA_OPTS WHEN flipped to otel THEN it annotates, strips the flags and keeps the identity", () => {
        expect(build("shop/order-service", catalinaRaw)).toEqual({
            ...header("order-service", "shop"),
            spec: { template: {
                metadata: { annotations: {
                    "instrumentation.opentelemetry.io/inject-java": REF,
                    "instrumentation.opentelemetry.io/java-container-names": "order-service",
                } },
                spec: { containers: [{ name: "order-service", env: [
                    { name: "CATALINA_OPTS", value: "-Xms1g -Dfile.encoding=UTF-8" },
                    { name: "OTEL_SERVICE_NAME", value: "order-service" },
                    { name: "OTEL_RESOURCE_ATTRIBUTES", value: "service.instance.id=order-1,service.namespace=shop" },
                ] }] },
            } },
        });
    });

    it("GIVEN the same app in skywalking mode THEN it sends the originals and no annotation, so SSA removes what the flip added", () => {
        expect(build("shop/order-service", { ...catalinaRaw, mode: "skywalking" })).toEqual({
            ...header("order-service", "shop"),
            spec: { template: { spec: { containers: [{ name: "order-service", env: [
                { name: "CATALINA_OPTS", value: catalinaRaw.original.env.CATALINA_OPTS },
            ] }] } } },
        });
    });

    it("GIVEN an initContainer-copied agent WHEN flipped THEN the initContainer copies nothing; flipping back restores its command and args", () => {
        const otel = build("web/service-backend", initCopyRaw) as any;
        expect(otel.spec.template.spec).toEqual({
            containers: [{ name: "service-backend", env: [{ name: "OTEL_SERVICE_NAME", value: "service-backend" }] }],
            initContainers: [{ name: "init-skywalking-agent", command: ["/bin/sh", "-c"], args: ["echo 'skyshift: SkyWalking agent copy disabled (otel mode)'"] }],
        });
        const back = build("web/service-backend", { ...initCopyRaw, mode: "skywalking" }) as any;
        expect(back.spec.template.spec).toEqual({
            containers: [{ name: "service-backend" }],
            initContainers: [{ name: "init-skywalking-agent", command: ["/bin/sh"], args: ["-c", "cp -R /skywalking/agent /agent"] }],
        });
    });

    it("GIVEN sw-python run -p as the whole command THEN the program moves into command and both fields are owned in both modes", () => {
        const otel = build("py/api", pythonRaw) as any;
        expect(otel.spec.template.metadata.annotations["instrumentation.opentelemetry.io/inject-python"]).toBe(REF);
        expect(otel.spec.template.spec.containers).toEqual([{ name: "api", env: [{ name: "OTEL_SERVICE_NAME", value: "py-api" }], command: ["gunicorn"], args: ["app:app"] }]);
        const back = build("py/api", { ...pythonRaw, mode: "skywalking" }) as any;
        expect(back.spec.template.spec.containers).toEqual([{ name: "api", command: ["sw-python", "run", "-p"], args: ["gunicorn", "app:app"] }]);
    });

    it("GIVEN an SWCK-injected app THEN the injection label is false in otel mode and true again on flip back", () => {
        const swck = { mode: "otel", container: "pay", agentIn: { swck: true } };
        expect((build("shop/pay", swck) as any).spec.template.metadata.labels).toEqual({ "swck-java-agent-injected": "false" });
        expect((build("shop/pay", { ...swck, mode: "skywalking" }) as any).spec.template.metadata).toEqual({ labels: { "swck-java-agent-injected": "true" } });
    });

    it("GIVEN rebuildImage THEN otel mode sets the rebuilt image and skywalking mode the original; without one it fails naming the app", () => {
        const rebuilt = { mode: "otel", container: "legacy", rebuildImage: true, original: { image: "registry.corp/legacy:1.0" } };
        expect((build("shop/legacy", rebuilt, "registry.corp/skyshift/shop/legacy:otel-1") as any).spec.template.spec.containers[0].image)
            .toBe("registry.corp/skyshift/shop/legacy:otel-1");
        expect((build("shop/legacy", { ...rebuilt, mode: "skywalking" }) as any).spec.template.spec.containers[0].image).toBe("registry.corp/legacy:1.0");
        expect(() => build("shop/legacy", rebuilt)).toThrow("shop/legacy: rebuildImage is true but no rebuilt image was handed to the flip — pass AppMigrationArgs.image");
    });

    it("GIVEN JAVA_TOOL_OPTIONS that held only the agent THEN it becomes empty, so the operator appends its own -javaagent", () => {
        const raw = { mode: "otel", container: "c", agentIn: { env: ["JAVA_TOOL_OPTIONS"] }, original: { env: { JAVA_TOOL_OPTIONS: "-javaagent:/sky/agent/skywalking-agent.jar" } } };
        expect((build("a/b", raw) as any).spec.template.spec.containers[0].env).toEqual([{ name: "JAVA_TOOL_OPTIONS", value: "" }]);
    });
});

describe("appFlipProblems", () => {
    it("names every missing original and the missing container (a rebuild's source image is imageRebuildProblems' to report)", () => {
        const raw = { mode: "otel", agentIn: { env: ["JAVA_OPTS"], args: true, command: true }, rebuildImage: true };
        expect(appFlipProblems("shop/x", app(raw))).toEqual([
            'apps["shop/x"].container: is required — name the container that loads the agent (discovery writes it)',
            'apps["shop/x"].original.env.JAVA_OPTS: is required — the value before the first flip, restored on flip back (run discovery or copy it from the live workload)',
            'apps["shop/x"].original.args: is required — the value before the first flip, restored on flip back (run discovery or copy it from the live workload)',
            'apps["shop/x"].original.command: is required — the value before the first flip, restored on flip back (run discovery or copy it from the live workload)',
        ]);
    });

    it("is empty for a complete entry", () => {
        expect([catalinaRaw, initCopyRaw, pythonRaw].flatMap(raw => appFlipProblems("a/b", app(raw)))).toEqual([]);
    });
});

describe("workloadPatch in bridge mode", () => {
    const RECEIVER = "otel-collector.observability:11800";
    const bridge = (key: string, raw: Record<string, unknown>) =>
        workloadPatch({ key, app: app({ ...raw, mode: "bridge" }), instrumentationRef: REF, skywalkingReceiverAddress: RECEIVER }) as any;
    const catalinaBridge = { ...catalinaRaw, backendAddress: { source: "systemProperty", where: "env", envName: "CATALINA_OPTS", value: "oap:11800" } };

    it("GIVEN the address in a -D property THEN only that value changes: agent kept, no annotation, no OTEL_* env", () => {
        expect(bridge("shop/order-service", catalinaBridge)).toEqual({
            ...header("order-service", "shop"),
            spec: { template: { spec: { containers: [{ name: "order-service", env: [{ name: "CATALINA_OPTS", value:
                `-Xms1g -javaagent:/skywalking/agent/skywalking-agent.jar=agent.service_name=order-service -Dskywalking.collector.backend_service=${RECEIVER} -Dfile.encoding=UTF-8` }] }] } } },
        });
    });

    it("GIVEN the address in SW_AGENT_COLLECTOR_BACKEND_SERVICES THEN bridge rewrites it and every other mode sends it as discovered", () => {
        const python = { ...pythonRaw, backendAddress: { source: "env", where: "env", envName: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap:11800" } };
        expect(bridge("py/api", python).spec.template.spec.containers).toEqual([{ name: "api",
            env: [{ name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: RECEIVER }], command: ["sw-python", "run", "-p"], args: ["gunicorn", "app:app"] }]);
        for (const mode of ["skywalking", "otel"]) {
            expect(build("py/api", { ...python, mode }) as any).toMatchObject({ spec: { template: { spec: { containers: [{
                env: expect.arrayContaining([{ name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: "oap:11800" }]) }] } } } });
        }
    });

    it("GIVEN no address anywhere THEN bridge adds SW_AGENT_COLLECTOR_BACKEND_SERVICES, which no other mode sends", () => {
        const copier = { ...initCopyRaw, backendAddress: { source: "agentDefault" } };
        expect(bridge("web/service-backend", copier).spec.template.spec).toEqual({
            containers: [{ name: "service-backend", env: [{ name: "SW_AGENT_COLLECTOR_BACKEND_SERVICES", value: RECEIVER }] }],
            initContainers: [{ name: "init-skywalking-agent", command: ["/bin/sh"], args: ["-c", "cp -R /skywalking/agent /agent"] }],
        });
        expect((build("web/service-backend", { ...copier, mode: "skywalking" }) as any).spec.template.spec.containers).toEqual([{ name: "service-backend" }]);
    });

    it("GIVEN an agent option in args THEN the option's value changes in place", () => {
        const raw = { container: "gw", agentIn: { args: true }, backendAddress: { source: "agentOption", where: "args", value: "oap:11800" },
            original: { command: ["java"], args: ["-javaagent:/sky/agent/skywalking-agent.jar=collector.backend_service=oap:11800,agent.service_name=gw", "-jar", "gw.jar"] } };
        expect(bridge("edge/gw", raw).spec.template.spec.containers[0]).toEqual({ name: "gw",
            args: [`-javaagent:/sky/agent/skywalking-agent.jar=collector.backend_service=${RECEIVER},agent.service_name=gw`, "-jar", "gw.jar"] });
    });

    it("GIVEN a rebuildImage app THEN bridge keeps the original image (it carries the agent)", () => {
        const raw = { container: "legacy", rebuildImage: true, original: { image: "registry.corp/legacy:1.0" }, backendAddress: { source: "agentDefault" } };
        expect(bridge("shop/legacy", raw).spec.template.spec.containers[0].image).toBe("registry.corp/legacy:1.0");
    });

    it("fails naming the app when no receiver address was handed over", () => {
        expect(() => workloadPatch({ key: "shop/order-service", app: app({ ...catalinaBridge, mode: "bridge" }), instrumentationRef: REF }))
            .toThrow("shop/order-service: mode bridge but no skywalking receiver address was handed to the flip — set collector.skywalkingReceiver");
    });
});
