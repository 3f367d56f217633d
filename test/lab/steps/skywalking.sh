#!/usr/bin/env bash
# Lab build step for the SkyWalking Python agent the bridge-mode proofs run (docs/telemetry.md, "Bridge mode"):
# one venv that plays a SkyWalking-instrumented image of the Python app, with the app's Flask requirements and
# `apache-skywalking` from PyPI (wheels only, no compiler). It is one venv because `sw-python run <cmd>` refuses
# to start the agent in an interpreter other than its own (skywalking/bootstrap/loader/sitecustomize.py compares
# sys.prefix with the CLI's). Keyed by a digest of both requirements files. Sourced by bootstrap.sh after lib.sh.
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
  "$SKYWALKING_PYTHON_DIR/venv/bin/python3" -m pip install --no-cache-dir --disable-pip-version-check --only-binary=:all: \
    -r "$src/requirements.txt" -r "$src/skywalking-requirements.txt" || return
  "$SKYWALKING_PYTHON_DIR/venv/bin/sw-python" -h >/dev/null || return
  # The runner reads the venv's path here (test/lab/runner/lab-telemetry.ts).
  printf 'SKYWALKING_PYTHON_VENV=%s\n' "$SKYWALKING_PYTHON_DIR/venv" >"$SKYSHIFT_CACHE/agents/skywalking.env"
}

lab_build_skywalking_python() {
  [[ -x $SKYWALKING_PYTHON_DIR/venv/bin/sw-python && -f $SKYSHIFT_CACHE/agents/skywalking.env ]] ||
    rm -f "$LAB_STAMPS/skywalking-python@"*
  lab_step skywalking-python "$(skywalking_python_key)" skywalking_python_build
}
