package testenv

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/store"
)

// Application is an application to a call as the tests of later steps (awards, figures)
// need it: the public form and the review that would bring it there are other modules'.
type Application struct {
	PersonID int64  // 0: linked to no one
	Status   string // submitted, eligible, shortlisted, awarded…; draft has no submitted_at
	Region   string
}

// InsertApplications writes applications to a call directly, a few hundred a statement,
// with references R-<call>-<n>, and returns their ids in order.
func InsertApplications(t testing.TB, st *store.Store, callID int64, apps []Application) []int64 {
	t.Helper()
	ctx := context.Background()
	now := st.Now()
	db := st.DB()
	if st.Dialect() != "postgres" {
		// The store's read pool is query-only on SQLite: write beside its writer, as
		// another process would.
		var path string
		if err := db.QueryRowContext(ctx, `SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
			t.Fatal(err)
		}
		w, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)")
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		db = w
	}
	var ids []int64
	for start := 0; start < len(apps); start += 200 {
		chunk := apps[start:min(start+200, len(apps))]
		var rows []string
		var args []any
		mark := func(v any) string {
			args = append(args, v)
			if st.Dialect() == "postgres" {
				return "$" + strconv.Itoa(len(args))
			}
			return "?"
		}
		for i, a := range chunk {
			var person, submitted any
			if a.PersonID != 0 {
				person = a.PersonID
			}
			if a.Status != "draft" {
				submitted = now.Add(-time.Hour)
			}
			ref := "R-" + strconv.FormatInt(callID, 10) + "-" + strconv.Itoa(start+i+1)
			rows = append(rows, "("+strings.Join([]string{mark(callID), mark(ref), mark("x"), mark(person), mark(a.Status),
				mark("ru"), mark(a.Region), mark(submitted), mark(now), mark(now)}, ", ")+")")
		}
		res, err := db.QueryContext(ctx, `INSERT INTO applications (call_id, reference, token_hash, person_id, status,
			language, region, submitted_at, created_at, updated_at) VALUES `+strings.Join(rows, ", ")+` RETURNING id`, args...)
		if err != nil {
			t.Fatal(err)
		}
		for res.Next() {
			var id int64
			if err := res.Scan(&id); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if err := res.Close(); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(ids) // ids grow in the order the rows were written
	return ids
}
