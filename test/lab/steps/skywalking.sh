#!/usr/bin/env bash
# Lab build step for the SkyWalking Python agent the bridge-mode proofs run (docs/telemetry.md, "Bridge mode"):
# one venv that plays a SkyWalking-instrumented image of the Python app, with the app's Flask requirements and
# `apache-skywalking` from PyPI (wheels only, no compiler). It is one venv because `sw-python run <cmd>` refuses
# to start the agent in an interpreter other than its own (skywalking/bootstrap/loader/sitecustomize.py compares
# sys.prefix with the CLI's). apache-skywalking 1.3.0 installs from its sdist: the PyPI wheel lacks the
# generated gRPC stubs (skywalking/protocol, which pyproject.toml's `include` names but the wheel build left out:
# `sw-python run` fails with "No module named 'skywalking.protocol'"), the sdist carries them, and its backend,
# poetry-core, is installed pinned first so the build needs no isolated download.
# Keyed by a digest of both requirements files. Sourced by bootstrap.sh after lib.sh.
set -euo pipefail

SKYWALKING_PYTHON_DIR=$SKYSHIFT_CACHE/agents/skywalking-python

skywalking_python_key() {
  cat "$LAB_REPO"/test/lab/apps/python/requirements.txt "$LAB_REPO"/test/lab/apps/python/skywalking-requirements.txt |
    sha256sum | cut -c1-12
}

# Runs under lab_step's `if`, where bash ignores set -e: every failure is returned explicitly.
skywalking_python_build() {
  local src=$LAB_REPO/test/lab/apps/python
  # Built in place (a venv cannot move); an interrupted build leaves no stamp, so the next run starts over.
  rm -rf "$SKYWALKING_PYTHON_DIR" && python3 -m venv "$SKYWALKING_PYTHON_DIR/venv" || return
  local pip=("$SKYWALKING_PYTHON_DIR/venv/bin/python3" -m pip install --no-cache-dir --disable-pip-version-check)
  "${pip[@]}" --only-binary=:all: -r "$src/requirements.txt" \
    $(grep -v -e '^#' -e '^apache-skywalking==' "$src/skywalking-requirements.txt") || return
  "${pip[@]}" --no-deps --no-build-isolation --no-binary=apache-skywalking \
    "$(grep '^apache-skywalking==' "$src/skywalking-requirements.txt")" || return
  # The agent's gRPC reporter must import, or sw-python starts the app without it.
  "$SKYWALKING_PYTHON_DIR/venv/bin/python3" -c 'import skywalking.protocol.language_agent.Tracing_pb2_grpc' || return
  "$SKYWALKING_PYTHON_DIR/venv/bin/sw-python" -h >/dev/null || return
  # The runner reads the venv's path here (test/lab/runner/lab-telemetry.ts).
  printf 'SKYWALKING_PYTHON_VENV=%s\n' "$SKYWALKING_PYTHON_DIR/venv" >"$SKYSHIFT_CACHE/agents/skywalking.env"
}

lab_build_skywalking_python() {
  [[ -x $SKYWALKING_PYTHON_DIR/venv/bin/sw-python && -f $SKYSHIFT_CACHE/agents/skywalking.env ]] ||
    rm -f "$LAB_STAMPS/skywalking-python@"*
  lab_step skywalking-python "$(skywalking_python_key)" skywalking_python_build
}
