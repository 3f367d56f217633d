#!/usr/bin/env bash
# no-leak.sh PASSWORD_FILE USERNAME PATH… — fails when the registry password, or the Basic credential made from
# it, appears in any of the files or directories. It first plants a copy in a scratch file and checks that the
# same grep finds it, so a broken check cannot pass.
set -euo pipefail
password=$(cat "$1")
basic=$(printf '%s:%s' "$2" "$password" | base64 -w0)
shift 2
[[ ${#password} -ge 16 ]] || { echo "FAIL no-leak: the password in the file is too short to search for" >&2; exit 1; }
found() { grep -rqF -e "$password" -e "$basic" -- "$1"; }
planted=$(mktemp)
trap 'rm -f "$planted"' EXIT
for copy in "$password" "$basic"; do
  printf 'log line with %s in it\n' "$copy" >"$planted"
  found "$planted" || { echo "FAIL no-leak: the check missed a planted copy of the credential" >&2; exit 1; }
done
echo "ok   no-leak control: the check finds a planted copy of the password and of its Basic credential"
status=0
for target in "$@"; do
  if [[ ! -e $target ]]; then echo "FAIL no-leak: $target does not exist"; status=1
  elif found "$target"; then echo "FAIL the registry password appears in $target"; status=1
  else echo "ok   the registry password is not in $target"; fi
done
exit "$status"
