#!/usr/bin/env bash
# Process bookkeeping for the lab: every component is tracked by its own pid file, never by name.
# Sourced by lab.sh after run/settings.sh.
set -euo pipefail

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
  # Until the forked shell has exec'd the binary, is_up does not recognise it; on a loaded machine a health
  # poll can get there first and report the component as exited. Wait (up to 5s) for the exec or the exit.
  local i
  for i in $(seq 50); do
    is_up "$name" || [[ ! -d /proc/$! ]] && return 0
    sleep 0.1
  done
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

# fail_component MESSAGE LOG-NAME — prints the log's tail, stops what was started (cmd_down) and exits.
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
  for port in "${LAB_PORTS[@]}"; do
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
