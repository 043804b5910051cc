package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// Several submits racing with one setup link create exactly one administrator.
func TestSetupTokenIsSingleUse(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		token, err := st.NewSetupToken(ctx)
		if err != nil || token == "" {
			t.Fatalf("setup token %q: %v", token, err)
		}
		const racers = 6
		errs := make([]error, racers)
		var wg sync.WaitGroup
		for i := range racers {
			wg.Go(func() {
				nu := store.NewUser{User: birge.User{Email: fmt.Sprintf("admin%d@example.org", i), Name: "Admin", Lang: "en"},
					Password: "a long enough passphrase"}
				_, errs[i] = st.CompleteSetup(ctx, token, nu, "10.0.0.1")
			})
		}
		wg.Wait()
		created := 0
		for _, err := range errs {
			switch {
			case err == nil:
				created++
			case birge.KindOf(err) != birge.KindNotFound:
				t.Errorf("a losing submit failed with %v, want not found", err)
			}
		}
		if n, _ := st.CountUsers(ctx); created != 1 || n != 1 {
			t.Fatalf("%d submits succeeded and %d users exist, want 1 and 1", created, n)
		}
		if ok, _ := st.ValidSetupToken(ctx, token); ok {
			t.Error("the setup token still works after use")
		}
	})
}
