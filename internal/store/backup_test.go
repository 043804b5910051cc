package store_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// A backup holds everyone's records: only its owner may read it, whatever the umask,
// and it is a database that opens. A file that exists is never overwritten.
func TestBackupMode(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		dir := t.TempDir()
		path := filepath.Join(dir, "birge.db") // where Open looks for it
		if st.Dialect() != "sqlite" {
			if err := st.Backup(ctx, path); err == nil || !strings.Contains(err.Error(), "pg_dump") {
				t.Errorf("PostgreSQL backup: %v, want a pointer to pg_dump", err)
			}
			return
		}
		defer syscall.Umask(syscall.Umask(0o022)) // the usual umask: files readable by all
		if err := st.Backup(ctx, path); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 || fi.Size() == 0 {
			t.Errorf("backup file mode %v, size %d; want -rw------- and a database", fi.Mode().Perm(), fi.Size())
		}
		copyOf, err := sql.Open("sqlite", path) // its keys are backed up apart
		if err != nil {
			t.Fatal(err)
		}
		defer copyOf.Close()
		var tables int
		if err := copyOf.QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'`).Scan(&tables); err != nil || tables < 10 {
			t.Errorf("the backup holds %d tables: %v", tables, err)
		}
		if err := st.Backup(ctx, path); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Errorf("a second backup to the same file: %v", err)
		}
	})
}
