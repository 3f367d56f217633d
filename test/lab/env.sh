#!/usr/bin/env bash
# The environment for running pulumi by hand against the lab.
#   source test/lab/env.sh        exports it into this shell
#   eval "$(bash test/lab/env.sh)" the same, from any shell that can eval
#   bash test/lab/env.sh --plain  prints NAME=value lines for programs (the e2e harness reads these)
# The e2e harness (test/e2e/harness.ts) builds the same environment for each test file, except that
# it keeps its state in a fresh temporary backend.

# lib.sh owns the cache layout; read it in a subshell so its `set -e` and Go settings stay out of
# an interactive shell.
lab_env_paths=$(bash -c 'source "$1"; printf "%s\n%s\n%s\n" "$SKYSHIFT_CACHE" "$LAB_BIN" "$LAB_RUN"' _ \
  "$(dirname "${BASH_SOURCE[0]}")/lib.sh") || return 1 2>/dev/null || exit 1
{ read -r lab_env_cache; read -r lab_env_bin; read -r lab_env_run; } <<<"$lab_env_paths"

lab_env_vars=(
  "SKYSHIFT_CACHE=$lab_env_cache"
  "PATH=$lab_env_bin:$PATH"
  "PULUMI_HOME=$lab_env_cache/pulumi-home"
  "PULUMI_BACKEND_URL=file://$lab_env_cache/pulumi-state"
  # Not a secret: it only encrypts lab stacks' secret config on this machine.
  "PULUMI_CONFIG_PASSPHRASE=skyshift-lab"
  "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
  "PULUMI_SKIP_UPDATE_CHECK=true"
  "KUBECONFIG=$lab_env_run/kubeconfig"
)
mkdir -p "$lab_env_cache/pulumi-home" "$lab_env_cache/pulumi-state"

if [[ ${BASH_SOURCE[0]} == "$0" && ${1:-} == --plain ]]; then
  printf '%s\n' "${lab_env_vars[@]}"
elif [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  for lab_env_var in "${lab_env_vars[@]}"; do
    printf 'export %s=%q\n' "${lab_env_var%%=*}" "${lab_env_var#*=}"
  done
else
  export "${lab_env_vars[@]}"
fi
unset lab_env_paths lab_env_cache lab_env_bin lab_env_run lab_env_vars lab_env_var
