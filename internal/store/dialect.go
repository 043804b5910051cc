package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the one place where SQLite and PostgreSQL differ. Queries are written once,
// with ? placeholders, in the SQL both understand; migrations mark the few lines that
// differ (see migrate.go) and use the tokens in schemaTokens for column types.
type dialect struct {
	name         string // "sqlite" or "postgres"
	schemaTokens map[string]string
	rebound      sync.Map // query text → query with the dialect's placeholders
}

var sqliteDialect = &dialect{
	name: "sqlite",
	schemaTokens: map[string]string{
		"{{id}}":   "INTEGER PRIMARY KEY AUTOINCREMENT",
		"{{time}}": "TIMESTAMP",
		"{{blob}}": "BLOB",
		"{{key}}":  "TEXT", // SQLite compares text byte by byte already
	},
}

var postgresDialect = &dialect{
	name: "postgres",
	schemaTokens: map[string]string{
		"{{id}}":   "BIGSERIAL PRIMARY KEY",
		"{{time}}": "TIMESTAMPTZ",
		"{{blob}}": "BYTEA",
		"{{key}}":  `TEXT COLLATE "C"`, // byte order, so that a prefix is a range of the index
	},
}

// rebind turns ? placeholders into $1, $2… for PostgreSQL. Queries never contain a
// literal question mark, so a plain scan is enough.
func (d *dialect) rebind(q string) string {
	if d.name != "postgres" {
		return q
	}
	if v, ok := d.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	d.rebound.Store(q, b.String())
	return b.String()
}

// expand replaces the schema tokens in a migration.
func (d *dialect) expand(ddl string) string {
	for k, v := range d.schemaTokens {
		ddl = strings.ReplaceAll(ddl, k, v)
	}
	return ddl
}

// isUnique reports whether err is a violation of a unique constraint.
func isUnique(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || lite.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// isIdentityTaken reports whether err is a violation of the index that keeps one IIN to
// one live record of an organisation (migration 0014). SQLite names a partial unique
// index's columns, not the index.
func isIdentityTaken(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505" && pg.ConstraintName == "people_iin"
	}
	return isUnique(err) && strings.Contains(err.Error(), "people.org_id, people.id_lookup")
}

// isForeignKey reports whether err is a violation of a foreign key: a record still in use.
func isForeignKey(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}
