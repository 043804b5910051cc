package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one embedded schema change. Files are named NNNN_description.sql and
// applied in order, each in its own transaction. A line "-- dialect: sqlite" or
// "-- dialect: postgres" starts a part for one database only; "-- dialect: all" ends it.
type Migration struct {
	Version int
	Name    string
	sql     string
}

// MigrationStatus says whether a migration has been applied, and when.
type MigrationStatus struct {
	Migration
	AppliedAt *time.Time
}

func migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", e.Name())
		}
		body, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: name, sql: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// forDialect keeps the common lines and those marked for d.
func (m Migration) forDialect(d *dialect) string {
	var b strings.Builder
	keep := true
	for _, line := range strings.SplitAfter(m.sql, "\n") {
		if which, ok := strings.CutPrefix(strings.TrimSpace(line), "-- dialect:"); ok {
			which = strings.TrimSpace(which)
			keep = which == "all" || which == d.name
			continue
		}
		if keep {
			b.WriteString(line)
		}
	}
	return d.expand(b.String())
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at TIMESTAMP NOT NULL)`

// MigrationStatus lists every embedded migration and when it was applied.
func (s *Store) MigrationStatus(ctx context.Context) ([]MigrationStatus, error) {
	return s.migrationStatus(ctx, s.wdb, true)
}

// migrationStatus reads the status on x: the writer or Migrate's connection to it, which
// create the table of applied migrations when missing, or (for /readyz, which must not
// queue behind writes) the read pool.
func (s *Store) migrationStatus(ctx context.Context, x queryer, create bool) ([]MigrationStatus, error) {
	all, err := migrations()
	if err != nil {
		return nil, err
	}
	if create {
		if _, err := x.ExecContext(ctx, createMigrationsTable); err != nil {
			return nil, err
		}
	}
	applied := map[int]time.Time{}
	rows, err := x.QueryContext(ctx, `SELECT version, applied_at FROM schema_migrations`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		var at time.Time
		if err := rows.Scan(&v, &at); err != nil {
			return nil, err
		}
		applied[v] = at
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]MigrationStatus, len(all))
	for i, m := range all {
		out[i] = MigrationStatus{Migration: m}
		if at, ok := applied[m.Version]; ok {
			out[i].AppliedAt = &at
		}
	}
	return out, nil
}

// Pending reports how many migrations are not yet applied (for /readyz).
func (s *Store) Pending(ctx context.Context) (int, error) {
	st, err := s.migrationStatus(ctx, s.read().x, false)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range st {
		if m.AppliedAt == nil {
			n++
		}
	}
	return n, nil
}

// Migrate applies every pending migration, each in one transaction, and returns how many
// it applied. On PostgreSQL an advisory lock keeps two instances starting at once from
// applying the same migration twice; SQLite's write lock does the same there.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if s.d.name == "postgres" {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7211)`); err != nil {
			return 0, err
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(7211)`)
	}
	st, err := s.migrationStatus(ctx, conn, true)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range st {
		if m.AppliedAt != nil {
			continue
		}
		if err := s.apply(ctx, conn, m.Migration); err != nil {
			return n, fmt.Errorf("migration %04d_%s: %w", m.Version, m.Name, err)
		}
		n++
	}
	if n > 0 && s.d.name == "sqlite" {
		// Old page images (migration 0016 dropped the masked numbers) leave the
		// write-ahead log now rather than at the next checkpoint; on this connection,
		// the writer.
		conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	return n, nil
}

// migrationSteps are the parts of migrations that SQL cannot do, such as sealing with
// the master key: each runs after its migration's SQL, in the same transaction, so a
// migration still applies wholly or not at all. A step must work in pages, so that a
// registry of a million people does not have to fit in memory.
var migrationSteps = map[int]func(s *Store, ctx context.Context, c q) error{
	15: (*Store).startKeyedChains,
	16: (*Store).resealSensitive,
	18: (*Store).rekeyNames,
}

func (s *Store) apply(ctx context.Context, conn *sql.Conn, m Migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, m.forDialect(s.d)); err != nil {
		return err
	}
	if step := migrationSteps[m.Version]; step != nil {
		if err := step(s, ctx, q{x: tx, d: s.d}); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, s.d.rebind(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		m.Version, m.Name, s.now()); err != nil {
		return err
	}
	return tx.Commit()
}
