// Command pulumi-resource-kubernetes serves the upstream Kubernetes provider.
//
// Upstream's own main embeds files that its release build generates and git ignores, so they are
// not in the module zip. The lab build copies the committed schema.json and terraform-mapping.json
// from the module cache next to this file in a scratch directory and builds there.
package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema.json
var schema []byte

//go:embed terraform-mapping.json
var terraformMapping []byte

func main() {
	// Upstream has no version flag; the lab build uses this one to check the stamp.
	if len(os.Args) == 2 && os.Args[1] == "-version" {
		fmt.Println(version.Version)
		return
	}
	versioned, err := withVersion(schema, version.Version)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-resource-kubernetes: %v\n", err)
		os.Exit(1)
	}
	provider.Serve("kubernetes", version.Version, versioned, terraformMapping)
}

// withVersion stamps the schema with the provider's version, as upstream's release build does, so
// GetSchema answers for the binary that serves it.
func withVersion(schema []byte, v string) ([]byte, error) {
	var spec map[string]json.RawMessage
	if err := json.Unmarshal(schema, &spec); err != nil {
		return nil, fmt.Errorf("embedded schema: %w", err)
	}
	quoted, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	spec["version"] = quoted
	return json.Marshal(spec)
}
