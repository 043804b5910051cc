package store

// This file exports internals to the external tests (package store_test).

import (
	"context"
	"database/sql"
	"slices"
	"sort"
	"testing"

	"github.com/birge-org/birge/internal/birge"
)

// columns lists every table's columns, sorted, to compare the two dialects.
func (s *Store) columns(ctx context.Context) (map[string][]string, error) {
	q := `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	if s.d.name == "postgres" {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`
	}
	rows, err := s.db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		out[t] = append(out[t], c)
	}
	for _, cols := range out {
		sort.Strings(cols)
	}
	return out, rows.Err()
}

// Columns is columns, for the external tests.
func Columns(ctx context.Context, s *Store) (map[string][]string, error) { return s.columns(ctx) }

// Exec runs a statement directly, for tests that tamper with the database.
func Exec(ctx context.Context, s *Store, query string) (sql.Result, error) {
	return s.wdb.ExecContext(ctx, query)
}

// DropAuditGuard removes the triggers that keep the audit log append-only, to show that
// tampering is still caught by the hash chain.
func DropAuditGuard(t *testing.T, s *Store) {
	stmts := []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`}
	if s.d.name == "postgres" {
		stmts = []string{`DROP TRIGGER audit_log_no_change ON audit_log`}
	}
	for _, q := range stmts {
		if _, err := s.wdb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// QueryInt runs a one-number query on the pool, through the statement cache.
func QueryInt(ctx context.Context, s *Store, query string, args ...any) (int, error) {
	var n int
	err := s.read().row(ctx, query, args...).Scan(&n)
	return n, err
}

// CachedStatements counts the prepared statements the store keeps.
func CachedStatements(s *Store) int {
	return s.stmts.len()
}

// StatementCached reports whether query is in the statement cache.
func StatementCached(s *Store, query string) bool {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	_, ok := s.stmts.m[query]
	return ok
}

// MaxStmts is maxStmts.
const MaxStmts = maxStmts

// ExecArgs runs a statement with arguments (? placeholders) on the writer, for tests
// that tamper.
func ExecArgs(ctx context.Context, s *Store, query string, args ...any) (sql.Result, error) {
	return q{x: s.wdb, d: s.d}.exec(ctx, query, args...)
}

// MigrateTo applies the pending migrations up to version, for tests of what a later
// migration does to data written before it.
func MigrateTo(ctx context.Context, s *Store, version int) error {
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	st, err := s.migrationStatus(ctx, conn, true)
	if err != nil {
		return err
	}
	for _, m := range st {
		if m.AppliedAt == nil && m.Version <= version {
			if err := s.apply(ctx, conn, m.Migration); err != nil {
				return err
			}
		}
	}
	return nil
}

// PoolWritable reports whether any connection of the read pool lets a write through.
func PoolWritable(ctx context.Context, s *Store) (bool, error) {
	n := s.db.Stats().MaxOpenConnections
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := s.db.Conn(ctx)
		if err != nil {
			return false, err
		}
		conns = append(conns, c)
		if _, err := c.ExecContext(ctx, `DELETE FROM sessions WHERE 1 = 0`); err == nil {
			return true, nil
		}
	}
	return false, nil
}

// CountSensitive counts the live or anonymised records of a centre (not merged away)
// holding any sensitive category, opening each: nothing in the clear tells them.
func CountSensitive(ctx context.Context, s *Store, center int64) (int, error) {
	rows, err := s.db.QueryContext(ctx, s.d.rebind(`SELECT sensitive_sealed FROM people
		WHERE merged_into IS NULL AND center_id = ?`), center)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var sealed string
		if err := rows.Scan(&sealed); err != nil {
			return 0, err
		}
		codes, err := s.People.openSensitive(sealed)
		if err != nil {
			return 0, err
		}
		if len(codes) > 0 {
			n++
		}
	}
	return n, rows.Err()
}

// Seal seals a text with the master key, to write what older code wrote.
func Seal(s *Store, plain string) string { return s.seal.seal(plain) }

// OpenSensitive opens a person's sealed sensitive categories, whatever anyone may see.
func OpenSensitive(ctx context.Context, s *Store, id int64) ([]string, error) {
	var sealed string
	if err := s.read().row(ctx, `SELECT sensitive_sealed FROM people WHERE id = ?`, id).Scan(&sealed); err != nil {
		return nil, err
	}
	return s.People.openSensitive(sealed)
}

// CategoryHeld reports whether anyone of an organisation holds a category, as changing
// its sensitive flag checks.
func CategoryHeld(ctx context.Context, s *Store, orgID int64, code string, sensitive bool) (bool, error) {
	return s.categoryHeld(ctx, s.read(), birge.Category{OrgID: orgID, Code: code, Sensitive: sensitive})
}

// SnapshotLength is the length of a merge's sealed snapshot of p.
func SnapshotLength(ctx context.Context, s *Store, p birge.Person) (int, error) {
	var n int
	err := s.tx(ctx, func(c q) error {
		sealed, err := s.People.sealSnapshot(ctx, c, p)
		n = len(sealed)
		return err
	})
	return n, err
}

// UnlistedPersonLinks returns the columns of the SQLite schema that point at a person —
// a foreign key to people, or a column named person_id — and are missing from
// personLinks (modules.go), as "table.column".
func UnlistedPersonLinks(ctx context.Context, s *Store) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT m.name, f."from" FROM sqlite_master m
		JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f."table" = 'people'
		UNION SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
		WHERE m.type = 'table' AND (c.name = 'person_id' OR c.name LIKE '%\_person\_id' ESCAPE '\')`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(personLinks, func(l personLink) bool { return l.table == table && l.column == column }) {
			out = append(out, table+"."+column)
		}
	}
	slices.Sort(out)
	return out, rows.Err()
}

// PublicPerson is publicPerson in a transaction of its own, for the external tests.
func PublicPerson(ctx context.Context, s *Store, p birge.Person) (id int64, created bool, err error) {
	err = s.People.txPerson(ctx, func(c q) error {
		id, created, err = s.People.publicPerson(ctx, c, "test form", p)
		return err
	})
	return id, created, err
}
