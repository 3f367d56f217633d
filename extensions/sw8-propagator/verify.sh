#!/usr/bin/env bash
# npm run test:sw8 — the sw8 propagator's tests, offline, against the vectors the lab build step
# (test/lab/steps/sw8.sh, run by `npm run lab:tools`) generated from the collector's own translator, with the
# Maven artifacts that step cached, then the integration test with the real OpenTelemetry Java agent. Prints the
# number of tests that passed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../test/lab/lib.sh"
source "$here/../../test/lab/steps/sw8.sh"
if [[ ! -f $SW8_VECTORS_FILE ]]; then
  echo "sw8: no vectors at $SW8_VECTORS_FILE: run \`npm run lab:tools\` first (test/lab/steps/sw8.sh generates them)" >&2
  exit 1
fi
"${SW8_MAVEN[@]}" -o -Dsw8.vectors="$SW8_VECTORS_FILE" verify
tests=$(grep -ho '<testsuite [^>]* tests="[0-9]*"' "$here"/target/surefire-reports/TEST-*.xml "$here"/target/failsafe-reports/TEST-*.xml |
  sed 's/.* tests="\([0-9]*\)"/\1/' | awk '{ n += $1 } END { print n }')
translator=$(sed -n 's/^ *"translator": "\(.*\)",$/\1/p' "$SW8_VECTORS_FILE")
echo "sw8 propagator: $tests tests passed against vectors from $translator"
