package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON is the part of a package.json that marks a Pulumi resource package.
type packageJSON struct {
	Pulumi struct {
		Resource bool   `json:"resource"`
		Name     string `json:"name"`
		Version  string `json:"version"`
		Server   string `json:"server"`
	} `json:"pulumi"`
}

// resourcePackages lists the resource plugins of the packages directly in nodeModules (scoped ones
// included). Only direct packages: npm hoists what a program uses, and nested copies would only
// name the same plugins again.
func resourcePackages(nodeModules string) ([]*pulumirpc.PackageDependency, error) {
	var manifests []string
	for _, pattern := range []string{"*/package.json", "@*/*/package.json"} {
		found, err := filepath.Glob(filepath.Join(nodeModules, pattern))
		if err != nil {
			return nil, err
		}
		manifests = append(manifests, found...)
	}
	sort.Strings(manifests)

	var deps []*pulumirpc.PackageDependency
	for _, manifest := range manifests {
		pkg, err := readPackageJSON(manifest)
		if err != nil {
			return nil, err
		}
		if !pkg.Pulumi.Resource || pkg.Pulumi.Name == "" {
			continue
		}
		dep := &pulumirpc.PackageDependency{Kind: "resource", Name: pkg.Pulumi.Name, Server: pkg.Pulumi.Server}
		if pkg.Pulumi.Version != "" {
			dep.Version = "v" + strings.TrimPrefix(pkg.Pulumi.Version, "v")
		}
		deps = append(deps, dep)
	}
	return deps, nil
}

func readPackageJSON(path string) (packageJSON, error) {
	var pkg packageJSON
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return pkg, nil // a dangling symlink in node_modules is not this host's problem
	}
	if err != nil {
		return pkg, err
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return pkg, fmt.Errorf("%s: %w", path, err)
	}
	return pkg, nil
}
