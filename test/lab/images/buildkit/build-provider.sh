#!/usr/bin/env bash
# Builds pulumi-resource-docker-build v0.0.22 (the plugin @pulumi/docker-build 0.0.22 asks for) into the skyshift
# cache's bin, from a source tree of github.com/pulumi/pulumi-docker-build at tag v0.0.22:
#   build-provider.sh <source-dir>
# The Go module proxy here serves neither that module nor two of its imports (pulumi-java, pulumi-dotnet codegen:
# "403 This module version is not available"); both are used only for SDK-generation metadata in the provider's
# schema, so stubs/ stands in for them. Takes ~8 minutes on 2 busy cores.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC=${1:?usage: build-provider.sh <pulumi-docker-build source at v0.0.22>}
CACHE=${SKYSHIFT_CACHE:-$HOME/.cache/skyshift}
WORK=$CACHE/build/docker-build-v0.0.22
rm -rf "$WORK" && mkdir -p "$WORK" && cp -a "$SRC/." "$WORK/"
cd "$WORK"
go mod edit -replace "github.com/pulumi/pulumi-java=$HERE/stubs/pulumi-java" \
  -replace "github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3=$HERE/stubs/pulumi-dotnet"
GOMODCACHE=$CACHE/gomod GOCACHE=$CACHE/gocache CGO_ENABLED=0 GOFLAGS=-mod=mod go build \
  -ldflags "-X github.com/pulumi/pulumi-docker-build/provider.Version=0.0.22" \
  -o "$CACHE/bin/pulumi-resource-docker-build" ./provider/cmd/pulumi-resource-docker-build
echo "built $CACHE/bin/pulumi-resource-docker-build"
