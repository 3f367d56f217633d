// A wrapper module for the stretch goal (docs/image-rebuild.md): buildkitd's own go.mod has exclude directives, so
// `go install …@version` refuses it; building its command from a module that requires it works.
module skyshift.lab/buildkit

go 1.26.8

require github.com/moby/buildkit v0.34.2
