// Package store keeps Birge's records in SQLite or PostgreSQL through database/sql.
// Authorisation and audit live here, where data is read and written: every method that
// touches records takes the acting *birge.Actor, filters what it may see, and writes the
// audit entry in the same transaction as the change, so no caller can forget either.
//
// Each module has a view on the store (st.People for the person module) and a prefix on
// its files (person*.go); what crosses modules — which tables point at a person, her
// timeline's sources, her dossier — is in modules.go.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Store is a handle on the database. It is safe for concurrent use.
type Store struct {
	db    *sql.DB       // reads; on SQLite its connections may not write (query_only)
	wdb   *sql.DB       // transactions and every write: on SQLite one connection, on PostgreSQL db itself
	turn  chan struct{} // on SQLite, writers wait here for the writer, first come first served
	d     *dialect
	stmts *stmtCache
	seal  *sealer
	clock func() time.Time

	// People is the person module: her record, search, duplicates, merges, imports,
	// consents, relations, her timeline and her rights (files person*.go).
	People *People
	// Programs is the programme module: programmes and who takes part in them.
	Programs *Programs
	// Deliveries is the record of services given to women, which every module writes.
	Deliveries *Deliveries
	// Outcomes is the record of what became of women, which every module writes.
	Outcomes *Outcomes
	// Indicators are what a programme promised, each with its actual counted from the records.
	Indicators *Indicators
	// Funding is the organisation's donor funding: awards, budgets, spending, deadlines.
	Funding *Funding
	// Cases are the family centres' counselling and mediation cases.
	Cases      *Cases
	Screenings *Screenings
	// SafetyPlans, Referrals and Services: a survivor's safety plan, people referred on,
	// and the directory of outside services they are referred to.
	SafetyPlans *SafetyPlans
	Referrals   *Referrals
	Services    *Services
	Sessions    *Sessions
	// CaseRequests are the requests for a consultation sent from the public site.
	CaseRequests *CaseRequests
	// Trainings are courses, cohorts, their sessions and enrolments.
	Trainings *Trainings
	// Kinds edits an organisation's lists of kinds of service and of outcome.
	Kinds *Kinds
	// Calls are the competitions: calls for grants and scholarships, their criteria,
	// eligibility rules and application forms.
	Calls *Calls
	// Applications are the applications to calls: the public form's drafts and
	// submissions, and the staff's list (decision 0035).
	Applications *Applications
	// Awards are what calls give: tranches, evidence, payments, follow-ups, figures.
	Awards *Awards
}

// Open connects to url — empty for SQLite in dataDir/birge.db, or postgres://… — and
// checks the connection. It does not migrate; call Migrate.
func Open(ctx context.Context, url, dataDir string) (*Store, error) {
	var (
		db, wdb *sql.DB
		d       *dialect
		err     error
	)
	switch {
	case url == "":
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, err
		}
		db, wdb, err = openSQLite(ctx, filepath.Join(dataDir, "birge.db"))
		d = sqliteDialect
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		db, err = sql.Open("pgx", url)
		d = postgresDialect
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		db.SetConnMaxIdleTime(5 * time.Minute)
		wdb = db // PostgreSQL locks rows, not the database: writers run side by side
	default:
		return nil, fmt.Errorf("database URL must be empty (SQLite) or start with postgres://")
	}
	if err != nil {
		return nil, err
	}
	closeAll := func() {
		db.Close()
		if wdb != db {
			wdb.Close()
		}
	}
	if err := db.PingContext(ctx); err != nil {
		closeAll()
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	missing := missingKeys(dataDir)
	seal, err := loadSealer(dataDir)
	if err == nil {
		err = keysBelong(ctx, db, dataDir, missing)
	}
	if err != nil {
		closeAll()
		return nil, err
	}
	s := &Store{db: db, wdb: wdb, d: d, stmts: newStmtCache(db), seal: seal,
		clock: time.Now}
	s.People = &People{s: s}
	s.Programs = &Programs{s: s}
	s.Deliveries = &Deliveries{s: s}
	s.Outcomes = &Outcomes{s: s}
	s.Indicators = &Indicators{s: s}
	s.Funding = &Funding{s: s}
	s.Cases = &Cases{s: s}
	s.Screenings = &Screenings{s: s}
	s.SafetyPlans = &SafetyPlans{s: s}
	s.Referrals = &Referrals{s: s}
	s.Services = &Services{s: s}
	s.Sessions = &Sessions{s: s}
	s.CaseRequests = &CaseRequests{s: s}
	s.Kinds = &Kinds{s: s}
	s.Calls = &Calls{s: s}
	s.Applications = &Applications{s: s}
	s.Awards = &Awards{s: s}
	s.Trainings = &Trainings{s: s}
	if d == sqliteDialect {
		s.turn = make(chan struct{}, 1)
	}
	return s, nil
}

// openSQLite opens the database at path twice: a pool for reads and one connection for
// writes. SQLite lets one writer in at a time; with many connections that may write,
// writers queue inside SQLite, polling for its lock with growing sleeps, and under load
// some wait out the busy timeout and fail. With one writer connection a write waits for
// it in Go instead (tx), as long as its request lets it, and never fails because others
// are writing (decision 0012 has the measurements). The read connections are
// query_only, so that a write anywhere but the writer fails at once in every test rather
// than contending under load.
func openSQLite(ctx context.Context, path string) (db, wdb *sql.DB, err error) {
	// The writer first: it creates the file and turns on WAL for the readers.
	if wdb, err = sql.Open("sqlite", sqliteDSN(path)); err != nil {
		return nil, nil, err
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	if err := wdb.PingContext(ctx); err != nil {
		wdb.Close()
		return nil, nil, fmt.Errorf("connect to database: %w", err)
	}
	if db, err = sql.Open("sqlite", sqliteReadDSN(path)); err != nil {
		wdb.Close()
		return nil, nil, err
	}
	// WAL lets readers run beside the writer. SQLite works on the caller's CPU, so
	// connections beyond about two per core only add contention: on 2 cores under 50
	// concurrent page loads, 4 connections gave a p99 of 13 ms, 8 gave 22 and 32 gave
	// 43, at the same throughput.
	n := max(4, 2*runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	return db, wdb, nil
}

// SetClock replaces the wall clock the store (and the web layer, through Now) reads, so
// that tests can set the hour: "today" is the user's day, and between 19:00 and 24:00 UTC
// it is already tomorrow in Almaty and Bishkek. Call it before serving.
func (s *Store) SetClock(now func() time.Time) { s.clock = now }

// Clock returns the clock the store reads, so that a loader that moves the clock for a
// while (the demo writes applications on the days they came in) can put it back.
func (s *Store) Clock() func() time.Time { return s.clock }

// Now is the store's clock in UTC, to the microsecond both databases keep.
func (s *Store) Now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// now is Now, for the store's own methods.
func (s *Store) now() time.Time { return s.Now() }

// sqliteDSN sets the pragmas the writer connection needs: WAL for concurrent readers,
// foreign keys (off by default in SQLite), a busy timeout for the rare writer in another
// process (a backup, an administrator's command), IMMEDIATE transactions so a writer
// takes its lock up front rather than failing half-way through, and secure_delete,
// which overwrites deleted and replaced content with zeros, so an anonymised person's
// name or a destroyed data key is not left in the file's free space.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_pragma=secure_delete(1)&_txlock=immediate"
}

// sqliteReadDSN is for the read pool: query_only refuses any write, which belongs on
// the writer connection. The busy timeout covers a checkpoint that truncates the log.
func sqliteReadDSN(path string) string {
	return "file:" + path + "?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=query_only(1)"
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmts.close()
	if s.wdb != s.db {
		s.wdb.Close()
	}
	return s.db.Close()
}

// DB exposes the pool for metrics.
func (s *Store) DB() *sql.DB { return s.db }

// Dialect names the database: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.d.name }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.db.PingContext(ctx) }

// Backup writes a consistent copy of a SQLite database to path while the server keeps
// serving: VACUUM INTO reads one snapshot under WAL and never blocks writers for long.
// The copy holds everyone's records, so only its owner may read it (0600): VACUUM INTO
// would create it with the process's umask, readable by all (0644), so the file is
// created empty first, which VACUUM INTO accepts and keeps. Creating it exclusively also
// refuses a file that exists, even one made a moment ago.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.d.name != "sqlite" {
		return errors.New("backup of PostgreSQL is done with pg_dump")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists already; choose a new file", path)
	}
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	// On a read connection, not the writer, so that saves go on meanwhile. VACUUM INTO
	// writes only the new (empty) file, but query_only refuses it: this connection is
	// allowed to, and then leaves the pool rather than go back to it able to write.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	defer conn.Raw(func(any) error { return driver.ErrBadConn })
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = 0`); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		os.Remove(path)
		return err
	}
	return os.Chmod(path, 0o600) // in case a SQLite build recreates the file
}

// q runs queries on the pool or inside a transaction, with the dialect's placeholders.
type q struct {
	x     queryer
	d     *dialect
	stmts *stmtCache // on the pool only; nil in a transaction
}

// queryer is what *sql.DB, *sql.Tx and *sql.Stmt have in common, less the query text.
type queryer interface {
	ExecContext(context.Context, string, ...any) (sql.Result, error)
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

func (c q) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := c.prepared(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.x.ExecContext(ctx, c.d.rebind(query), args...)
}

func (c q) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.prepared(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.x.QueryContext(ctx, c.d.rebind(query), args...)
}

func (c q) row(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.prepared(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.x.QueryRowContext(ctx, c.d.rebind(query), args...)
}

// prepared returns the cached statement for query on the pool, or nil to run it as text
// (in a transaction, or when preparing fails: running it as text then reports the error
// where it belongs).
func (c q) prepared(ctx context.Context, query string) *sql.Stmt {
	if c.stmts == nil {
		return nil
	}
	st, err := c.stmts.get(ctx, c.d, query)
	if err != nil {
		return nil
	}
	return st
}

// read returns a q on the pool, for reads outside a transaction. Code that runs inside
// one reads through the transaction's q instead: TestNoPoolReadsInTransactions fails
// otherwise.
func (s *Store) read() q { return q{x: s.db, d: s.d, stmts: s.stmts} }

// tx runs fn in a transaction and commits when fn returns nil. Every write goes
// through here, on the writer (openSQLite). On SQLite writers take turns in the order
// they came: database/sql hands a freed connection to a random waiter, which at 64
// writers made the p99 four times longer (decision 0012). A channel's waiting senders
// are served in order, and a request that gives up stops waiting.
func (s *Store) tx(ctx context.Context, fn func(q) error) error {
	if s.turn != nil {
		select {
		case s.turn <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-s.turn }()
	}
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(q{x: tx, d: s.d}); err != nil {
		return err
	}
	return tx.Commit()
}

// nullID stores 0 as NULL, for optional references.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// idOrZero reads a nullable reference.
func idOrZero(n sql.NullInt64) int64 { return n.Int64 }
