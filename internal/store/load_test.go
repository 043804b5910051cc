package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// loadResult is what a run of concurrent writers measured.
type loadResult struct {
	done, failed int
	elapsed      time.Duration
	latencies    []time.Duration
	firstErr     error
}

func (r loadResult) perSecond() float64 { return float64(r.done) / r.elapsed.Seconds() }

// p99 is the 99th percentile latency of the writes that succeeded.
func (r loadResult) p99() time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	s := slices.Clone(r.latencies)
	slices.Sort(s)
	return s[min(len(s)-1, len(s)*99/100)]
}

// runWriters runs n writes spread over the given number of goroutines, all started
// together, and times each. A write gets at most a minute: on the old code a pool
// starved by its own transactions never gave one back, and the run must end to say so.
func runWriters(writers, n int, write func(ctx context.Context, i int) error) loadResult {
	var next atomic.Int64
	var mu sync.Mutex
	var r loadResult
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			<-start
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				t0 := time.Now()
				err := write(ctx, i)
				d := time.Since(t0)
				cancel()
				mu.Lock()
				if err != nil {
					r.failed++
					if r.firstErr == nil {
						r.firstErr = err
					}
				} else {
					r.done++
					r.latencies = append(r.latencies, d)
				}
				mu.Unlock()
			}
		})
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	r.elapsed = time.Since(t0)
	return r
}

// loadPerson is the i-th person of a load run: a name and a phone of her own, so that
// no two are likely duplicates of each other.
func loadPerson(center int64, run, i int) birge.Person {
	return birge.Person{CenterID: center, FamilyName: fmt.Sprintf("Load%d", run), GivenName: fmt.Sprintf("Writer%d", i),
		Phones: []string{fmt.Sprintf("8 701 %03d %04d", run%1000, i%10000)}}
}

// BenchmarkCreatePeopleConcurrent registers b.N people from 1, 4, 16 and 64 writers at
// once and reports creates a second, the p99 latency and the writes that failed (which
// must be none). Run it with, for example,
//
//	go test ./internal/store/ -run '^$' -bench CreatePeopleConcurrent -benchtime 400x -count 5
//
// with BIRGE_TEST_POSTGRES set for the PostgreSQL lines.
func BenchmarkCreatePeopleConcurrent(b *testing.B) {
	for _, db := range testenv.Databases(b) {
		st := testenv.Open(b, db)
		fx := newPeopleFixture(b, st)
		run := 0
		for _, writers := range []int{1, 4, 16, 64} {
			b.Run(fmt.Sprintf("%s/writers=%d", db.Name, writers), func(b *testing.B) {
				run++
				r := runWriters(writers, b.N, func(ctx context.Context, i int) error {
					_, err := st.People.Create(ctx, fx.coord, loadPerson(fx.aktobe.ID, run, i))
					return err
				})
				b.ReportMetric(r.perSecond(), "creates/s")
				b.ReportMetric(float64(r.p99().Microseconds())/1000, "p99-ms")
				b.ReportMetric(float64(r.failed), "errors")
				b.ReportMetric(0, "ns/op")
				if r.firstErr != nil {
					b.Logf("%d of %d failed; the first: %v", r.failed, b.N, r.firstErr)
				}
			})
		}
	}
}

// TestConcurrentWrites is the benchmark's promise at a small size, in the normal test
// run: many writers at once, creating and editing, and not one write fails because the
// others wait. On SQLite the old pool deadlocked on itself until the 10 s busy timeout
// failed some writers.
func TestConcurrentWrites(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		fx := newPeopleFixture(t, st)
		created := make([]birge.Person, 32)
		r := runWriters(16, len(created), func(ctx context.Context, i int) error {
			p, err := st.People.Create(ctx, fx.coord, loadPerson(fx.aktobe.ID, 1, i))
			created[i] = p
			return err
		})
		if r.failed > 0 {
			t.Fatalf("%d of %d creates by 16 writers failed; the first: %v", r.failed, len(created), r.firstErr)
		}
		r = runWriters(32, len(created), func(ctx context.Context, i int) error {
			p := created[i]
			p.Settlement = "Қарғалы"
			_, err := st.People.Update(ctx, fx.coord, p)
			return err
		})
		if r.failed > 0 {
			t.Fatalf("%d of %d edits by 32 writers failed; the first: %v", r.failed, len(created), r.firstErr)
		}
	})
}

// A backup reads on the read pool, whose connections may not write: VACUUM INTO, which
// writes only the new file, must still work there, the copy must open, and no read
// connection may write afterwards.
func TestBackupFromReadPool(t *testing.T) {
	db := testenv.Databases(t)[0]
	st := testenv.Open(t, db)
	fx := newPeopleFixture(t, st)
	fx.register(t, fx.coord, loadPerson(fx.aktobe.ID, 1, 1))
	dir := t.TempDir()
	if err := st.Backup(context.Background(), dir+"/birge.db"); err != nil {
		t.Fatalf("backup: %v", err)
	}
	if w, err := store.PoolWritable(context.Background(), st); err != nil || w {
		t.Fatalf("after the backup a read connection may write (%v)", err)
	}
	// Restored as docs/operations.md says: the database and the keys kept apart from it.
	if err := os.CopyFS(filepath.Join(dir, "keys"), os.DirFS(filepath.Join(db.DataDir, "keys"))); err != nil {
		t.Fatal(err)
	}
	copied, err := store.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	defer copied.Close()
	if n, err := store.QueryInt(context.Background(), copied, `SELECT COUNT(*) FROM people WHERE family_name = 'Load1'`); err != nil || n != 1 {
		t.Fatalf("the copy holds %d of her (%v)", n, err)
	}
}
