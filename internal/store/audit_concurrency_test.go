package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// Writers in two organisations at once, and relations made across them in both
// directions: each chain stays one unbroken line, nothing deadlocks, and seq numbers every
// entry once.
func TestAuditConcurrentChains(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		sys := birge.System("t")
		centers := []birge.Center{fx.aktobe, fx.almaty}
		// SQLite gets two writers: with more than its pool has connections to spare, a
		// writer's transaction waits for a connection held by writers queued on the lock,
		// and one gives up with "database is locked" (so before this change too).
		writers := 8
		if st.Dialect() == "sqlite" {
			writers = 2
		}
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		// Verifying a log in use finds no break: entries appended during the walk lie
		// beyond the heads it read first.
		stop := make(chan struct{})
		verified := make(chan int)
		go func() {
			n := 0
			defer func() { verified <- n }()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r, err := st.CheckAudit(ctx, nil)
				if err != nil || len(r.Breaks) > 0 {
					errs <- fmt.Errorf("verifying during writes: %+v, %v", r.Breaks, err)
					return
				}
				n++
			}
		}()
		ids := make([][]int64, writers)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 10 {
					p := demo.GeneratePeople(3, w*100+i, 1, centers[w%2:w%2+1])[0]
					p, err := st.People.Create(ctx, sys, p)
					if err != nil {
						errs <- err
						return
					}
					ids[w] = append(ids[w], p.ID)
				}
			}()
		}
		wg.Wait()
		if len(errs) > 0 {
			t.Fatal(<-errs)
		}
		// Aktobe–Almaty links made from both ends at once.
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a, b := ids[w/2*2], ids[w/2*2+1]
				for i := w % 2; i < len(a); i += 2 {
					from, to := a[i], b[i]
					if w%2 == 1 {
						from, to = to, from
					}
					if _, err := st.People.AddRelation(ctx, sys, from, to, "spouse"); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(stop)
		if n := <-verified; n == 0 {
			t.Error("no verification ran during the writes")
		}
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		r := check(t, st, nil)
		if len(r.Breaks) != 0 {
			t.Fatalf("after concurrent writers: %+v", r.Breaks)
		}
		n, _ := store.QueryInt(ctx, st, `SELECT COUNT(DISTINCT seq) FROM audit_log`)
		if int64(n) != r.Checked {
			t.Errorf("%d distinct seq for %d entries", n, r.Checked)
		}
	})
}
