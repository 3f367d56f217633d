#!/usr/bin/env bash
# Lab build steps for what the lab's workload runner (test/lab/runner) starts: the OpenTelemetry agents the
# operator's init containers would copy into a pod, fetched from the registries (Maven Central, PyPI), the two
# sample apps of test/lab/apps built with the machine's JDK and Python, and the OTLP .proto files the e2e
# decodes DeepFlow's protobuf with. Sourced by bootstrap.sh after lib.sh and steps/k8s.sh.
set -euo pipefail

MAVEN_CENTRAL=https://repo1.maven.org/maven2
# The Java agent release the operator's own default image carries (autoinstrumentation/java/version.txt of
# the pinned operator), checked against this hash after download.
OTEL_JAVA_AGENT_VERSION=2.28.1
OTEL_JAVA_AGENT_SHA256=faa89bdeebf9b1f52be4a4374689176717b02a59df2d8f8b6eb9aa39f9292589
# The OTLP .proto files ship inside this jar (opentelemetry-proto-java); only the e2e's decoder reads them.
OTLP_PROTO_VERSION=1.11.0-alpha
OTLP_PROTO_SHA256=a5f47de1368ca82aec597e74d0be6969763707483da6672471d703d454d65b5b
LAB_AGENTS=$SKYSHIFT_CACHE/agents
LAB_APPS=$SKYSHIFT_CACHE/apps

# lab_maven_fetch GROUP ARTIFACT VERSION SHA256 DEST — one jar from Maven Central, checked against its hash.
lab_maven_fetch() {
  local url="$MAVEN_CENTRAL/${1//.//}/$2/$3/$2-$3.jar" sum
  echo "fetching $url"
  curl -sSfL --retry 3 -o "$5.part" "$url" || { echo "download failed: $url" >&2; return 1; }
  sum=$(sha256sum "$5.part" | cut -d' ' -f1)
  [[ $sum == "$4" ]] || { echo "$url: sha256 $sum, pinned $4" >&2; rm -f "$5.part"; return 1; }
  mv "$5.part" "$5"
}

lab_fetch_java_agent() {
  local dir=$LAB_AGENTS/java-$OTEL_JAVA_AGENT_VERSION
  mkdir -p "$dir" &&
    lab_maven_fetch io.opentelemetry.javaagent opentelemetry-javaagent "$OTEL_JAVA_AGENT_VERSION" \
      "$OTEL_JAVA_AGENT_SHA256" "$dir/javaagent.jar"
}

# The operator's Python image is `pip install --target workspace -r requirements.txt` copied to
# /autoinstrumentation (autoinstrumentation/python/Dockerfile); the same requirements file, read from the
# pinned operator module, goes through the same pip command here.
lab_python_agent_dir() { echo "$LAB_AGENTS/python-$OTEL_OPERATOR_VERSION"; }
lab_fetch_python_agent() {
  local module dir
  module=$(cat "$SKYSHIFT_CACHE/operator-module-dir") && dir=$(lab_python_agent_dir) || return 1
  rm -rf "$dir.part" && mkdir -p "$dir.part" &&
    python3 -m pip install --no-cache-dir --disable-pip-version-check --target "$dir.part" \
      -r "$module/autoinstrumentation/python/requirements.txt" &&
    rm -rf "$dir" && mv "$dir.part" "$dir"
}

lab_fetch_otlp_proto() {
  local dir=$LAB_AGENTS/otlp-proto-$OTLP_PROTO_VERSION
  mkdir -p "$dir" &&
    lab_maven_fetch io.opentelemetry.proto opentelemetry-proto "$OTLP_PROTO_VERSION" "$OTLP_PROTO_SHA256" "$dir/proto.jar" &&
    (cd "$dir" && unzip -qo proto.jar 'opentelemetry/proto/*' && rm proto.jar)
}

# The apps' "images": the Java service compiled into a jar, the Python service beside a venv that plays the
# image's python3 (Flask installed from requirements.txt).
lab_build_apps() {
  local src=$LAB_REPO/test/lab/apps classes
  # Built in place (a venv cannot move); an interrupted build leaves no stamp, so the next run starts over.
  rm -rf "$LAB_APPS" && mkdir -p "$LAB_APPS/java" "$LAB_APPS/python" || return 1
  classes=$(mktemp -d) &&
    javac -d "$classes" "$src/java/OrderService.java" &&
    jar --create --file "$LAB_APPS/java/order-service.jar" --main-class OrderService -C "$classes" . &&
    rm -rf "$classes" || return 1
  python3 -m venv "$LAB_APPS/python/venv" &&
    "$LAB_APPS/python/venv/bin/python3" -m pip install --no-cache-dir --disable-pip-version-check -r "$src/python/requirements.txt" &&
    cp "$src/python/app.py" "$LAB_APPS/python/app.py"
}

lab_sources_key() { cat "$LAB_REPO"/test/lab/apps/*/* | sha256sum | cut -c1-12; }

lab_fetch_agents() {
  [[ -f $LAB_AGENTS/java-$OTEL_JAVA_AGENT_VERSION/javaagent.jar ]] || rm -f "$LAB_STAMPS/java-agent@"*
  lab_step java-agent "$OTEL_JAVA_AGENT_VERSION" lab_fetch_java_agent
  [[ -d $(lab_python_agent_dir) ]] || rm -f "$LAB_STAMPS/python-agent@"*
  lab_step python-agent "$OTEL_OPERATOR_VERSION" lab_fetch_python_agent
  [[ -d $LAB_AGENTS/otlp-proto-$OTLP_PROTO_VERSION ]] || rm -f "$LAB_STAMPS/otlp-proto@"*
  lab_step otlp-proto "$OTLP_PROTO_VERSION" lab_fetch_otlp_proto
  [[ -d $LAB_APPS ]] || rm -f "$LAB_STAMPS/lab-apps@"*
  lab_step lab-apps "$(lab_sources_key)" lab_build_apps
  # The runner reads these paths here (test/lab/runner/lab-telemetry.ts), so the versions live only in this file.
  printf 'JAVA_AGENT_DIR=%s\nPYTHON_AGENT_DIR=%s\nOTLP_PROTO_DIR=%s\nAPPS_DIR=%s\n' \
    "$LAB_AGENTS/java-$OTEL_JAVA_AGENT_VERSION" "$(lab_python_agent_dir)" "$LAB_AGENTS/otlp-proto-$OTLP_PROTO_VERSION" \
    "$LAB_APPS" >"$LAB_AGENTS/agents.env"
}
