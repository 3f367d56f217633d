// Package java stands in for pulumi-java's codegen package, which the Go module proxy here refuses to serve.
// The docker-build provider only puts this value into its schema's language metadata (Java SDK generation).
package java

type PackageInfo struct {
	BuildFiles                      string            `json:"buildFiles,omitempty"`
	GradleNexusPublishPluginVersion string            `json:"gradleNexusPublishPluginVersion,omitempty"`
	Dependencies                    map[string]string `json:"dependencies,omitempty"`
}
