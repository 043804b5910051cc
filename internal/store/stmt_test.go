package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// The statement cache answers like plain queries, on both databases, and stops growing at
// its cap: past it, queries still run, just unprepared.
func TestStatementCache(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		before := store.CachedStatements(st)
		for i := range store.MaxStmts + 20 {
			// Distinct text each time, like queries built from filters.
			if n, err := store.QueryInt(ctx, st, fmt.Sprintf(`SELECT %d + ?`, i), 1); err != nil || n != i+1 {
				t.Fatalf("query %d: %d, %v", i, n, err)
			}
		}
		if got := store.CachedStatements(st); got != store.MaxStmts || before >= store.MaxStmts {
			t.Errorf("%d statements cached, want the cap of %d", got, store.MaxStmts)
		}
		// A cached statement runs again with new arguments.
		if n, err := store.QueryInt(ctx, st, `SELECT 0 + ?`, 41); err != nil || n != 41 {
			t.Errorf("cached statement with a new argument: %d, %v", n, err)
		}
	})
}
