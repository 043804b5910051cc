package store_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// The budgets of issue 10 for deliveries, on each database (docs/operations.md, "Sizes
// and speed"). Benchmarks run only with -bench:
//
//	go test ./internal/store -run - -bench 'Delivery(RecordMany|Generate)' -benchtime 3x

// BenchmarkDeliveryRecordMany records 10,000 deliveries at once, as a bulk POST does,
// half in a programme: to a hundred women of one centre, a hundred each, and to ten
// thousand women, one each (whose keys are each read or made). Budget: 2 s.
func BenchmarkDeliveryRecordMany(b *testing.B) {
	for _, db := range testenv.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			st := testenv.Open(b, db)
			fx := newPeopleFixture(b, st)
			ctx := context.Background()
			if _, err := st.People.Import(ctx, fx.admin, importRows(fx, 0, 10_000), store.ImportOptions{CenterID: fx.aktobe.ID}); err != nil {
				b.Fatal(err)
			}
			var women []int64
			for f := (store.PeopleFilter{Limit: store.MaxPageSize}); len(women) < 10_000; {
				page, err := st.People.List(ctx, fx.coord, f)
				if err != nil || len(page.Items) == 0 {
					b.Fatalf("%d women, %v", len(women), err)
				}
				for _, p := range page.Items {
					women = append(women, p.ID)
				}
				f.Cursor = page.Next
			}
			program := programNamed(b, st, "Family mediation")
			for _, n := range []int{100, 10_000} {
				items := make([]birge.Delivery, 10_000)
				for i := range items {
					items[i] = session(women[i%n], "2026-05-02")
					if i%2 == 0 {
						items[i].ProgramID = &program
					}
				}
				b.Run(strconv.Itoa(n)+" women", func(b *testing.B) {
					for b.Loop() {
						if _, err := st.Deliveries.RecordMany(ctx, fx.coord, items); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/10k")
				})
			}
		})
	}
}

// BenchmarkDeliveryGenerate generates 100,000 deliveries for 5,000 people, as `birge
// demo --deliveries` does, and extrapolates to five million. Budget: 300 s for those.
func BenchmarkDeliveryGenerate(b *testing.B) {
	for _, db := range testenv.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			st := testenv.Open(b, db)
			ctx := context.Background()
			if _, err := demo.Load(ctx, st); err != nil {
				b.Fatal(err)
			}
			if err := demo.LoadGenerated(ctx, st, 5000, func(int) {}); err != nil {
				b.Fatal(err)
			}
			const n = 100_000
			for b.Loop() {
				if _, err := demo.LoadDeliveries(ctx, st, n, func(int) {}); err != nil {
					b.Fatal(err)
				}
			}
			per := b.Elapsed().Seconds() / float64(b.N*n)
			b.ReportMetric(per*1e6, "µs/delivery")
			b.ReportMetric(per*5_000_000, "s/5M")
		})
	}
}

func programNamed(t testing.TB, st *store.Store, en string) int64 {
	t.Helper()
	list, err := st.Programs.List(context.Background(), birge.System("t"), store.ProgramFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range list {
		if p.Names.EN == en {
			return p.ID
		}
	}
	t.Fatalf("no programme %q", en)
	return 0
}

// BenchmarkDeliveriesAtScale measures the store calls behind a woman's page — her last
// 100 services and her timeline — for the woman with nearest 500 deliveries, on a dataset
// made beforehand (`birge demo --people 1000000 --deliveries 5000000 --data DIR`):
//
//	BIRGE_BENCH_DATA=DIR go test ./internal/store -run - -bench DeliveriesAtScale
//
// with BIRGE_BENCH_DATABASE for a PostgreSQL one, as BenchmarkPeopleAtScale. The whole
// page over HTTP is timed by the script docs/operations.md names.
func BenchmarkDeliveriesAtScale(b *testing.B) {
	dir := os.Getenv("BIRGE_BENCH_DATA")
	if dir == "" {
		b.Skip("BIRGE_BENCH_DATA names no dataset")
	}
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv("BIRGE_BENCH_DATABASE"), dir)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	her, err := store.QueryInt(ctx, st, `SELECT person_id FROM deliveries GROUP BY person_id
		ORDER BY ABS(COUNT(*) - 500), person_id LIMIT 1`)
	if err != nil {
		b.Fatal(err)
	}
	a := birge.System("bench")
	b.Run("her services", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.Deliveries.List(ctx, a, store.DeliveryFilter{PersonID: int64(her), Newest: true, Limit: 100}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("her timeline", func(b *testing.B) {
		for b.Loop() {
			if _, err := st.People.Timeline(ctx, a, int64(her), "", 20); err != nil {
				b.Fatal(err)
			}
		}
	})
}
