package store_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// BenchmarkPeopleAtScale measures the store calls behind the people list and an export
// on a registry made beforehand, e.g. with `birge demo --people 1000000 --data DIR`:
//
//	BIRGE_BENCH_DATA=DIR go test ./internal/store -run - -bench PeopleAtScale
//
// It never runs without BIRGE_BENCH_DATA (the data folder; with BIRGE_BENCH_DATABASE, a
// PostgreSQL registry whose key is in that folder). Opening the registry migrates it, and the
// time the migrations took is logged: the first run after an upgrade times them too.
func BenchmarkPeopleAtScale(b *testing.B) {
	dir := os.Getenv("BIRGE_BENCH_DATA")
	if dir == "" {
		b.Skip("BIRGE_BENCH_DATA names no registry")
	}
	ctx := context.Background()
	// BIRGE_BENCH_DATABASE, when set, is a PostgreSQL registry; dir then holds its key.
	st, err := store.Open(ctx, os.Getenv("BIRGE_BENCH_DATABASE"), dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	if n, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	} else if n > 0 {
		b.Logf("%d migrations applied in %s", n, time.Since(start).Round(time.Millisecond))
	}
	a := birge.System("bench")
	list := func(b *testing.B, f store.PeopleFilter) {
		for b.Loop() {
			if _, err := st.People.List(ctx, a, f); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("list/first page", func(b *testing.B) { list(b, store.PeopleFilter{Limit: 50}) })
	b.Run("list/one name", func(b *testing.B) { list(b, store.PeopleFilter{Q: "Меруерт", Limit: 50}) })
	b.Run("list/two names", func(b *testing.B) { list(b, store.PeopleFilter{Q: "Айжан Омар", Limit: 50}) })
	// Typed in Latin and cut inside zh: the word is looked up as both aiz and aij.
	b.Run("list/two names in Latin, one cut", func(b *testing.B) { list(b, store.PeopleFilter{Q: "Omar Aiz", Limit: 50}) })
	// An export reads pages of 200 and shows each number masked: made when read, now.
	b.Run("export/two names", func(b *testing.B) {
		rows := 0
		for b.Loop() {
			n, err := st.People.Export(ctx, a, store.PeopleFilter{Q: "Айжан Омар"}, "csv", func(birge.Person) error { return nil })
			if err != nil {
				b.Fatal(err)
			}
			rows = n
		}
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(rows*b.N), "µs/row")
	})
	if os.Getenv("BIRGE_BENCH_EXPORT_ALL") != "" {
		b.Run("export/everyone", func(b *testing.B) {
			for b.Loop() {
				n, err := st.People.Export(ctx, a, store.PeopleFilter{}, "csv", func(birge.Person) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(n), "rows")
			}
		})
	}
}

// BenchmarkSensitiveHeldAtScale measures the check before a category's sensitive flag
// may change: with nothing in the clear telling who holds one, it opens every record of
// the organisation. On the registry of BenchmarkPeopleAtScale.
func BenchmarkSensitiveHeldAtScale(b *testing.B) {
	dir := os.Getenv("BIRGE_BENCH_DATA")
	if dir == "" {
		b.Skip("BIRGE_BENCH_DATA names no registry")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, "", dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	orgs, err := st.ListOrgs(ctx, birge.System("bench"))
	if err != nil {
		b.Fatal(err)
	}
	n, err := st.People.Count(ctx, birge.System("bench"))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, o := range orgs {
			// A code nobody holds: every record is opened.
			if held, err := store.CategoryHeld(ctx, st, o.ID, "nobody_holds_this", true); err != nil || held {
				b.Fatal(held, err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*b.N), "ns/record")
}
