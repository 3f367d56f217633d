import fc from "fast-check";
import { DEFAULT_DETECT_OPTIONS, detectWorkload, otherJavaAgents, scanJvmOptions } from "../../discovery";
import { loadWorkloadFixture, workloadFixtureNames } from "./fixtures";

/** Runs detection on a corpus manifest; `namespace`, `name` and `kind` are checked once, below, so rows stay readable. */
function detectFixture(name: string, options = DEFAULT_DETECT_OPTIONS): Record<string, unknown> {
    const { kind, workload } = loadWorkloadFixture(name);
    const { namespace: _namespace, name: _name, kind: _kind, ...rest } = detectWorkload(kind, workload, options);
    return rest;
}

// One row per manifest in test/fixtures/workloads, expected records written out in full.
const corpus: [string, Record<string, unknown>][] = [
    ["args-javaagent", {
        "key": "edge/gateway",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "gateway",
            "agentIn": {
                "env": [],
                "args": true,
                "command": false,
                "swck": false
            },
            "serviceName": "gateway",
            "original": {
                "env": {},
                "args": [
                    "-javaagent:/opt/skywalking/agent/skywalking-agent.jar",
                    "-Dskywalking.agent.service_name=gateway",
                    "-jar",
                    "/app/gateway.jar"
                ]
            },
            "rebuildImage": false,
            "evidence": [
                "args: -javaagent:/opt/skywalking/agent/skywalking-agent.jar, -Dskywalking.agent.service_name"
            ]
        },
        "manualSteps": []
    }],
    ["both-agents", {
        "key": "shop/coupon",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "coupon",
            "agentIn": {
                "env": [
                    "JAVA_OPTS"
                ],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "coupon",
            "original": {
                "env": {
                    "JAVA_OPTS": "-javaagent:/skywalking/agent/skywalking-agent.jar"
                }
            },
            "rebuildImage": false,
            "evidence": [
                "env JAVA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar",
                "env SW_AGENT_NAME",
                "also OpenTelemetry: annotation instrumentation.opentelemetry.io/inject-java: \"true\" — two agents may load today"
            ]
        },
        "manualSteps": []
    }],
    ["command-sh-c", {
        "key": "shop/search",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "search",
            "agentIn": {
                "env": [],
                "args": false,
                "command": true,
                "swck": false
            },
            "serviceName": "search",
            "original": {
                "env": {},
                "command": [
                    "sh",
                    "-c",
                    "exec java -javaagent:/skywalking/agent/skywalking-agent.jar -jar /app/search.jar"
                ]
            },
            "rebuildImage": false,
            "evidence": [
                "command: -javaagent:/skywalking/agent/skywalking-agent.jar",
                "env SW_AGENT_NAME"
            ]
        },
        "manualSteps": []
    }],
    ["custom-env-name", {
        "key": "shop/notify",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "notify",
            "agentIn": {
                "env": [],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "notify",
            "original": {
                "env": {}
            },
            "rebuildImage": false,
            "evidence": [
                "env APP_JAVA_OPTS (not a JVM-option variable): -javaagent:/skywalking/agent/skywalking-agent.jar, -Dskywalking.agent.service_name",
                "manual step: notify env APP_JAVA_OPTS carries SkyWalking flags but is not a JVM-option variable — rerun discover with --jvm-env APP_JAVA_OPTS"
            ]
        },
        "manualSteps": [
            "notify env APP_JAVA_OPTS carries SkyWalking flags but is not a JVM-option variable — rerun discover with --jvm-env APP_JAVA_OPTS"
        ]
    }],
    ["dskywalking-properties-only", {
        "key": "finance/report",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "report",
            "agentIn": {
                "env": [
                    "JAVA_OPTS"
                ],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "report",
            "original": {
                "env": {
                    "JAVA_OPTS": "-Xmx1g -Dskywalking.agent.service_name=report -Dskywalking.collector.backend_service=oap.skywalking:11800"
                },
                "image": "registry.corp/finance/report:4.1"
            },
            "rebuildImage": true,
            "evidence": [
                "env JAVA_OPTS: -Dskywalking.agent.service_name, -Dskywalking.collector.backend_service",
                "nothing in the spec loads the agent: the image does — rebuild it without SkyWalking"
            ]
        },
        "manualSteps": []
    }],
    ["java-tool-options-agent-options", {
        "key": "finance/billing",
        "verdict": "skywalking",
        "app": {
            "kind": "StatefulSet",
            "language": "java",
            "container": "billing",
            "agentIn": {
                "env": [
                    "JAVA_TOOL_OPTIONS"
                ],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "billing",
            "instanceName": "billing-0",
            "serviceNamespace": "finance",
            "original": {
                "env": {
                    "JAVA_TOOL_OPTIONS": "-XX:MaxRAMPercentage=75 -javaagent:/skywalking/agent/skywalking-agent.jar=agent.service_name=billing,agent.namespace=finance,agent.instance_name=billing-0"
                }
            },
            "rebuildImage": false,
            "evidence": [
                "env JAVA_TOOL_OPTIONS: -javaagent:/skywalking/agent/skywalking-agent.jar",
                "env SW_AGENT_COLLECTOR_BACKEND_SERVICES"
            ]
        },
        "manualSteps": []
    }],
    ["jdk-java-options-quoted", {
        "key": "shop/inventory",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "inventory",
            "agentIn": {
                "env": [
                    "JDK_JAVA_OPTIONS"
                ],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "inventory",
            "original": {
                "env": {
                    "JDK_JAVA_OPTIONS": "-javaagent:/usr/skywalking/agent/skywalking-agent.jar  -Dskywalking.agent.service_name=\"inventory\" -Xss512k"
                }
            },
            "rebuildImage": false,
            "evidence": [
                "env JDK_JAVA_OPTIONS: -javaagent:/usr/skywalking/agent/skywalking-agent.jar, -Dskywalking.agent.service_name",
                "env SW_AGENT_NAME"
            ]
        },
        "manualSteps": []
    }],
    ["multi-container", {
        "key": "shop/pricing",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "pricing",
            "agentIn": {
                "env": [
                    "JAVA_OPTS"
                ],
                "args": false,
                "command": false,
                "swck": false
            },
            "original": {
                "env": {
                    "JAVA_OPTS": "-javaagent:/skywalking/agent/skywalking-agent.jar"
                }
            },
            "rebuildImage": false,
            "evidence": [
                "env JAVA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar",
                "manual step: containers pricing-worker also carry SkyWalking; one inventory entry covers pricing only"
            ]
        },
        "manualSteps": [
            "containers pricing-worker also carry SkyWalking; one inventory entry covers pricing only"
        ]
    }],
    ["no-skywalking", {
        "key": "edge/nginx",
        "verdict": "none",
        "notes": []
    }],
    ["nodejs-node-options", {
        "key": "edge/web-bff",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "nodejs",
            "container": "web-bff",
            "agentIn": {
                "env": [
                    "NODE_OPTIONS"
                ],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "web-bff",
            "original": {
                "env": {
                    "NODE_OPTIONS": "--max-old-space-size=512 --require skywalking-backend-js"
                }
            },
            "rebuildImage": false,
            "evidence": [
                "NODE_OPTIONS requires skywalking-backend-js",
                "env SW_AGENT_NAME"
            ]
        },
        "manualSteps": []
    }],
    ["only-sidecars", {
        "key": "logging/log-relay",
        "verdict": "skipped",
        "reason": "only sidecar containers (fluent-bit, istio-proxy)"
    }],
    ["otel-annotated", {
        "key": "shop/checkout",
        "verdict": "otel",
        "reasons": [
            "annotation instrumentation.opentelemetry.io/inject-java: \"observability/skyshift\""
        ]
    }],
    ["otel-javaagent", {
        "key": "shop/shipping",
        "verdict": "otel",
        "reasons": [
            "JAVA_TOOL_OPTIONS loads the OpenTelemetry Java agent",
            "OTEL_SERVICE_NAME is set"
        ]
    }],
    ["python-sh-c-args", {
        "key": "ml/ranker",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "python",
            "container": "ranker",
            "agentIn": {
                "env": [],
                "args": true,
                "command": false,
                "swck": false
            },
            "original": {
                "env": {},
                "args": [
                    "-c",
                    "pip list >/dev/null; sw-python run python main.py"
                ]
            },
            "rebuildImage": false,
            "evidence": [
                "args: sw-python run"
            ]
        },
        "manualSteps": []
    }],
    ["python-sw-python-command", {
        "key": "ml/recommend",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "python",
            "container": "recommend",
            "agentIn": {
                "env": [],
                "args": false,
                "command": true,
                "swck": false
            },
            "serviceName": "recommend",
            "original": {
                "env": {},
                "command": [
                    "sw-python",
                    "run",
                    "-p",
                    "gunicorn",
                    "-b",
                    "0.0.0.0:8000",
                    "app:app"
                ]
            },
            "rebuildImage": false,
            "evidence": [
                "command: sw-python run",
                "env SW_AGENT_NAME, SW_AGENT_COLLECTOR_BACKEND_SERVICES, SW_SAMPLE_N_PER_3_SECS"
            ]
        },
        "manualSteps": []
    }],
    ["renamed-agent-jar", {
        "key": "shop/loyalty",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "loyalty",
            "agentIn": {
                "env": [],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "loyalty",
            "original": {
                "env": {},
                "image": "registry.corp/shop/loyalty:5.1"
            },
            "rebuildImage": true,
            "evidence": [
                "env SW_AGENT_NAME",
                "nothing in the spec loads the agent: the image does — rebuild it without SkyWalking",
                "manual step: loyalty env JAVA_OPTS loads -javaagent:/opt/agent/agent.jar, whose path does not name SkyWalking: if it is the SkyWalking agent, the flip cannot remove it — check the image before flipping"
            ]
        },
        "manualSteps": [
            "loyalty env JAVA_OPTS loads -javaagent:/opt/agent/agent.jar, whose path does not name SkyWalking: if it is the SkyWalking agent, the flip cannot remove it — check the image before flipping"
        ]
    }],
    ["replicas-zero", {
        "key": "shop/produce-canary",
        "verdict": "skipped",
        "reason": "replicas: 0 — nothing runs, nothing to migrate"
    }],
    ["seed-000-catalina-opts-istio", {
        "key": "shop/order-service",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "order-service",
            "agentIn": {
                "env": [
                    "CATALINA_OPTS"
                ],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "order-service",
            "original": {
                "env": {
                    "CATALINA_OPTS": "-Xms1g -Xmx1g -javaagent:/home/admin/skywalking-agent/skywalking-agent.jar -Dskywalking.agent.service_name=order-service -Dskywalking.collector.backend_service=oap.skywalking:11800 -Dfile.encoding=UTF-8"
                }
            },
            "rebuildImage": false,
            "evidence": [
                "env CATALINA_OPTS: -javaagent:/home/admin/skywalking-agent/skywalking-agent.jar, -Dskywalking.agent.service_name, -Dskywalking.collector.backend_service"
            ]
        },
        "manualSteps": []
    }],
    ["seed-002-init-copier-start-script", {
        "key": "shop/service-backend",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "service-backend",
            "agentIn": {
                "env": [],
                "args": false,
                "command": false,
                "initContainer": "init-skywalking-agent",
                "swck": false
            },
            "serviceName": "service-backend",
            "original": {
                "env": {},
                "initContainerCommand": [
                    "/bin/sh"
                ],
                "initContainerArgs": [
                    "-c",
                    "cp -R /skywalking/agent /agent"
                ]
            },
            "rebuildImage": false,
            "evidence": [
                "env SW_AGENT_COLLECTOR_BACKEND_SERVICES, SW_AGENT_NAME, SW_AGENT_INSTANCENAME, SW_GRPC_LOG_SERVER_HOST, SW_GRPC_LOG_SERVER_PORT",
                "initContainer init-skywalking-agent (image skywalking-java-agent:8.7.0) copies the SkyWalking agent into volume skywalking-agent (mounted in service-backend at /opt/skywalking/)",
                "no -javaagent in the spec: the image's start script loads the agent the initContainer copied",
                "SW_AGENT_INSTANCENAME set with valueFrom (not copied)"
            ]
        },
        "manualSteps": []
    }],
    ["seed-003-init-copier-jvm-opts", {
        "key": "shop/produce",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "produce",
            "agentIn": {
                "env": [
                    "JVM_OPTS"
                ],
                "args": false,
                "command": false,
                "initContainer": "skywalking-agent",
                "swck": false
            },
            "serviceName": "springboot-produce",
            "original": {
                "env": {
                    "JVM_OPTS": "-Xms512m -Xmx512m -javaagent:/usr/skywalking/agent/skywalking-agent.jar"
                },
                "initContainerCommand": [
                    "sh"
                ],
                "initContainerArgs": [
                    "-c",
                    "cp -r /usr/skywalking/agent/* /skywalking/agent"
                ]
            },
            "rebuildImage": false,
            "evidence": [
                "env JVM_OPTS: -javaagent:/usr/skywalking/agent/skywalking-agent.jar",
                "env SW_AGENT_NAME",
                "initContainer skywalking-agent (image registry.boer.xyz/public/skywalking-agent:8.1.0) copies the SkyWalking agent into volume skywalking-agent (mounted in produce at /usr/skywalking/agent)"
            ]
        },
        "manualSteps": []
    }],
    ["sw-env-only-baked-image", {
        "key": "finance/legacy-report",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "legacy-report",
            "agentIn": {
                "env": [],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "legacy-report",
            "serviceNamespace": "finance",
            "original": {
                "env": {},
                "image": "registry.corp/finance/legacy-report:2019.11"
            },
            "rebuildImage": true,
            "evidence": [
                "env SW_AGENT_NAME, SW_AGENT_NAMESPACE, SW_AGENT_COLLECTOR_BACKEND_SERVICES",
                "nothing in the spec loads the agent: the image does — rebuild it without SkyWalking",
                "language guessed from image registry.corp/finance/legacy-report:2019.11: only SW_* env to go by — correct it if wrong"
            ]
        },
        "manualSteps": []
    }],
    ["swck-label-false", {
        "key": "shop/wishlist",
        "verdict": "none",
        "notes": [
            "SWCK annotations without label swck-java-agent-injected: \"true\" (it is \"false\"): SWCK does not inject"
        ]
    }],
    ["swck-label", {
        "key": "shop/cart",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "cart",
            "agentIn": {
                "env": [],
                "args": false,
                "command": false,
                "swck": true
            },
            "serviceName": "shop-cart",
            "original": {
                "env": {}
            },
            "rebuildImage": false,
            "evidence": [
                "label swck-java-agent-injected: \"true\" — SWCK injects the agent when pods are created",
                "SWCK annotations agent.skywalking.apache.org/agent.service_name, sidecar.skywalking.apache.org/initcontainer.Image, strategy.skywalking.apache.org/inject.Container"
            ]
        },
        "manualSteps": []
    }],
    ["swck-pod-spec-copied", {
        "key": "finance/payment",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "payment",
            "agentIn": {
                "env": [
                    "JAVA_TOOL_OPTIONS"
                ],
                "args": false,
                "command": false,
                "initContainer": "inject-skywalking-agent",
                "swck": false
            },
            "serviceName": "payment",
            "original": {
                "env": {
                    "JAVA_TOOL_OPTIONS": " -javaagent:/sky/agent/skywalking-agent.jar"
                },
                "initContainerCommand": [
                    "sh"
                ],
                "initContainerArgs": [
                    "-c",
                    "mkdir -p /sky/agent && cp -r /skywalking/agent/* /sky/agent"
                ]
            },
            "rebuildImage": false,
            "evidence": [
                "env JAVA_TOOL_OPTIONS: -javaagent:/sky/agent/skywalking-agent.jar",
                "env SW_AGENT_NAME",
                "initContainer inject-skywalking-agent (image apache/skywalking-java-agent:8.16.0-java8) copies the SkyWalking agent into volume sky-agent (mounted in payment at /sky/agent)"
            ]
        },
        "manualSteps": []
    }],
    ["valuefrom-java-tool-options", {
        "key": "finance/ledger",
        "verdict": "skywalking",
        "app": {
            "kind": "Deployment",
            "language": "java",
            "container": "ledger",
            "agentIn": {
                "env": [],
                "args": false,
                "command": false,
                "swck": false
            },
            "serviceName": "ledger",
            "original": {
                "env": {}
            },
            "rebuildImage": false,
            "evidence": [
                "env SW_AGENT_NAME",
                "manual step: ledger env JAVA_TOOL_OPTIONS comes from configMapKeyRef ledger-jvm/java-tool-options: the operator cannot append its agent to it (injection is skipped) and discovery cannot see whether it loads SkyWalking — inline the value in the workload, then run discover again"
            ]
        },
        "manualSteps": [
            "ledger env JAVA_TOOL_OPTIONS comes from configMapKeyRef ledger-jvm/java-tool-options: the operator cannot append its agent to it (injection is skipped) and discovery cannot see whether it loads SkyWalking — inline the value in the workload, then run discover again"
        ]
    }],
];

describe("detectWorkload on the manifest corpus", () => {
    test.each(corpus)("%s", (fixture, expected) => {
        expect(detectFixture(fixture)).toEqual(expected);
    });

    test("every manifest in the corpus has a row", () => {
        expect(corpus.map(([name]) => name).sort()).toEqual(workloadFixtureNames());
    });

    test("names the workload it read, defaulting the namespace like the API server", () => {
        const { kind, workload } = loadWorkloadFixture("seed-003-init-copier-jvm-opts");
        expect(detectWorkload(kind, workload)).toMatchObject({ key: "shop/produce", namespace: "shop", name: "produce", kind: "Deployment" });
        const unnamespaced = { ...workload, metadata: { name: "produce" } };
        expect(detectWorkload(kind, unnamespaced)).toMatchObject({ key: "default/produce", namespace: "default" });
    });

    test("does not modify the workload it reads", () => {
        const { kind, workload } = loadWorkloadFixture("seed-002-init-copier-start-script");
        const before = JSON.stringify(workload);
        detectWorkload(kind, deepFreeze(workload));
        expect(JSON.stringify(workload)).toBe(before);
    });
});

describe("detectWorkload options", () => {
    test("a JVM-option variable named by the operator is rewritten instead of asking for a manual step", () => {
        const options = { ...DEFAULT_DETECT_OPTIONS, jvmOptionEnvNames: [...DEFAULT_DETECT_OPTIONS.jvmOptionEnvNames, "APP_JAVA_OPTS"] };
        expect(detectFixture("custom-env-name", options)).toEqual({
            key: "shop/notify",
            verdict: "skywalking",
            app: {
                kind: "Deployment",
                language: "java",
                container: "notify",
                agentIn: { env: ["APP_JAVA_OPTS"], args: false, command: false, swck: false },
                serviceName: "notify",
                original: { env: { APP_JAVA_OPTS: "-javaagent:/skywalking/agent/skywalking-agent.jar -Dskywalking.agent.service_name=notify" } },
                rebuildImage: false,
                evidence: ["env APP_JAVA_OPTS: -javaagent:/skywalking/agent/skywalking-agent.jar, -Dskywalking.agent.service_name"],
            },
            manualSteps: [],
        });
    });

    test("the sidecar list is configurable: with none, a log shipper carrying SW_* env counts as an app", () => {
        const options = { ...DEFAULT_DETECT_OPTIONS, sidecarNames: [] };
        expect(detectFixture("only-sidecars", options)).toMatchObject({ verdict: "skywalking", app: { container: "fluent-bit" } });
    });

    test("a workload without containers is skipped, not an error", () => {
        const detection = detectWorkload("Deployment", { metadata: { name: "empty", namespace: "x" }, spec: { template: { spec: { containers: [] } } } });
        expect(detection).toEqual({ key: "x/empty", namespace: "x", name: "empty", kind: "Deployment", verdict: "skipped", reason: "only sidecar containers (none)" });
    });
});

describe("scanJvmOptions", () => {
    test.each([
        {
            name: "agent with options and properties",
            text: "-Xmx1g -javaagent:/skywalking/agent/skywalking-agent.jar=agent.service_name=a,agent.namespace=ns -Dskywalking.agent.instance_name=i-1",
            expected: { agentJars: ["/skywalking/agent/skywalking-agent.jar"], propertyKeys: ["agent.instance_name"], identity: { serviceName: "a", serviceNamespace: "ns", instanceName: "i-1" } },
        },
        {
            name: "agent options win over -D properties",
            text: "-Dskywalking.agent.service_name=from-property -javaagent:/sky/agent/skywalking-agent.jar=agent.service_name=from-option",
            expected: { agentJars: ["/sky/agent/skywalking-agent.jar"], propertyKeys: ["agent.service_name"], identity: { serviceName: "from-option" } },
        },
        {
            name: "quoted path and single-quoted property",
            text: `-javaagent:"/opt/skywalking/agent/skywalking-agent.jar"   -Dskywalking.agent.service_name='billing api'`,
            expected: { agentJars: ["/opt/skywalking/agent/skywalking-agent.jar"], propertyKeys: ["agent.service_name"], identity: { serviceName: "billing api" } },
        },
        {
            name: "two SkyWalking agents",
            text: "-javaagent:/a/skywalking-agent.jar -javaagent:/b/skywalking/agent.jar",
            expected: { agentJars: ["/a/skywalking-agent.jar", "/b/skywalking/agent.jar"], propertyKeys: [], identity: {} },
        },
        {
            name: "the OpenTelemetry agent is not SkyWalking",
            text: "-javaagent:/otel-auto-instrumentation-java/javaagent.jar -Dotel.service.name=x",
            expected: { agentJars: [], propertyKeys: [], identity: {} },
        },
        {
            name: "a mention in an unrelated property is not a flag",
            text: "-Dlog.path=/var/log/skywalking -Xss1m",
            expected: { agentJars: [], propertyKeys: [], identity: {} },
        },
    ])("$name", ({ text, expected }) => {
        expect(scanJvmOptions(text)).toEqual(expected);
    });

    test("finds a SkyWalking agent wherever it sits among other JVM flags", () => {
        const otherFlag = fc.constantFrom("-Xmx512m", "-Xms1g", "-XX:+UseG1GC", "-Dfile.encoding=UTF-8", "-Duser.timezone=Asia/Shanghai", "-jar", "/app.jar");
        const jar = fc.constantFrom("/skywalking/agent/skywalking-agent.jar", "/sky/agent/skywalking-agent.jar", "/usr/skywalking/agent/skywalking-agent.jar");
        fc.assert(fc.property(fc.array(otherFlag), fc.array(otherFlag), jar, fc.constantFrom(" ", "  ", "\t"), (before, after, path, gap) => {
            const text = [...before, `-javaagent:${path}`, ...after].join(gap);
            expect(scanJvmOptions(text).agentJars).toEqual([path]);
        }));
    });
});

describe("otherJavaAgents", () => {
    test.each([
        ["-javaagent:/opt/agent/agent.jar -Xmx1g", ["/opt/agent/agent.jar"]],
        ["-javaagent:/skywalking/agent/skywalking-agent.jar -javaagent:/newrelic/newrelic.jar", ["/newrelic/newrelic.jar"]],
        ["-javaagent:/otel/opentelemetry-javaagent.jar -javaagent:/jmx/jmx_prometheus_javaagent.jar=9404:/c.yaml", []],
        ["-javaagent:/opt/jolokia/jolokia-jvm-agent.jar", []],
    ])("%s", (text, expected) => {
        expect(otherJavaAgents(text)).toEqual(expected);
    });
});

function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object") {
        Object.values(value).forEach(deepFreeze);
        Object.freeze(value);
    }
    return value;
}
