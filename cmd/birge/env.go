package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/store"
)

// env is what every subcommand gets from run: the environment and the standard streams.
type env struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// dbFlags are the flags every command shares: where the data lives.
type dbFlags struct {
	data, database string
}

func (e *env) flags(name string, db *dbFlags) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&db.data, "data", e.or("BIRGE_DATA", "./birge-data"), "data folder: the SQLite file, keys, uploads (BIRGE_DATA)")
	fs.StringVar(&db.database, "database", e.getenv("BIRGE_DATABASE_URL"), "empty for SQLite in the data folder, or postgres://… (BIRGE_DATABASE_URL)")
	return fs
}

func (e *env) or(key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// open connects to the database and applies pending migrations, printing what it applied.
func (e *env) open(ctx context.Context, db dbFlags, migrate bool) (*store.Store, error) {
	st, err := store.Open(ctx, db.database, db.data)
	if err != nil {
		return nil, err
	}
	if err := e.testClock(st); err != nil {
		st.Close()
		return nil, err
	}
	if migrate {
		n, err := st.Migrate(ctx)
		if err != nil {
			st.Close()
			return nil, err
		}
		if n > 0 {
			fmt.Fprintf(e.stderr, "applied %d migration(s)\n", n)
		}
	}
	return st, nil
}

// readPassword reads one line from standard input, for --password-stdin.
func (e *env) readPassword() (string, error) {
	b, err := io.ReadAll(io.LimitReader(e.stdin, 4096))
	if err != nil {
		return "", err
	}
	pw := strings.TrimRight(string(b), "\r\n")
	if pw == "" {
		return "", fmt.Errorf("no password on standard input")
	}
	return pw, nil
}

// testClock sets the store's clock from BIRGE_TEST_CLOCK (RFC 3339), for the browser
// tests: the server and the commands they run read the same instant, which then runs on
// with real time, so that no test depends on the day or the hour it runs at. Unset, the
// clock is the wall clock; set, the server says so, since every date it writes follows it.
func (e *env) testClock(st *store.Store) error {
	v := e.getenv("BIRGE_TEST_CLOCK")
	if v == "" {
		return nil
	}
	start, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return fmt.Errorf("BIRGE_TEST_CLOCK: %w", err)
	}
	base := time.Now() // the wall clock, only to let the set clock run on
	st.SetClock(func() time.Time { return start.Add(time.Since(base)) })
	fmt.Fprintf(e.stderr, "warning: the clock is set to %s by BIRGE_TEST_CLOCK (for tests only)\n", v)
	return nil
}
