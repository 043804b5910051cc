package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/web"
)

// serve runs the HTTP server until ctx ends (SIGINT or SIGTERM), then stops taking new
// connections and lets requests in flight finish for up to 20 seconds.
func (e *env) serve(ctx context.Context, args []string) error {
	var db dbFlags
	fs := e.flags("serve", &db)
	addr := fs.String("addr", e.or("BIRGE_ADDR", "127.0.0.1:8080"), "address to listen on (BIRGE_ADDR)")
	withDemo := fs.Bool("demo", e.getenv("BIRGE_DEMO") == "1", "load demo data into an empty database (BIRGE_DEMO=1)")
	history := fs.Bool("demo-history", e.getenv("BIRGE_DEMO_HISTORY") != "0",
		"with --demo, also the Aktobe family centre's four months of families, Mama Pro's year of trainings and the competitions (BIRGE_DEMO_HISTORY=0 leaves them out)")
	logFormat := fs.String("log-format", e.or("BIRGE_LOG_FORMAT", "text"), "text or json (BIRGE_LOG_FORMAT)")
	baseURL := fs.String("base-url", e.getenv("BIRGE_BASE_URL"), "public address, e.g. https://birge.example.kz; https makes cookies Secure (BIRGE_BASE_URL)")
	trustProxy := fs.Bool("trust-proxy", e.getenv("BIRGE_TRUST_PROXY") == "1", "take client addresses from X-Forwarded-For (BIRGE_TRUST_PROXY=1)")
	quickExit := fs.String("quick-exit-url", e.or("BIRGE_QUICK_EXIT_URL", web.DefaultQuickExitURL), "where the quick-exit control leads (BIRGE_QUICK_EXIT_URL)")
	workers, _ := strconv.Atoi(e.getenv("BIRGE_IMPORT_WORKERS"))
	fs.IntVar(&workers, "import-workers", workers, "imports checked or written at once; 0: one per core, at least 2 (BIRGE_IMPORT_WORKERS)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	tuneGC(e.getenv)
	var handler slog.Handler = slog.NewTextHandler(e.stderr, nil)
	if *logFormat == "json" {
		handler = slog.NewJSONHandler(e.stderr, nil)
	}
	log := slog.New(handler)

	st, err := e.open(ctx, db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if *withDemo {
		if err := e.loadDemo(ctx, st, *history); err != nil {
			return err
		}
	}
	srv, err := web.New(st, web.Config{BaseURL: *baseURL, TrustProxy: *trustProxy, QuickExitURL: *quickExit,
		Version: version, Logger: log, ImportWorkers: workers})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := *baseURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	fmt.Fprintf(e.stdout, "birge %s listening on %s (database: %s)\n", version, base, st.Dialect())
	token, err := st.NewSetupToken(ctx)
	if err != nil {
		return err
	}
	if token != "" {
		fmt.Fprintf(e.stdout, "No one can sign in yet. Create the first administrator here (the link works once):\n  %s/setup?token=%s\n", base, token)
	}

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(handler, slog.LevelWarn)}
	janitorCtx, stopJanitor := context.WithCancel(ctx)
	defer stopJanitor()
	go srv.Janitor(janitorCtx)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// tuneGC trades memory for latency under load: a page's allocations are short-lived, and
// with the default GOGC=100 garbage collection was the largest part of p99 (44 ms → 24 ms
// at 50 connections with 400, see docs/decisions/0004-gc.md). A soft memory limit keeps a
// busy server from growing without bound. GOGC and GOMEMLIMIT in the environment win.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(512 << 20)
	}
}
