#!/usr/bin/env bash
# Lab build step for the Pulumi engine: the CLI, the Node.js language host and the Kubernetes resource
# provider, each built from the Go module proxy through a wrapper module under test/lab/tools/.
# Sourced after lib.sh; see docs/engine.md for why each version is what it is.
set -euo pipefail

PULUMI_TOOLS=$LAB_REPO/test/lab/tools

# Prints the version a wrapper's go.mod requires for MODULE (the single place each version is pinned).
pulumi_required_version() {
  awk -v m="$2" '$1 == m { print $2; exit } $1 == "require" && $2 == m { print $3; exit }' "$1/go.mod"
}

# Prints the version package-lock.json pins for an npm package.
pulumi_npm_version() {
  node -p "require('$LAB_REPO/package-lock.json').packages['node_modules/$1'].version"
}

# Prints a short digest of our own sources in DIR, so editing them rebuilds as a version bump does.
pulumi_sources_digest() {
  (cd "$1" && find . -name '*.go' -o -name go.mod | LC_ALL=C sort | xargs cat | sha256sum | cut -c1-8)
}

# A stamp without its binary (someone cleaned $LAB_BIN) must not make the step look done.
pulumi_forget_if_missing() {
  [[ -x $LAB_BIN/$2 ]] || rm -f "$LAB_STAMPS/$1@"*
}

pulumi_go_build() {
  local dir=$1 out=$2 pkg=$3 ldflags=$4
  (cd "$dir" && go build -trimpath -ldflags "-s -w $ldflags" -o "$LAB_BIN/$out" "$pkg")
}

pulumi_build_cli() {
  local version=$1 ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$1"
  pulumi_go_build "$PULUMI_TOOLS/pulumi" pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi "$ldflags"
  # Same module, same dependency versions: this reuses nearly all of the CLI's compiled packages.
  pulumi_go_build "$PULUMI_TOOLS/pulumi" pulumi-language-nodejs ./langhost "$ldflags"
  pulumi_check_version "$version" pulumi version
  pulumi_check_version "$version" pulumi-language-nodejs -version
}

# pulumi_check_version WANT BIN ARGS...: the binary prints WANT when run with ARGS.
pulumi_check_version() {
  local want=$1 bin=$2 got; shift 2
  got=$(timeout 20 "$LAB_BIN/$bin" "$@") || true
  [[ $got == "$want" ]] || { echo "$bin $* printed '$got', want '$want'"; return 1; }
}

# The provider's main embeds upstream's committed schema and Terraform mapping, which stay in the
# module cache: the build happens in a scratch copy of the wrapper with those files beside it.
pulumi_build_kubernetes() {
  local version=$1 wrapper=$PULUMI_TOOLS/pulumi-kubernetes scratch=$SKYSHIFT_CACHE/build/pulumi-kubernetes
  local module dir
  module=$(pulumi_required_version "$wrapper" github.com/pulumi/pulumi-kubernetes/provider/v4)
  dir=$(go mod download -json "github.com/pulumi/pulumi-kubernetes/provider/v4@$module" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
  [[ -d $dir ]] || { echo "provider module $module did not download"; return 1; }
  rm -rf "$scratch" && mkdir -p "$scratch"
  cp "$wrapper"/go.mod "$wrapper"/go.sum "$wrapper"/main.go "$scratch"/
  cp "$dir/cmd/pulumi-resource-kubernetes/schema.json" "$dir/cmd/pulumi-resource-kubernetes/terraform-mapping.json" "$scratch"/
  pulumi_go_build "$scratch" pulumi-resource-kubernetes . \
    "-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$version"
  # Keep the committed go.sum complete when a version bump added sums.
  cmp -s "$scratch/go.sum" "$wrapper/go.sum" || cp "$scratch/go.sum" "$wrapper/go.sum"
  pulumi_check_version "$version" pulumi-resource-kubernetes -version
}

lab_build_pulumi() {
  local cli sdk k8s k8s_sdk
  cli=$(pulumi_required_version "$PULUMI_TOOLS/pulumi" github.com/pulumi/pulumi/pkg/v3)
  sdk=v$(pulumi_npm_version @pulumi/pulumi)
  pulumi_version_at_least "$cli" "$sdk" || {
    lab_log "pulumi: the CLI ($cli, test/lab/tools/pulumi/go.mod) is older than @pulumi/pulumi $sdk in package-lock.json"
    return 1
  }
  # The release of the provider commit we build; sdk/v4 is pinned to exactly that release.
  k8s=$(pulumi_required_version "$PULUMI_TOOLS/pulumi-kubernetes" github.com/pulumi/pulumi-kubernetes/sdk/v4)
  k8s_sdk=$(node -p "require('$LAB_REPO/node_modules/@pulumi/kubernetes/package.json').pulumi.version")
  pulumi_forget_if_missing pulumi pulumi
  pulumi_forget_if_missing pulumi pulumi-language-nodejs
  pulumi_forget_if_missing pulumi-kubernetes pulumi-resource-kubernetes
  lab_step pulumi "$cli-$(pulumi_sources_digest "$PULUMI_TOOLS/pulumi")" pulumi_build_cli "$cli"
  lab_step pulumi-kubernetes "$k8s-$(pulumi_sources_digest "$PULUMI_TOOLS/pulumi-kubernetes")" \
    pulumi_build_kubernetes "${k8s#v}"
  pulumi_install_dynamic_provider_plugin
  [[ ${k8s#v} == "$k8s_sdk" ]] ||
    lab_log "pulumi-kubernetes: serving @pulumi/kubernetes $k8s_sdk with provider $k8s, the newest the module proxy has (docs/engine.md)"
}

# Dynamic providers (DeepFlow agent-group config, rollout gates, layer-append) run through this plugin, which
# Pulumi's release archives ship as a two-line script beside `pulumi` and a CLI built from source lacks. Like
# the released one, it runs the dynamic-provider host of the @pulumi/pulumi the program itself resolves.
pulumi_install_dynamic_provider_plugin() {
  local plugin=$LAB_BIN/pulumi-resource-pulumi-nodejs
  cat >"$plugin.tmp" <<'SH'
#!/bin/sh
exec node "$(node -p 'require.resolve("@pulumi/pulumi/cmd/dynamic-provider")')" "$@"
SH
  chmod +x "$plugin.tmp" && mv "$plugin.tmp" "$plugin"
}

# pulumi_version_at_least A B: true when semver A >= B (release versions only).
pulumi_version_at_least() {
  [[ $(printf '%s\n%s\n' "${1#v}" "${2#v}" | sort -V | tail -n 1) == "${1#v}" ]]
}
