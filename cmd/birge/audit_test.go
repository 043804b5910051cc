package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// The administrator's audit commands: a dossier export and a revealed identity number
// no longer read as a broken log; an edit is named by its chain and place; a signed
// checkpoint catches a chain cut back with its head, and a changed checkpoint is refused.
func TestAuditCommands(t *testing.T) {
	birge.FastPasswordsForTests()
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st := testenv.Open(t, db)
			if _, err := demo.Load(ctx, st); err != nil {
				t.Fatal(err)
			}
			sys := birge.System("t")
			people, err := st.People.List(ctx, sys, store.PeopleFilter{})
			if err != nil || len(people.Items) == 0 {
				t.Fatalf("demo people: %v", err)
			}
			id := people.Items[0].ID
			if _, err := st.People.Dossier(ctx, sys, id); err != nil {
				t.Fatal(err)
			}
			if _, err := st.People.RevealIdentity(ctx, sys, id); err != nil {
				t.Fatal(err)
			}
			out, err := birgeCmd(t, db, "audit", "verify")
			if err != nil || !strings.Contains(out, "audit log intact") {
				t.Fatalf("verify after a dossier export and a reveal: %v\n%s", err, out)
			}

			cpFile := filepath.Join(t.TempDir(), "checkpoint.json")
			if out, err := birgeCmd(t, db, "audit", "checkpoint", "--to", cpFile); err != nil {
				t.Fatalf("checkpoint: %v\n%s", err, out)
			}
			if out, err := birgeCmd(t, db, "audit", "checkpoint", "--to", cpFile); err == nil {
				t.Errorf("a checkpoint replaced an older one:\n%s", out)
			}
			if out, err := birgeCmd(t, db, "audit", "verify", "--checkpoint", cpFile); err != nil || !strings.Contains(out, "against the checkpoint") {
				t.Fatalf("verify against a fresh checkpoint: %v\n%s", err, out)
			}

			// Someone with the database edits an entry of the organisation's chain and
			// cuts the chain back to its third entry, head included.
			p, err := st.People.Get(ctx, sys, id)
			if err != nil {
				t.Fatal(err)
			}
			org := p.OrgID
			// The attacker opens the database file (or server) directly, not through Birge.
			driver, dsn := "pgx", db.URL
			if st.Dialect() == "sqlite" {
				driver, dsn = "sqlite", filepath.Join(db.DataDir, "birge.db")
			}
			raw, err := sql.Open(driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			exec := func(q string, args ...any) {
				if _, err := raw.ExecContext(ctx, fmt.Sprintf(q, args...)); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if st.Dialect() == "postgres" {
				exec(`DROP TRIGGER audit_log_no_change ON audit_log`)
			} else {
				exec(`DROP TRIGGER audit_log_no_update`)
				exec(`DROP TRIGGER audit_log_no_delete`)
			}
			exec(`UPDATE audit_log SET actor = 'someone else' WHERE chain = %d AND chain_seq = 2`, org)
			out, err = birgeCmd(t, db, "audit", "verify")
			want := "organisation " + strconv.FormatInt(org, 10) + "'s chain, entry 2 (log entry "
			if err == nil || !strings.Contains(out, want) || !strings.Contains(out, "edited") {
				t.Errorf("verify after an edit: %v\n%s\nwant a line with %q", err, out, want)
			}
			exec(`DELETE FROM audit_log WHERE chain = %d AND chain_seq > 3`, org)
			exec(`UPDATE audit_chains SET seq = 3, hash = (SELECT hash FROM audit_log WHERE chain = %d AND chain_seq = 3) WHERE chain = %d`, org, org)
			out, err = birgeCmd(t, db, "audit", "verify", "--checkpoint", cpFile)
			if err == nil || !strings.Contains(out, "organisation "+strconv.FormatInt(org, 10)+"'s chain") || !strings.Contains(out, "checkpoint recorded") {
				t.Errorf("verify a cut chain against the checkpoint: %v\n%s", err, out)
			}

			// A checkpoint edited to match the cut chain is refused.
			b, _ := os.ReadFile(cpFile)
			forged := filepath.Join(t.TempDir(), "forged.json")
			os.WriteFile(forged, bytes.Replace(b, []byte(`"breaks": 0`), []byte(`"breaks": 1`), 1), 0o600)
			if out, err := birgeCmd(t, db, "audit", "verify", "--checkpoint", forged); err == nil || !strings.Contains(err.Error(), "signature") {
				t.Errorf("a changed checkpoint: %v\n%s", err, out)
			}
		})
	}
}
