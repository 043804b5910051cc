package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// A key file missing from the data folder of a database already written is not made
// anew: the start is refused, naming the file, and nothing is left behind. A new master
// key could not open what the old one sealed; a new audit key would sign the chains
// anew, and the log could never be verified again.
func TestMissingKeyIsNotReplaced(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st := testenv.Open(t, db)
			if _, err := demo.Load(ctx, st); err != nil {
				t.Fatal(err)
			}
			st.Close()
			for _, file := range []string{"keys/audit.key", "keys/birge.key"} {
				path := filepath.Join(db.DataDir, file)
				kept, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				os.Remove(path)
				if st, err := store.Open(ctx, db.URL, db.DataDir); err == nil || !strings.Contains(err.Error(), file) {
					if err == nil {
						st.Close()
					}
					t.Errorf("opened without %s: %v, want a refusal naming it", file, err)
				}
				if _, err := os.Stat(path); err == nil {
					t.Errorf("a new %s was left in the data folder", file)
				}
				// Another folder, as a command given the wrong --data, is refused alike.
				if st, err := store.Open(ctx, db.URL, t.TempDir()); db.URL != "" && err == nil {
					st.Close()
					t.Errorf("a data folder without keys opened the database")
				}
				if err := os.WriteFile(path, kept, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			st, err := store.Open(ctx, db.URL, db.DataDir)
			if err != nil {
				t.Fatalf("with its keys back: %v", err)
			}
			st.Close()
		})
	}
}
