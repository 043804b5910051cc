package store_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestAuditLoadAcrossOrganisations measures what one organisation's big import costs
// another's writes: organisation B's single-person creates per second while organisation
// A imports BIRGE_AUDIT_LOAD rows (100000 for decision 0013) in one transaction, on
// PostgreSQL. It is not part of the normal run: it takes minutes and its figure depends
// on the machine.
//
//	BIRGE_AUDIT_LOAD=100000 BIRGE_TEST_POSTGRES=postgres://… go test ./internal/store/ -run TestAuditLoad -count=1 -v -timeout 30m
func TestAuditLoadAcrossOrganisations(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("BIRGE_AUDIT_LOAD"))
	if n <= 0 || testenv.PostgresURL() == "" {
		t.Skip("set BIRGE_AUDIT_LOAD=rows and BIRGE_TEST_POSTGRES to measure")
	}
	db := testenv.Databases(t)[1]
	st := testenv.Open(t, db)
	ctx := context.Background()
	fx := newPeopleFixture(t, st)
	sys := birge.System("load")
	rows := importRows(fx, 0, n)

	// B's writers: four at once, as a centre's staff would be, each creating one person
	// per transaction in Almaty (Mama Pro), a different organisation from Aktobe's.
	// BIRGE_AUDIT_LOAD_WRITERS=0 times the import alone.
	writers := 4
	if w, err := strconv.Atoi(os.Getenv("BIRGE_AUDIT_LOAD_WRITERS")); err == nil {
		writers = w
	}
	var created atomic.Int64
	var failures atomic.Int64
	var mu sync.Mutex
	var done []time.Time // when each of B's creates returned, and how long it took
	var took []time.Duration
	stop := make(chan struct{})
	var wg sync.WaitGroup
	next := atomic.Int64{}
	next.Store(10_000_000)
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := int(next.Add(1))
				p := demo.GeneratePeople(2, i, 1, []birge.Center{fx.almaty})[0]
				t0 := time.Now()
				if _, err := st.People.Create(ctx, sys, p); err != nil {
					failures.Add(1)
					continue
				}
				created.Add(1)
				mu.Lock()
				done, took = append(done, time.Now()), append(took, time.Since(t0))
				mu.Unlock()
			}
		}()
	}
	// A few seconds alone first, for B's rate without the import.
	if writers > 0 {
		time.Sleep(5 * time.Second)
	}
	alone := created.Load()
	aloneRate := float64(alone) / 5

	start := time.Now()
	before := created.Load()
	mu.Lock()
	first := len(done)
	mu.Unlock()
	rep, err := st.People.Import(ctx, sys, rows, store.ImportOptions{CenterID: fx.aktobe.ID})
	end := time.Now()
	importTook := end.Sub(start)
	during := created.Load() - before
	close(stop)
	wg.Wait()
	if err != nil || rep.Created != n {
		t.Fatalf("import: %v, created %d", err, rep.Created)
	}
	// The longest B waited for one create, and the longest stretch with none finishing:
	// the time B's writers stood queued behind A's transaction.
	var slowest, stall time.Duration
	prev := start
	for i := first; i < len(done); i++ {
		slowest = max(slowest, took[i])
		stall = max(stall, done[i].Sub(prev))
		prev = done[i]
		if done[i].After(end) {
			break // the first to finish after A committed ends the last stretch
		}
	}
	t.Logf("B alone: %.1f creates/s; A's import of %d rows took %s; B during it: %d creates, %.1f/s; "+
		"slowest create %s; longest stretch with none %s; %d failed",
		aloneRate, n, importTook.Round(time.Millisecond), during, float64(during)/importTook.Seconds(),
		slowest.Round(time.Millisecond), stall.Round(time.Millisecond), failures.Load())
}
