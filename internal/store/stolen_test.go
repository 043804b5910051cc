package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// These tests read the database as someone who copied it would: directly, with
// database/sql (and, for SQLite, the file's bytes), without the store or the master key.

// stolenClock is the fixed time of these tests, so that two records written the same way
// are written alike to the byte.
var stolenClock = time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)

// openStolen opens and migrates a store whose clock stands at stolenClock from the
// first migration on: every time in the database is then a whole second, and no
// fraction of one can pass for an identity number's digits.
func openStolen(t *testing.T, db testenv.Database) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, db.URL, db.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	st.SetClock(func() time.Time { return stolenClock })
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

// twins are women registered the same way but for one thing: survivor holds dv_survivor
// and other does not. Same names, phones and birth dates of the same length, same plain
// category, the same views, edits and export.
type twins struct{ survivor, other birge.Person }

// womanBorn is a woman of the test, with a valid IIN for her birth date.
func womanBorn(t *testing.T, center int64, birth string, serial int, phone string, cats ...string) birge.Person {
	t.Helper()
	d, _ := time.Parse(time.DateOnly, birth)
	iin, ok := birge.MakeIIN(d, "female", serial)
	if !ok {
		t.Fatalf("no IIN for serial %d", serial)
	}
	return birge.Person{CenterID: center, FamilyName: "Сапарова", GivenName: "Айгерім", IIN: iin,
		Phones: []string{phone}, Settlement: "Ақтөбе", Categories: cats}
}

// registerTwins registers two pairs of twins through the store as users would: one pair
// where she is registered as a survivor, one where a later edit records it (the other
// twin's edit changes nothing). Both are opened, edited, revealed and exported alike.
func registerTwins(t *testing.T, fx *peopleFixture) []twins {
	t.Helper()
	ctx := context.Background()
	st := fx.st
	pairs := []twins{
		{fx.register(t, fx.admin, womanBorn(t, fx.aktobe.ID, "1985-03-15", 7391, "+77017391111", "dv_survivor", "unemployed")),
			fx.register(t, fx.admin, womanBorn(t, fx.aktobe.ID, "1986-04-16", 7392, "+77017392222", "unemployed"))},
		{fx.register(t, fx.admin, womanBorn(t, fx.aktobe.ID, "1987-05-17", 7393, "+77017393333", "unemployed")),
			fx.register(t, fx.admin, womanBorn(t, fx.aktobe.ID, "1988-06-18", 7394, "+77017394444", "unemployed"))},
	}
	for i, pair := range pairs {
		for _, p := range []birge.Person{pair.survivor, pair.other} {
			got, err := st.People.Get(ctx, fx.coord, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			got.Settlement = "Қарғалы"
			if i == 1 && p.ID == pair.survivor.ID {
				got.Categories = append(got.Categories, "dv_survivor")
			}
			if _, err := st.People.Update(ctx, fx.admin, got); err != nil {
				t.Fatal(err)
			}
			if _, err := st.People.RevealIdentity(ctx, fx.coord, p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := st.People.Export(ctx, fx.admin, store.PeopleFilter{Q: "Сапарова"}, "csv", func(birge.Person) error { return nil }); err != nil {
		t.Fatal(err)
	}
	checkTwins(t, fx, pairs)
	return pairs
}

// checkTwins checks that the store still tells the twins apart for those allowed, with
// their numbers masked; each is opened once.
func checkTwins(t *testing.T, fx *peopleFixture, pairs []twins) {
	t.Helper()
	for _, pair := range pairs {
		for _, p := range []birge.Person{pair.survivor, pair.other} {
			got, err := fx.st.People.Get(context.Background(), fx.admin, p.ID)
			want := p.ID == pair.survivor.ID
			if err != nil || slices.Contains(got.Categories, "dv_survivor") != want || got.IIN != p.IIN || !strings.Contains(got.IIN, "••••") {
				t.Errorf("the administrator sees %v %q, %v", got.Categories, got.IIN, err)
			}
		}
	}
}

func TestStolenDatabaseRevealsNeitherIdentityNorSurvivors(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			st := openStolen(t, db)
			fx := newPeopleFixture(t, st)
			before := countInFile(t, st, db, "dv_survivor")
			pairs := registerTwins(t, fx)
			checkStolen(t, st, fx, db, pairs)
			if n := countInFile(t, st, db, "dv_survivor"); n != before {
				t.Errorf(`"dv_survivor" is %d times in the file after registering survivors, %d before`, n, before)
			}
		})
	}
}

// An installation upgraded from before migration 0016 holds what the old code wrote:
// masked numbers, has_sensitive, sealed lists for survivors only and view_sensitive
// lines. The migration leaves nothing of it.
func TestMigrationSealsOldRecordsAlike(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st := openStolen(t, db)
			fx := newPeopleFixture(t, st)
			pairs := registerTwins(t, fx)
			// Back to the old schema and what the old code wrote.
			for _, q := range []string{
				`DELETE FROM schema_migrations WHERE version = 16`,
				`ALTER TABLE people ADD COLUMN id_masked TEXT NOT NULL DEFAULT ''`,
				`ALTER TABLE people ADD COLUMN has_sensitive BOOLEAN NOT NULL DEFAULT FALSE`,
				`UPDATE access_log SET action = 'view_sensitive' WHERE action = 'view'`,
			} {
				if _, err := store.Exec(ctx, st, q); err != nil {
					t.Fatal(err)
				}
			}
			for id, number := range identities(t, fx) {
				masked := birge.Identity{Number: number}.Masked()
				codes, err := store.OpenSensitive(ctx, st, id)
				if err != nil {
					t.Fatal(err)
				}
				sealed := ""
				if len(codes) > 0 {
					sealed = store.Seal(st, `["`+strings.Join(codes, `","`)+`"]`)
				}
				if _, err := store.Exec(ctx, st, fmt.Sprintf(`UPDATE people SET id_masked = '%s', has_sensitive = %t,
					sensitive_sealed = '%s' WHERE id = %d`, masked, len(codes) > 0, sealed, id)); err != nil {
					t.Fatal(err)
				}
			}
			// What the old code wrote leaks, in the file as in the columns: the check can fail.
			if db.URL == "" {
				file, leaks := fileBytes(t, st, db), 0
				for _, n := range identities(t, fx) {
					if leaksIdentity(file, n) {
						leaks++
					}
				}
				if leaks == 0 {
					t.Fatal("no old masked number is in the file: the test would prove nothing")
				}
			}
			if n, err := st.Migrate(ctx); err != nil || n != 1 {
				t.Fatalf("migrate: %d, %v", n, err)
			}
			checkStolen(t, st, fx, db, pairs)
			checkTwins(t, fx, pairs)
		})
	}
}

// identities returns every registered person's identity number, revealed in full.
func identities(t *testing.T, fx *peopleFixture) map[int64]string {
	t.Helper()
	ctx := context.Background()
	out := map[int64]string{}
	for _, p := range listAll(t, fx.st, fx.admin, store.PeopleFilter{Limit: store.MaxPageSize}) {
		number, err := fx.st.People.RevealIdentity(ctx, fx.admin, p.ID)
		if birge.KindOf(err) == birge.KindNotFound {
			continue // no number
		}
		if err != nil {
			t.Fatal(err)
		}
		out[p.ID] = number
	}
	if len(out) < 7 {
		t.Fatalf("only %d people with an identity number", len(out))
	}
	return out
}

// checkStolen reads the database without the store: (a) no identity number's digits
// beyond the birth date and sex are anywhere in it, and (b) each survivor's rows, in
// every table that refers to a person, are like her twin's in null-ness and length.
func checkStolen(t *testing.T, st *store.Store, fx *peopleFixture, db testenv.Database, pairs []twins) {
	t.Helper()
	ctx := context.Background()
	numbers := identities(t, fx)
	raw := openRaw(t, db)
	tables, err := store.Columns(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	for table, cols := range tables {
		rows := rawRows(t, raw, `SELECT `+strings.Join(cols, ", ")+` FROM `+table, nil)
		for _, row := range rows {
			for i, v := range row {
				text := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					text = string(b)
				}
				for _, n := range numbers {
					if leaksIdentity([]byte(text), n) {
						t.Errorf("%s.%s holds digits of %s: %.200q", table, cols[i], n, text)
					}
				}
			}
		}
	}
	if db.URL == "" {
		file := fileBytes(t, st, db)
		for _, n := range numbers {
			if leaksIdentity(file, n) {
				t.Errorf("the database file holds digits of %s beyond its birth date and sex", n)
			}
		}
	}
	for _, pair := range pairs {
		s, o := shape(t, raw, tables, pair.survivor.ID), shape(t, raw, tables, pair.other.ID)
		for i := range max(len(s), len(o)) {
			if i >= len(s) || i >= len(o) || s[i] != o[i] {
				t.Errorf("a survivor's rows differ from her twin's from line %d:\nsurvivor: %v\nother:    %v", i, s[i:min(i+5, len(s))], o[i:min(i+5, len(o))])
				break
			}
		}
	}
}

// leaksIdentity reports whether b holds a number's last five digits (four serial, one
// check: what its birth date and sex do not say) or its masked form's last four. Inside
// a long run of base64 or hex letters — sealed values, hashes — five given digits turn up
// by chance one time in a few thousand, so a run of twenty or more holding a letter does
// not count.
func leaksIdentity(b []byte, number string) bool {
	if bytes.Contains(b, []byte("•"+number[8:])) {
		return true
	}
	tail := []byte(number[7:])
	for i := 0; ; {
		j := bytes.Index(b[i:], tail)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(tail)
		for start > 0 && isCodeByte(b[start-1]) {
			start--
		}
		for end < len(b) && isCodeByte(b[end]) {
			end++
		}
		run := b[start:end]
		if end-start < 20 || !bytes.ContainsFunc(run, func(r rune) bool { return r > '9' }) {
			return true
		}
		i += j + 1
	}
}

func isCodeByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '+' || c == '/' || c == '='
}

// shape is what a copy of the database shows of a person without reading values: for
// each table that refers to her, each row's columns as null, or a type and a length.
func shape(t *testing.T, raw *sql.DB, tables map[string][]string, id int64) []string {
	t.Helper()
	var out []string
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range tables {
			if !yield(k) {
				return
			}
		}
	})
	for _, table := range names {
		cols := tables[table]
		var conds []string
		for _, c := range []string{"person_id", "other_id", "kept_id", "merged_id", "merged_into"} {
			if slices.Contains(cols, c) {
				conds = append(conds, c+" = $1")
			}
		}
		switch table {
		case "people":
			conds = append(conds, "id = $1")
		case "audit_log":
			conds = append(conds, "(entity = 'person' AND entity_id = $1)")
		}
		if len(conds) == 0 {
			continue
		}
		rows := rawRows(t, raw, `SELECT `+strings.Join(cols, ", ")+` FROM `+table+` WHERE `+
			strings.Join(conds, " OR ")+` ORDER BY 1`, []any{id})
		out = append(out, fmt.Sprintf("%s: %d rows", table, len(rows)))
		for _, row := range rows {
			for i, v := range row {
				out = append(out, table+"."+cols[i]+" "+valueShape(v))
			}
		}
	}
	return out
}

func valueShape(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("text %d", len(v))
	case []byte:
		return fmt.Sprintf("bytes %d", len(v))
	default:
		return fmt.Sprintf("%T", v)
	}
}

// openRaw opens the test's database with database/sql alone.
func openRaw(t *testing.T, db testenv.Database) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", db.URL
	if db.URL == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(db.DataDir, "birge.db")+"?mode=ro"
	}
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// rawRows reads every row of a query as values; $1 works in both databases.
func rawRows(t *testing.T, raw *sql.DB, query string, args []any) [][]any {
	t.Helper()
	rows, err := raw.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]any
	for rows.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// fileBytes is the SQLite database as a thief would copy it: the file and its
// write-ahead log, after a checkpoint.
func fileBytes(t *testing.T, st *store.Store, db testenv.Database) []byte {
	t.Helper()
	if _, err := store.Exec(context.Background(), st, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	var all []byte
	for _, name := range []string{"birge.db", "birge.db-wal"} {
		b, err := os.ReadFile(filepath.Join(db.DataDir, name))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	return all
}

// countInFile counts a text in the SQLite file; -1 on PostgreSQL.
func countInFile(t *testing.T, st *store.Store, db testenv.Database, text string) int {
	t.Helper()
	if db.URL != "" {
		return -1
	}
	return bytes.Count(fileBytes(t, st, db), []byte(text))
}

// A merge keeps the kept record as it was, sealed, for undo: its length does not tell
// whether she held a sensitive category either.
func TestMergeSnapshotAlike(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := womanBorn(t, fx.aktobe.ID, "1985-03-15", 7391, "+77017391111", "unemployed")
		p.OrgID = fx.aktobe.OrgID
		other, err := store.SnapshotLength(ctx, st, p)
		if err != nil {
			t.Fatal(err)
		}
		p.Categories = append(p.Categories, "dv_survivor")
		survivor, err := store.SnapshotLength(ctx, st, p)
		if err != nil || survivor != other {
			t.Errorf("sealed snapshots of %d and %d characters (%v)", survivor, other, err)
		}
	})
}
