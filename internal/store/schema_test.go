package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestDialectsHaveSameSchema proves that the migrations give SQLite and PostgreSQL the
// same tables and columns, so code written against one runs on the other.
func TestDialectsHaveSameSchema(t *testing.T) {
	dbs := testenv.Databases(t)
	if len(dbs) < 2 {
		testenv.Missing(t, "postgres", "no PostgreSQL server to test on (BIRGE_TEST_POSTGRES)")
	}
	ctx := context.Background()
	var schemas []map[string][]string
	for _, db := range dbs {
		cols, err := store.Columns(ctx, testenv.Open(t, db))
		if err != nil {
			t.Fatal(err)
		}
		schemas = append(schemas, cols)
	}
	if len(schemas[0]) < 10 {
		t.Fatalf("only %d tables in SQLite: %v", len(schemas[0]), schemas[0])
	}
	if !reflect.DeepEqual(schemas[0], schemas[1]) {
		t.Errorf("schemas differ:\nsqlite:   %v\npostgres: %v", schemas[0], schemas[1])
	}
}
