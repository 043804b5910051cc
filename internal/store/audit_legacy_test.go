package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// legacyEntries writes n entries as releases before migration 0015 did: one unkeyed
// SHA-256 chain by seq, with audit_head, and a person's entry without changes hashed
// as {} though stored as the empty string (the false alarm). It returns the entries.
func legacyEntries(t *testing.T, st *store.Store, n int) []birge.AuditEntry {
	t.Helper()
	prev := ""
	var out []birge.AuditEntry
	for i := 1; i <= n; i++ {
		e := birge.AuditEntry{Seq: int64(i), At: time.Date(2026, 5, 1, 10, 0, i, 0, time.UTC), Actor: "Әсел",
			Action: "update", Entity: "organization", EntityID: 1, OrgID: 1, PrevHash: prev,
			Changes: map[string]birge.Change{"name_en": {Before: "Old", After: "New"}}}
		if i%2 == 0 {
			e.Action, e.Entity, e.Changes = "reveal_id", "person", nil
		}
		stored, _ := birge.ChangesText(e.Changes)
		hash, alt := e.LegacyHash()
		if alt != "" {
			hash = alt // as the old code hashed an empty, non-nil map
		}
		e.Hash = hash
		mustExec(t, st, `INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, org_id, ip, changes, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)`, e.Seq, e.At, e.Actor, e.Action, e.Entity, e.EntityID, e.OrgID, stored, e.PrevHash, e.Hash)
		prev = e.Hash
		out = append(out, e)
	}
	mustExec(t, st, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`, n, prev)
	return out
}

// An installation upgraded with an unkeyed log: its old entries (false alarms included)
// verify, the keyed chains start after them, and the old entries can no longer be
// rewritten unseen: the installation chain's first entry, keyed, pins where they end.
func TestAuditLegacyLogMovesForward(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			ctx := context.Background()
			st, err := store.Open(ctx, db.URL, db.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			if err := store.MigrateTo(ctx, st, 14); err != nil {
				t.Fatal(err)
			}
			legacyEntries(t, st, 7)
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := st.CreateOrg(ctx, birge.System("t"), birge.Organization{Names: birge.Names{KK: "Жаңа", RU: "Новая",
				KY: "Жаңы", EN: "New"}, Country: "KZ"}); err != nil {
				t.Fatal(err)
			}
			r := check(t, st, nil)
			if len(r.Breaks) != 0 || r.Checked != 7+2 {
				t.Fatalf("upgraded log: %d checked, breaks %+v; want 9 and none", r.Checked, r.Breaks)
			}
			entries, err := st.ListAudit(ctx, birge.System("t"), store.AuditFilter{})
			if err != nil || len(entries) != 9 || entries[0].Seq != 9 || entries[1].Action != "chain_start" || entries[1].Seq != 8 {
				t.Fatalf("the log after the upgrade, newest first: %+v (%v)", entries, err)
			}

			// Rewriting the old entries and their unkeyed chain, as before, is now caught.
			store.DropAuditGuard(t, st)
			mustExec(t, st, `DELETE FROM audit_log WHERE seq = 7`)
			r = check(t, st, nil)
			if len(r.Breaks) != 1 || r.Breaks[0].Problem != store.BreakAnchor {
				t.Errorf("old entries cut back by one: %+v, want the anchor broken", r.Breaks)
			}
			mustExec(t, st, `UPDATE audit_log SET actor = 'someone else' WHERE seq = 3`)
			r = check(t, st, nil)
			if len(r.Breaks) != 2 || !r.Breaks[0].Legacy || r.Breaks[0].Seq != 3 || r.Breaks[0].Problem != store.BreakHash {
				t.Errorf("an old entry edited too: %+v", r.Breaks)
			}
		})
	}
}
