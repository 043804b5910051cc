package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestEveryPersonLinkIsListed fails when a table points at a person and modules.go does
// not say what merge and anonymisation do with it: a module's rows about her would stay
// with a merged-away record, or keep her name after she asked to be forgotten.
func TestEveryPersonLinkIsListed(t *testing.T) {
	ctx := context.Background()
	st := testenv.Open(t, testenv.Databases(t)[0]) // SQLite: the schemas are alike (TestDialectsHaveSameSchema)
	missing, err := store.UnlistedPersonLinks(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range missing {
		t.Errorf("%s points at a person and is missing from personLinks (store/modules.go)", m)
	}
	// The check finds a new module's tables, by foreign key or by name.
	for _, q := range []string{
		`CREATE TABLE module_visits (id INTEGER PRIMARY KEY, person_id BIGINT NOT NULL)`,
		`CREATE TABLE attendance (id INTEGER PRIMARY KEY, trainee BIGINT REFERENCES people (id))`,
	} {
		if _, err := store.Exec(ctx, st, q); err != nil {
			t.Fatal(err)
		}
	}
	missing, err = store.UnlistedPersonLinks(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"attendance.trainee", "module_visits.person_id"}; !slices.Equal(missing, want) {
		t.Errorf("a new module's tables: found %q missing, want %q", missing, want)
	}
}
