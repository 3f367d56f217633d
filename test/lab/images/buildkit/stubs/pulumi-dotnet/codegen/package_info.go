// Package codegen stands in for pulumi-dotnet's codegen package, which the Go module proxy here refuses to serve.
// The docker-build provider only puts this value into its schema's language metadata (C# SDK generation).
package codegen

type CSharpPackageInfo struct {
	RespectSchemaVersion bool              `json:"respectSchemaVersion,omitempty"`
	PackageReferences    map[string]string `json:"packageReferences,omitempty"`
}
