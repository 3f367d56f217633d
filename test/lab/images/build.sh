#!/usr/bin/env bash
# Makes the lab's images locally, with no public pulls, and pushes them to the lab registry:
#   <registry>/lab/order-service:1.0   a SkyWalking-era app: SkyWalking agent dir, start script adding it,
#                                      a stand-in java recording its arguments (busybox from Debian's busybox-static)
#   <registry>/lab/autoinstrumentation-java:2.x   stands in for the OTel operator's Java image (/javaagent.jar)
#   <registry>/lab/otel-extension:1.0  an extension pack image (/extensions/*.jar)
# Usage: build.sh [filler-MiB] — filler-MiB of incompressible data in 4 layers makes the app realistically large.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$HERE/buildah.sh"

FILLER_MB=${1:-0}
AGENT_MB=${SKYSHIFT_AGENT_MB:-1}
REG=$(bash "$HERE/../registry/registry.sh" url)
TAG_SUFFIX=${FILLER_MB}m

scratch_with_busybox() {
  local ctr; ctr=$(lab_buildah from scratch)
  local root; root=$(lab_buildah mount "$ctr")
  mkdir -p "$root/bin" "$root/tmp"
  cp /bin/busybox "$root/bin/busybox"
  for applet in sh rm ls cat echo mkdir test printf env tar; do ln -sf busybox "$root/bin/$applet"; done
  echo "$ctr"
}

# The registry's CA and credentials (registry.sh env), or plain HTTP for an open one (SKYSHIFT_REGISTRY_AUTH=none).
if [[ ${SKYSHIFT_REGISTRY_AUTH:-htpasswd} == none ]]; then
  REG_FLAGS=(--tls-verify=false)
else
  eval "$(bash "$HERE/../registry/registry.sh" env | grep -E '^SKYSHIFT_REGISTRY_(CERT_DIR|AUTH_FILE)=')"
  REG_FLAGS=(--cert-dir "$SKYSHIFT_REGISTRY_CERT_DIR" --authfile "$SKYSHIFT_REGISTRY_AUTH_FILE")
fi
push() { lab_buildah push -q "${REG_FLAGS[@]}" "$1" "docker://$REG/$2" >/dev/null; echo "pushed $REG/$2"; }

# The agent images stand in for real ones; their content is random so each "version" has its own digest.
agent=$(lab_buildah from scratch); root=$(lab_buildah mount "$agent")
head -c $((AGENT_MB * 1024 * 1024)) /dev/urandom >"$root/javaagent.jar"
lab_buildah commit -q "$agent" lab-agent >/dev/null; lab_buildah rm "$agent" >/dev/null
push lab-agent lab/autoinstrumentation-java:2.x

ext=$(lab_buildah from scratch); root=$(lab_buildah mount "$ext")
mkdir -p "$root/extensions"; head -c 65536 /dev/urandom >"$root/extensions/skyshift-ext.jar"
lab_buildah commit -q "$ext" lab-ext >/dev/null; lab_buildah rm "$ext" >/dev/null
push lab-ext lab/otel-extension:1.0

app=$(scratch_with_busybox); root=$(lab_buildah mount "$app")
mkdir -p "$root/home/admin" "$root/skywalking/agent/plugins" "$root/usr/lib/jvm/bin"
echo "fake app" >"$root/home/admin/app.jar"
echo "fake skywalking agent" >"$root/skywalking/agent/skywalking-agent.jar"
echo "fake plugin" >"$root/skywalking/agent/plugins/apm-spring.jar"
install -m 0755 "$HERE/fixtures/start.sh" "$root/home/admin/start.sh"
install -m 0755 "$HERE/fixtures/start-always.sh" "$root/home/admin/start-always.sh"
install -m 0755 "$HERE/fixtures/java" "$root/usr/lib/jvm/bin/java"
lab_buildah config --env PATH=/usr/lib/jvm/bin:/bin --env 'JAVA_OPTS=-Xss512k -Dskywalking.collector.backend_service=oap:11800' \
  --entrypoint '["/bin/sh", "/home/admin/start.sh"]' --cmd '' "$app"
lab_buildah commit -q "$app" lab-app-base >/dev/null; lab_buildah rm "$app" >/dev/null
# Each filler layer is a separate commit, so the app has several large layers as real JVM images do.
image=lab-app-base
for i in 1 2 3 4; do
  (( FILLER_MB > 0 )) || break
  layer=$(lab_buildah from "$image"); root=$(lab_buildah mount "$layer")
  mkdir -p "$root/home/admin/lib"
  head -c $((FILLER_MB * 1024 * 1024 / 4)) /dev/urandom >"$root/home/admin/lib/dependency-$i.jar"
  lab_buildah commit -q "$layer" "lab-app-$i" >/dev/null; lab_buildah rm "$layer" >/dev/null
  image=lab-app-$i
done
push "$image" "lab/order-service:1.0-$TAG_SUFFIX"
# The registry holds the images now; vfs keeps a full copy per layer, so local copies would pile up run after run.
lab_buildah rmi --all --force >/dev/null
