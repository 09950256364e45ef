// Temporal's own server in development mode (SQLite in memory, all services in one process), for
// the conformance lanes of the test suites. It is go.temporal.io/server's temporaltest server with
// the namespaces the product uses registered on top. On start it prints one line,
// "temporal-server listening on HOST:PORT", then serves until SIGINT or SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/temporaltest"
	"google.golang.org/protobuf/types/known/durationpb"
)

func main() {
	namespaces := flag.String("namespaces", "default", "comma-separated namespaces to register")
	flag.Parse()

	server := temporaltest.NewServer()
	address := server.GetFrontendHostPort()
	if err := registerNamespaces(address, strings.Split(*namespaces, ",")); err != nil {
		fmt.Fprintln(os.Stderr, "temporal-server:", err)
		os.Exit(1)
	}
	fmt.Printf("temporal-server listening on %s\n", address)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	<-stop
	// Stop() logs through a test logger that a process has none of: exiting is the shutdown.
	os.Exit(0)
}

// registerNamespaces registers each namespace (one day of retention) and waits until the frontend
// describes it, so the first client call never meets "namespace not found".
func registerNamespaces(address string, names []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	namespaces, err := client.NewNamespaceClient(client.Options{HostPort: address})
	if err != nil {
		return fmt.Errorf("connect to %s: %w", address, err)
	}
	defer namespaces.Close()
	for _, name := range names {
		err := namespaces.Register(ctx, &workflowservice.RegisterNamespaceRequest{
			Namespace:                        name,
			WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
		})
		if _, exists := err.(*serviceerror.NamespaceAlreadyExists); err != nil && !exists {
			return fmt.Errorf("register namespace %q: %w", name, err)
		}
		for {
			if _, err := namespaces.Describe(ctx, name); err == nil {
				break
			} else if ctx.Err() != nil {
				return fmt.Errorf("namespace %q not visible: %w", name, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return nil
}
