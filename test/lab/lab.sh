#!/usr/bin/env bash
# The local lab: etcd + kube-apiserver + kube-controller-manager + kube-scheduler + kwok simulating nodes
# + the OpenTelemetry Operator with its admission webhooks, all on 127.0.0.1, all from binaries built by
# bootstrap.sh. Usage: lab.sh up|down|status|crds
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/telemetry.sh"

# Ports sit away from the defaults (2379, 6443, 10257, 10259) so a real cluster on the machine keeps working.
LAB_ETCD_PORT=${LAB_ETCD_PORT:-23790}
LAB_ETCD_PEER_PORT=${LAB_ETCD_PEER_PORT:-23800}
LAB_APISERVER_PORT=${LAB_APISERVER_PORT:-16443}
LAB_KCM_PORT=${LAB_KCM_PORT:-16257}
LAB_SCHEDULER_PORT=${LAB_SCHEDULER_PORT:-16259}
LAB_NODES=${LAB_NODES:-3}
LAB_POD_READY_DELAY=${LAB_POD_READY_DELAY:-1s}
LAB_POD_CRASH_BACKOFF=${LAB_POD_CRASH_BACKOFF:-5s}
LAB_START_TIMEOUT=${LAB_START_TIMEOUT:-120}
LAB_OPERATOR_WEBHOOK_PORT=${LAB_OPERATOR_WEBHOOK_PORT:-16943}
LAB_OPERATOR_PROBE_PORT=${LAB_OPERATOR_PROBE_PORT:-16981}

PKI=$LAB_RUN/pki
KUBECONFIG_FILE=$LAB_RUN/kubeconfig
ETCD_DATA=$LAB_RUN/etcd-data
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok otel-operator jaeger)
# The operator's collector controller also watches the TargetAllocators it may own: without that CRD it exits.
CRD_NAMES=(opentelemetrycollectors.opentelemetry.io instrumentations.opentelemetry.io targetallocators.opentelemetry.io)

# --- process bookkeeping: every component is tracked by its own pid file, never by name ---

pid_of() { cat "$LAB_RUN/$1.pid" 2>/dev/null || true; }

# A pid file can outlive its process and the pid can be reused, so the pid must still run our binary.
is_up() {
  local pid; pid=$(pid_of "$1")
  [[ -n $pid && -r /proc/$pid/cmdline ]] || return 1
  [[ $(tr '\0' '\n' <"/proc/$pid/cmdline" | head -n1) == "$LAB_BIN/$1" ]]
}

start() {
  local name=$1; shift
  # setsid detaches it from npm's session so it outlives this script; exec keeps $! the component's pid.
  setsid "$LAB_BIN/$name" "$@" >"$LAB_RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$LAB_RUN/$name.pid"
}

# Signals every component first and then waits, so shutdowns overlap (each takes about 2s).
stop_all() {
  local name pid i waiting=()
  for name in "${COMPONENTS[@]}"; do
    if is_up "$name"; then
      pid=$(pid_of "$name")
      kill "$pid"
      waiting+=("$name:$pid")
    fi
    rm -f "$LAB_RUN/$name.pid"
  done
  for name in "${waiting[@]}"; do
    pid=${name#*:}
    for i in $(seq 50); do [[ -d /proc/$pid ]] || break; sleep 0.2; done
    if [[ -d /proc/$pid ]]; then
      lab_log "${name%:*} (pid $pid) ignored SIGTERM for 10s; sending SIGKILL"
      kill -9 "$pid"
    fi
    lab_log "stopped ${name%:*} (pid $pid)"
  done
}

fail_component() {
  lab_log "FAILED: $1"
  tail -n 20 "$LAB_RUN/$2.log" >&2 || true
  lab_log "full log: $LAB_RUN/$2.log; stopping what was started"
  cmd_down
  exit 1
}

# Another lab (a different SKYSHIFT_CACHE) or any other process on our ports would make a component exit
# at startup with only a bind error in its log; say so before starting anything.
check_ports_free() {
  local port
  for port in "$LAB_ETCD_PORT" "$LAB_ETCD_PEER_PORT" "$LAB_APISERVER_PORT" "$LAB_KCM_PORT" "$LAB_SCHEDULER_PORT" \
    "$LAB_OPERATOR_WEBHOOK_PORT" "$LAB_OPERATOR_PROBE_PORT" "${LAB_JAEGER_PORTS[@]}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      lab_log "FAILED: 127.0.0.1:$port is already in use — another lab (other SKYSHIFT_CACHE) or process holds it; stop it (npm run lab:down with that cache) or set the LAB_*_PORT variables"
      exit 1
    fi
  done
}

# wait_until COMPONENT DESCRIPTION CMD... — polls CMD; gives up early when COMPONENT's process has died.
wait_until() {
  local name=$1 what=$2; shift 2
  local start; start=$(lab_now)
  until "$@" >/dev/null 2>&1; do
    is_up "$name" || fail_component "$name exited while waiting for $what" "$name"
    (( $(lab_now) - start < LAB_START_TIMEOUT )) || fail_component "$what not reached in ${LAB_START_TIMEOUT}s" "$name"
    sleep 0.2
  done
}

api_get() {
  curl -fsS --max-time 5 --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://127.0.0.1:$LAB_APISERVER_PORT$1"
}

kube() { "$LAB_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" --request-timeout 30s "$@"; }

# "500ms", "1s", "2m" or a bare number of seconds -> milliseconds, for the kwok stage delays.
to_ms() {
  [[ $1 =~ ^([0-9]+)(ms|s|m)?$ ]] || { lab_log "cannot read duration '$1' (use e.g. 500ms, 1s, 2m)"; return 1; }
  local n=$(( 10#${BASH_REMATCH[1]} ))
  case ${BASH_REMATCH[2]} in
    ms) echo "$n" ;;
    m) echo $(( n * 60000 )) ;;
    *) echo $(( n * 1000 )) ;;
  esac
}

# --- credentials: one CA, a serving cert, an admin client cert (system:masters), a service-account key ---

make_pki() {
  [[ -f $PKI/admin.crt ]] && return 0
  lab_log "generating certificates in $PKI"
  mkdir -p "$PKI"
  (
    cd "$PKI"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=skyshift-lab-ca \
      -keyout ca.key -out ca.crt 2>/dev/null
    # 10.96.0.1 is the first address of the service range: in-cluster clients reach the API through it.
    openssl req -newkey rsa:2048 -nodes -subj /CN=kube-apiserver -keyout apiserver.key -out apiserver.csr 2>/dev/null
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out apiserver.crt \
      -extfile <(printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n') 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=skyshift-admin" \
      -keyout admin.key -out admin.csr 2>/dev/null
    openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out admin.crt \
      -extfile <(printf 'extendedKeyUsage=clientAuth\n') 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ca.srl
  )
}

# The operator's webhook serving certificate, for 127.0.0.1 (the address the webhook configurations name),
# signed by the lab CA that the configurations' caBundle carries. Made on its own: PKI from an older
# lab (without it) is kept.
make_webhook_cert() {
  [[ -f $PKI/operator-webhook.crt ]] && return 0
  (
    cd "$PKI"
    openssl req -newkey rsa:2048 -nodes -subj /CN=otel-operator-webhook \
      -keyout operator-webhook.key -out operator-webhook.csr 2>/dev/null
    openssl x509 -req -in operator-webhook.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -out operator-webhook.crt.tmp \
      -extfile <(printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n') 2>/dev/null
    mv operator-webhook.crt.tmp operator-webhook.crt
    rm -f ./*.csr ca.srl
  )
}

write_kubeconfig() {
  local tmp="$KUBECONFIG_FILE.tmp"
  cat >"$tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: skyshift-lab
  cluster:
    server: https://127.0.0.1:$LAB_APISERVER_PORT
    certificate-authority-data: $(base64 -w0 <"$PKI/ca.crt")
users:
- name: skyshift-admin
  user:
    client-certificate-data: $(base64 -w0 <"$PKI/admin.crt")
    client-key-data: $(base64 -w0 <"$PKI/admin.key")
contexts:
- name: skyshift-lab
  context: {cluster: skyshift-lab, user: skyshift-admin}
current-context: skyshift-lab
EOF
  chmod 600 "$tmp"
  mv "$tmp" "$KUBECONFIG_FILE"
}

render_kwok_config() {
  local ready backoff
  ready=$(to_ms "$LAB_POD_READY_DELAY")
  backoff=$(to_ms "$LAB_POD_CRASH_BACKOFF")
  sed -e "s/@POD_READY_DELAY_MS@/$ready/" -e "s/@POD_CRASH_BACKOFF_MS@/$backoff/" \
    "$LAB_REPO/test/lab/kwok/stages.yaml" >"$LAB_RUN/kwok.yaml"
}

create_nodes() {
  local i
  for i in $(seq "$LAB_NODES"); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: lab-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: lab-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  addresses:
  - {type: InternalIP, address: 10.88.0.$i}
  - {type: Hostname, address: lab-node-$i}
EOF
  done | kube apply -f - >/dev/null
}

# --- the OpenTelemetry Operator: CRDs, the process, its webhooks ---

# The operator release in the module cache: its CRDs, and the webhook manifests of the binary built from it.
operator_module_dir() {
  local dir
  dir=$(cat "$SKYSHIFT_CACHE/operator-module-dir" 2>/dev/null) && [[ -d $dir ]] ||
    { lab_log "no operator module recorded in $SKYSHIFT_CACHE/operator-module-dir: run 'npm run lab:tools' first"; exit 1; }
  echo "$dir"
}

# Applies the collector, Instrumentation and TargetAllocator CRDs and waits (up to 60s) until all are Established.
apply_crds() {
  local dir crd i
  dir=$(operator_module_dir) || return
  for crd in "${CRD_NAMES[@]}"; do
    # Server-side apply: these CRDs are too large for the last-applied annotation of client-side apply.
    kube apply --server-side -f "$dir/config/crd/bases/opentelemetry.io_${crd%%.*}.yaml" || return
  done
  # kubectl wait fails instead of waiting while a new CRD has no conditions yet: poll it.
  for i in $(seq 300); do
    kube wait --for=condition=Established --timeout=1s "${CRD_NAMES[@]/#/crd/}" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  kube wait --for=condition=Established --timeout=1s "${CRD_NAMES[@]/#/crd/}"
}

# The operator's webhook configurations, read from its release's config/webhook/manifests.yaml, with
# the in-cluster Service replaced by https://127.0.0.1:<port><path> and the lab CA as caBundle. Webhooks for
# kinds whose CRDs the lab does not install (OpAMPBridge, TargetAllocator) are left out.
render_webhooks() {
  node - "$LAB_REPO/node_modules/yaml" "$1/config/webhook/manifests.yaml" "$LAB_OPERATOR_WEBHOOK_PORT" \
    "$(base64 -w0 <"$PKI/ca.crt")" <<'EOF'
const [yamlModule, file, port, caBundle] = process.argv.slice(2);
const YAML = require(yamlModule);
const fs = require("fs");
const served = new Set(["pods", "instrumentations", "opentelemetrycollectors"]);
const items = YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJSON()).filter(Boolean).map((cfg) => {
  const webhooks = cfg.webhooks
    .filter((w) => w.rules.every((r) => r.resources.every((res) => served.has(res))))
    .map((w) => ({ ...w, clientConfig: { url: `https://127.0.0.1:${port}${w.clientConfig.service.path}`, caBundle } }));
  const kind = cfg.kind === "MutatingWebhookConfiguration" ? "mutation" : "validation";
  return { ...cfg, metadata: { name: `opentelemetry-operator-${kind}` }, webhooks };
});
process.stdout.write(JSON.stringify({ apiVersion: "v1", kind: "List", items }));
EOF
}

# A server-side dry run of an Instrumentation goes through the operator's failurePolicy=Fail webhooks, so
# it succeeds only once kube-apiserver reaches them.
webhook_answers() {
  kube create --dry-run=server -o name -f - <<'EOF'
{"apiVersion": "opentelemetry.io/v1alpha1", "kind": "Instrumentation",
 "metadata": {"name": "lab-webhook-probe", "namespace": "default"}, "spec": {}}
EOF
}

start_operator() {
  local dir tmp=$LAB_RUN/otel-operator-tmp t_op
  dir=$(operator_module_dir) || fail_component "no operator module" otel-operator
  make_webhook_cert
  # controller-runtime reads the serving pair from $TMPDIR/k8s-webhook-server/serving-certs and has no flag
  # for it, so the operator gets a TMPDIR of its own.
  mkdir -p "$tmp/k8s-webhook-server/serving-certs"
  cp "$PKI/operator-webhook.crt" "$tmp/k8s-webhook-server/serving-certs/tls.crt"
  cp "$PKI/operator-webhook.key" "$tmp/k8s-webhook-server/serving-certs/tls.key"
  t_op=$(lab_now)
  # Metrics off ("0"); no leader election (one replica); no RBAC objects of its own, so a destroyed stack
  # leaves no cluster-scoped leftovers; multi-instrumentation honours the <language>-container-names
  # annotation skyshift writes. The webhook listens on all interfaces (no flag for its host): the
  # configurations name 127.0.0.1.
  (
    export KUBECONFIG=$KUBECONFIG_FILE TMPDIR=$tmp
    start otel-operator --metrics-addr 0 --health-probe-addr "127.0.0.1:$LAB_OPERATOR_PROBE_PORT" \
      --webhook-port "$LAB_OPERATOR_WEBHOOK_PORT" --enable-leader-election=false \
      --create-rbac-permissions=false --enable-multi-instrumentation=true
  )
  wait_until otel-operator "otel-operator /readyz" curl -fsS --max-time 5 "http://127.0.0.1:$LAB_OPERATOR_PROBE_PORT/readyz"
  render_webhooks "$dir" >"$LAB_RUN/otel-operator-webhooks.json" 2>"$LAB_RUN/otel-operator-webhooks.log" ||
    fail_component "rendering the webhook configurations from $dir/config/webhook/manifests.yaml (npm ci run?)" otel-operator-webhooks
  kube apply -f "$LAB_RUN/otel-operator-webhooks.json" >/dev/null 2>"$LAB_RUN/otel-operator-webhooks.log" ||
    fail_component "registering the operator's webhooks" otel-operator-webhooks
  wait_until otel-operator "the operator's webhooks answering kube-apiserver" webhook_answers
  lab_log "otel-operator ready with its webhooks in $(( $(lab_now) - t_op ))s"
}

# --- commands ---

cmd_up() {
  local name up=0
  for name in "${COMPONENTS[@]}"; do
    [[ -x $LAB_BIN/$name ]] || { lab_log "missing $LAB_BIN/$name: run 'npm run lab:tools' first"; exit 1; }
    is_up "$name" && up=$((up + 1))
  done
  operator_module_dir >/dev/null
  if (( up == ${#COMPONENTS[@]} )); then
    lab_log "lab already up (kubeconfig $KUBECONFIG_FILE)"
    echo "export KUBECONFIG=$KUBECONFIG_FILE"
    return 0
  fi
  if (( up > 0 )); then
    lab_log "lab partly up ($up of ${#COMPONENTS[@]} components): stopping it to start clean"
    cmd_down
  fi

  check_ports_free
  local t0; t0=$(lab_now)
  make_pki
  write_kubeconfig
  render_kwok_config
  # Each 'up' is a fresh cluster: tests must not inherit objects from a previous run.
  rm -rf "$ETCD_DATA"

  local etcd_url=http://127.0.0.1:$LAB_ETCD_PORT peer_url=http://127.0.0.1:$LAB_ETCD_PEER_PORT
  # No fsync: the data is thrown away at 'down', and fsync dominates etcd latency on a shared CI disk.
  start etcd --name lab --data-dir "$ETCD_DATA" --unsafe-no-fsync \
    --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
    --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" \
    --initial-cluster "lab=$peer_url" --log-level warn
  wait_until etcd "etcd health" curl -fsS --max-time 5 "$etcd_url/health"

  # The endpoint reconciler is off because Endpoints may not hold a loopback address.
  start kube-apiserver --etcd-servers "$etcd_url" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$LAB_APISERVER_PORT" \
    --endpoint-reconciler-type none \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --client-ca-file "$PKI/ca.crt" --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --allow-privileged --profiling=false
  local t_api; t_api=$(lab_now)
  wait_until kube-apiserver "kube-apiserver /readyz" api_get /readyz
  lab_log "kube-apiserver ready in $(( $(lab_now) - t_api ))s"

  local kube_auth=(--kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE"
    --authorization-kubeconfig "$KUBECONFIG_FILE" --bind-address 127.0.0.1 --leader-elect=false)
  # Cloud controllers would wait forever for a cloud provider; node IPAM is moot without a pod network.
  start kube-controller-manager "${kube_auth[@]}" --secure-port "$LAB_KCM_PORT" \
    --controllers '*,-cloud-node-lifecycle-controller,-service-lb-controller,-node-route-controller,-node-ipam-controller' \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key"
  start kube-scheduler "${kube_auth[@]}" --secure-port "$LAB_SCHEDULER_PORT"
  # Node Leases are kwok's heartbeat: without them the node lifecycle controller marks the nodes
  # NotReady after its grace period and evicts every pod. kwok's default pod address pool is a /24,
  # too small for test suites that churn many pods.
  start kwok --kubeconfig "$KUBECONFIG_FILE" --config "$LAB_RUN/kwok.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --node-lease-duration-seconds 40 --cidr 10.244.0.1/16

  create_nodes
  wait_until kwok "$LAB_NODES Ready nodes" kube wait --for=condition=Ready node --all --timeout=1s
  # Pods are refused in a namespace until its default ServiceAccount exists (kube-controller-manager makes it).
  wait_until kube-controller-manager "the default ServiceAccount" kube get serviceaccount default -n default
  wait_until kube-scheduler "kube-scheduler /readyz" curl -fsSk --max-time 5 "https://127.0.0.1:$LAB_SCHEDULER_PORT/readyz"
  # The operator exits at startup without its OpenTelemetryCollector CRD.
  apply_crds >/dev/null || fail_component "the operator's CRDs not applied or not Established in 60s" kube-apiserver
  start_operator
  start_jaeger

  lab_log "lab up in $(( $(lab_now) - t0 ))s: $LAB_NODES kwok nodes, pods Ready after $LAB_POD_READY_DELAY, operator webhooks on 127.0.0.1:$LAB_OPERATOR_WEBHOOK_PORT"
  echo "export KUBECONFIG=$KUBECONFIG_FILE"
}

cmd_down() {
  stop_all
  rm -rf "$ETCD_DATA"
  lab_log "lab down"
}

cmd_status() {
  local name
  for name in "${COMPONENTS[@]}"; do
    if is_up "$name"; then
      printf '%-24s up    pid %s\n' "$name" "$(pid_of "$name")"
    else
      printf '%-24s down\n' "$name"
    fi
  done
  if is_up kube-apiserver; then
    echo
    kube get nodes -o wide || lab_log "kube-apiserver runs but does not answer: see $LAB_RUN/kube-apiserver.log"
    echo
    echo "export KUBECONFIG=$KUBECONFIG_FILE"
  fi
}

cmd_crds() {
  is_up kube-apiserver || { lab_log "lab is not up: run 'npm run lab:up' first"; exit 1; }
  # 'up' applies them already; this re-applies them (e.g. after a test deleted one).
  apply_crds
  lab_log "the operator's CRDs are Established"
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  crds) cmd_crds ;;
  *) echo "usage: $0 up|down|status|crds" >&2; exit 2 ;;
esac
