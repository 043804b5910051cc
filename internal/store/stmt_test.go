package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// The statement cache answers like plain queries, on both databases, and holds at most
// its cap: past it, the least recently used statement goes, and a query used all along
// stays prepared.
func TestStatementCache(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		for i := range store.MaxStmts + 20 {
			// Distinct text each time, like queries built from filters; one query runs
			// between them all along, as a page's would.
			if n, err := store.QueryInt(ctx, st, fmt.Sprintf(`SELECT %d + ?`, i), 1); err != nil || n != i+1 {
				t.Fatalf("query %d: %d, %v", i, n, err)
			}
			if n, err := store.QueryInt(ctx, st, `SELECT 0 + ?`, i); err != nil || n != i {
				t.Fatalf("the query used all along, round %d: %d, %v", i, n, err)
			}
		}
		if got := store.CachedStatements(st); got != store.MaxStmts {
			t.Errorf("%d statements cached, want the cap of %d", got, store.MaxStmts)
		}
		if !store.StatementCached(st, `SELECT 0 + ?`) {
			t.Error("the query used all along was dropped from the cache")
		}
		if store.StatementCached(st, `SELECT 1 + ?`) {
			t.Error("the least recently used statement is still cached")
		}
		// Many goroutines at once on new and cached queries: each answers right.
		var wg sync.WaitGroup
		for g := range 16 {
			wg.Go(func() {
				for i := range 100 {
					k := g*1000 + i
					if n, err := store.QueryInt(ctx, st, fmt.Sprintf(`SELECT %d + ?`, k%700), 1); err != nil || n != k%700+1 {
						t.Errorf("concurrent query %d: %d, %v", k, n, err)
						return
					}
				}
			})
		}
		wg.Wait()
		if got := store.CachedStatements(st); got > store.MaxStmts {
			t.Errorf("%d statements cached after concurrent use, more than the cap of %d", got, store.MaxStmts)
		}
	})
}
