package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

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
