// Command birge runs Birge: the web server and the tools an administrator needs.
// main only calls run, so tests can start the real program with their own arguments.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "birge:", err)
		os.Exit(1)
	}
}

const usage = `birge — programmes, cases and impact for women's organisations

Usage:
  birge serve [--addr A] [--data DIR] [--database URL] [--demo] [--log-format text|json]
  birge migrate [status|up]
  birge user add --email E --name N --role ROLE [--org ID] [--center ID] [--lang L] --password-stdin
  birge user reset-password --email E --password-stdin
  birge token create --email E --name N
  birge backup --to FILE
  birge audit verify [--checkpoint FILE]
  birge audit checkpoint [--to FILE]
  birge demo [--people N] [--deliveries M]
  birge version

Every command takes --data and --database (BIRGE_DATA, BIRGE_DATABASE_URL).
`

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) < 2 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	env := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmd, rest := args[1], args[2:]
	switch cmd {
	case "serve":
		return env.serve(ctx, rest)
	case "migrate":
		return env.migrate(ctx, rest)
	case "user":
		return env.user(ctx, rest)
	case "token":
		return env.token(ctx, rest)
	case "backup":
		return env.backup(ctx, rest)
	case "audit":
		return env.audit(ctx, rest)
	case "demo":
		return env.demo(ctx, rest)
	case "version":
		fmt.Fprintln(stdout, "birge", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
