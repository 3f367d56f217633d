// Command pulumi-language-nodejs is the lab's own Node.js language host.
//
// Upstream's host is a module of its own that the Go module proxy here does not serve at any
// version, so the lab runs this small one instead (docs/engine.md). It speaks the same gRPC
// protocol to the engine and starts programs through the @pulumi/pulumi package's own
// `cmd/run` entry point, so program behaviour comes from the SDK the project pins. What it leaves
// out: dependency installation, templates, packing, code generation, debuggers, the bun runtime
// and the synchronous-invoke pipes (the SDK treats those as optional).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
)

// exitAfterUserMessage is the exit code @pulumi/pulumi's cmd/run uses once it has already printed
// an actionable error; the engine must then stop without adding its own message.
const exitAfterUserMessage = 32

// engineCheckInterval is how often the host checks that its engine is still there (upstream's value).
const engineCheckInterval = 5 * time.Minute

func main() {
	showVersion := flag.Bool("version", false, "print the version and exit")
	// The engine may pass these; this host has nothing to do with them.
	flag.String("tracing", "", "ignored")
	flag.String("runtime", "nodejs", "ignored: only node is supported")
	flag.Parse()
	if *showVersion {
		fmt.Println(version.Version)
		return
	}
	// Stop serving on an interrupt or once the engine is gone, so no host outlives its engine.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	cancel := make(chan bool)
	go func() { <-ctx.Done(); close(cancel) }()
	host := &languageHost{ctx: ctx, stop: stop}
	if err := host.setEngine(flag.Arg(0)); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancel,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
	// The engine reads the port from the first line of stdout.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
		os.Exit(1)
	}
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	ctx  context.Context
	stop context.CancelFunc

	mu     sync.Mutex // Handshake and Run arrive on different gRPC goroutines
	engine string
}

// setEngine records the engine's address (given on the command line or, by newer engines, in
// Handshake) and stops the host when the engine stops answering health checks.
func (h *languageHost) setEngine(addr string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if addr == "" || addr == h.engine {
		return nil
	}
	h.engine = addr
	return rpcutil.Healthcheck(h.ctx, addr, engineCheckInterval, h.stop)
}

func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	if err := h.setEngine(req.GetEngineAddress()); err != nil {
		return nil, err
	}
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version.Version}, nil
}

// GetRequiredPackages reports the resource plugins of the program's direct node_modules so the
// engine loads the versions the lockfile pinned before the program asks for them.
func (h *languageHost) GetRequiredPackages(
	_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs, err := resourcePackages(filepath.Join(req.GetInfo().GetProgramDirectory(), "node_modules"))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	opts, err := parseOptions(info.GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	runPath, err := resolveRunPath(ctx, info.GetProgramDirectory())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	config, err := json.Marshal(req.GetConfig())
	if err != nil {
		return nil, err
	}
	secretKeys, err := json.Marshal(append([]string{}, req.GetConfigSecretKeys()...))
	if err != nil {
		return nil, err
	}

	args := append(strings.Fields(opts.nodeArgs), runPath)
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	h.mu.Lock()
	flagArg("engine", h.engine)
	h.mu.Unlock()
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.GetProgramDirectory())
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	args = append(args, info.GetEntryPoint())
	args = append(args, req.GetArgs()...)

	cmd := exec.CommandContext(ctx, "node", args...)
	cmd.Dir = info.GetProgramDirectory()
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(opts.typescript))
	if opts.tsconfig != "" {
		cmd.Env = append(cmd.Env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return runResponse(cmd.Run()), nil
}

func runResponse(err error) *pulumirpc.RunResponse {
	var exit *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}
	case errors.As(err, &exit) && exit.ExitCode() == exitAfterUserMessage:
		return &pulumirpc.RunResponse{Bail: true}
	case errors.As(err, &exit):
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exit.ExitCode())}
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}
	}
}

// resolveRunPath lets node resolve @pulumi/pulumi from the program directory, so symlinked or
// hoisted node_modules work the way they do for the program itself.
func resolveRunPath(ctx context.Context, programDir string) (string, error) {
	out, err := exec.CommandContext(ctx, "node", "-e",
		"process.stdout.write(require.resolve('@pulumi/pulumi/cmd/run', {paths: [process.argv[1]]}))",
		programDir).Output()
	if err != nil {
		return "", fmt.Errorf("cannot find @pulumi/pulumi from %s (is node on PATH and npm install done?): %w",
			programDir, err)
	}
	return string(out), nil
}

// nodeOptions are the Pulumi.yaml `runtime.options` this host honours, with upstream's defaults.
type nodeOptions struct {
	typescript bool
	tsconfig   string
	nodeArgs   string
}

func parseOptions(raw map[string]any) (nodeOptions, error) {
	opts := nodeOptions{typescript: true}
	for key, value := range raw {
		var ok bool
		switch key {
		case "typescript":
			opts.typescript, ok = value.(bool)
		case "tsconfig":
			opts.tsconfig, ok = value.(string)
		case "nodeargs":
			opts.nodeArgs, ok = value.(string)
		default:
			ok = true // options for package managers and the like do not change how a program runs
		}
		if !ok {
			return opts, fmt.Errorf("runtime option %q has the wrong type: %v", key, value)
		}
	}
	return opts, nil
}
