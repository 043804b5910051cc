// Package testenv gives tests real databases and a real browser, and decides what happens
// when one is missing: a skip on a developer's machine, a failure when BIRGE_TEST_REQUIRE
// names it (as CI does), so nothing is ever silently left out there.
package testenv

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/birge-org/birge/internal/store"
)

// Missing skips the test, or fails it when BIRGE_TEST_REQUIRE lists what is missing.
func Missing(t testing.TB, what, why string) {
	t.Helper()
	for _, r := range strings.Split(os.Getenv("BIRGE_TEST_REQUIRE"), ",") {
		if strings.TrimSpace(r) == what {
			t.Fatalf("%s is required (BIRGE_TEST_REQUIRE) but %s", what, why)
		}
	}
	t.Skipf("%s not available: %s", what, why)
}

// Database is one real database for a test: its URL ("" for SQLite) and data folder.
type Database struct {
	Name    string // "sqlite" or "postgres", for subtest names
	URL     string
	DataDir string
}

// localPostgres is the server every development machine and CI runs (ENGINEERING.md).
const localPostgres = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL is the server tests create their PostgreSQL databases on:
// BIRGE_TEST_POSTGRES, else the local server when it answers, so that a plain
// `go test ./...` tests both databases wherever one runs; "" when none does.
var PostgresURL = sync.OnceValue(func() string {
	if u := os.Getenv("BIRGE_TEST_POSTGRES"); u != "" {
		return u
	}
	db, err := sql.Open("pgx", localPostgres)
	if err != nil {
		return ""
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if db.PingContext(ctx) != nil {
		return ""
	}
	return localPostgres
})

// Databases returns a fresh SQLite database always, and a fresh PostgreSQL database when
// a server is there (PostgresURL); without one the test says PostgreSQL was not tested,
// or fails when BIRGE_TEST_REQUIRE names it. Each is dropped when the test ends.
func Databases(t testing.TB) []Database {
	t.Helper()
	dbs := []Database{{Name: "sqlite", DataDir: t.TempDir()}}
	if base := PostgresURL(); base != "" {
		dbs = append(dbs, Database{Name: "postgres", URL: freshPostgres(t, base), DataDir: t.TempDir()})
	} else if strings.Contains(os.Getenv("BIRGE_TEST_REQUIRE"), "postgres") {
		t.Fatal("postgres is required (BIRGE_TEST_REQUIRE) but BIRGE_TEST_POSTGRES is empty and no server answers at " + localPostgres)
	} else {
		t.Log("PostgreSQL not tested: BIRGE_TEST_POSTGRES is empty and no server answers at " + localPostgres)
	}
	return dbs
}

// freshPostgres creates an empty database on the server at base and returns its URL.
func freshPostgres(t testing.TB, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "birge_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatalf("create test database on %s: %v", base, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Evening is when every test's store clock starts: 20:30 UTC on New Year's Eve, when it
// is already 1:30 on New Year's Day in Almaty and 2:30 in Bishkek. Code that takes UTC's
// day, month or year for the user's fails every test that touches it, whatever the hour
// the tests run at.
var Evening = time.Date(2026, 12, 31, 20, 30, 0, 0, time.UTC)

// ClockFrom returns a clock that reads start when called first and then runs with real
// time, so that waits, expiries and throttles still behave.
func ClockFrom(start time.Time) func() time.Time {
	base := time.Now()
	return func() time.Time { return start.Add(time.Since(base)) }
}

// Open opens and migrates a store on db, closed when the test ends. Its clock starts at
// Evening.
func Open(t testing.TB, db Database) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, db.URL, db.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	s.SetClock(ClockFrom(Evening))
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// Each runs fn as a subtest on every available database.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, db := range Databases(t) {
		t.Run(db.Name, func(t *testing.T) { fn(t, Open(t, db)) })
	}
}
