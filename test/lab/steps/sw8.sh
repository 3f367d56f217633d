#!/usr/bin/env bash
# Lab build step for the sw8 propagator (extensions/sw8-propagator, docs/sw8-propagator.md):
#  1. builds test/lab/tools/sw8-vectors, which runs the collector contrib skywalking receiver's own translator
#     (pkg/translator/skywalking v0.140.1, from the Go module proxy) on generated SkyWalking IDs, and writes its
#     vectors to $SW8_DIR/vectors.json;
#  2. builds the extension jar with Maven (artifacts from Maven Central into $SKYSHIFT_CACHE/m2, so later
#     offline runs and CI's warm cache need no network), running its tests against those vectors, and copies
#     it to $SW8_DIR/skyshift-sw8-propagator.jar, and to $SW8_DIR/extension/, a directory holding only the jar, as
#     the operator's extensions volume does: the workload runner maps `<agent volume>/extensions` there.
# Keyed by a digest of both sources: editing the propagator or the vector tool rebuilds.
# Sourced by bootstrap.sh after lib.sh.
set -euo pipefail

SW8_DIR=$SKYSHIFT_CACHE/sw8
SW8_VECTORS_FILE=$SW8_DIR/vectors.json
SW8_JAR=$SW8_DIR/skyshift-sw8-propagator.jar
SW8_EXTENSION_COPY_DIR=$SW8_DIR/extension
SW8_EXTENSION_DIR=$LAB_REPO/extensions/sw8-propagator
SW8_VECTORS_TOOL=$LAB_REPO/test/lab/tools/sw8-vectors
SW8_MAVEN=(mvn -B -q -Dmaven.repo.local="$SKYSHIFT_CACHE/m2" -f "$SW8_EXTENSION_DIR/pom.xml")

sw8_sources_digest() {
  (cd "$LAB_REPO" && find extensions/sw8-propagator/pom.xml extensions/sw8-propagator/src test/lab/tools/sw8-vectors \
    -type f | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-12)
}

# Build functions run under lab_step's `if`, where bash ignores set -e: every failure is returned explicitly.
sw8_build() {
  mkdir -p "$SW8_DIR" || return
  # go.sum is committed: the checksum database has no entries for some contrib modules.
  (cd "$SW8_VECTORS_TOOL" && go build -trimpath -o "$LAB_BIN/sw8-vectors" .) || return
  "$LAB_BIN/sw8-vectors" >"$SW8_VECTORS_FILE.new" && mv "$SW8_VECTORS_FILE.new" "$SW8_VECTORS_FILE" || return
  "${SW8_MAVEN[@]}" -Dsw8.vectors="$SW8_VECTORS_FILE" clean verify || return
  cp "$SW8_EXTENSION_DIR/target/skyshift-sw8-propagator.jar" "$SW8_JAR"
}

lab_build_sw8() {
  [[ -f $SW8_VECTORS_FILE && -f $SW8_JAR ]] || rm -f "$LAB_STAMPS/sw8@"*
  lab_step sw8 "$(sw8_sources_digest)" sw8_build
  # Outside the stamped step, so caches built before this line get the copy too; cp of 14 KiB.
  mkdir -p "$SW8_EXTENSION_COPY_DIR" && cp -f "$SW8_JAR" "$SW8_EXTENSION_COPY_DIR/"
}
