// Wrapper module that builds the Kubernetes resource provider from the Go module proxy (see
// docs/engine.md). The provider module has no tags of its own: the pseudo-version below is the
// commit of release v4.25.0, the only one the proxy serves, and sdk/v4 is pinned to that same release
// (upstream points it at ../sdk, which a module zip does not carry).
module skyshift.local/lab/tools/pulumi-kubernetes

go 1.26.6

require (
	github.com/pulumi/pulumi-kubernetes/provider/v4 v4.0.0-20260115033456-f47bc2d6f199
	github.com/pulumi/pulumi-kubernetes/sdk/v4 v4.25.0
)
