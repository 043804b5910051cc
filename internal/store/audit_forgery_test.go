package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// loadedLog is a log with the demo's entries in several organisations' chains.
func loadedLog(t *testing.T, st *store.Store) {
	t.Helper()
	if _, err := demo.Load(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	store.DropAuditGuard(t, st) // the attacker can write the database
}

func mustExec(t *testing.T, st *store.Store, query string, args ...any) {
	t.Helper()
	if _, err := store.ExecArgs(context.Background(), st, query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// rechain is the attacker's script: it recomputes a chain's links and hashes from its
// first entry, and its head, the way the unkeyed log could be recomputed by anyone. Without
// the audit key the hashes cannot be right.
func rechain(t *testing.T, st *store.Store, chain int64) {
	t.Helper()
	ctx := context.Background()
	rows, err := st.DB().QueryContext(ctx, fmt.Sprintf(`SELECT chain_seq, actor, action, entity, changes FROM audit_log
		WHERE chain = %d AND chain_seq IS NOT NULL ORDER BY chain_seq`, chain))
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		n                              int64
		actor, action, entity, changes string
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.n, &r.actor, &r.action, &r.entity, &r.changes); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}
	rows.Close()
	prev := ""
	for _, r := range all {
		h := sha256.Sum256([]byte(prev + r.actor + r.action + r.entity + r.changes))
		hash := hex.EncodeToString(h[:])
		mustExec(t, st, `UPDATE audit_log SET prev_hash = ?, hash = ? WHERE chain = ? AND chain_seq = ?`, prev, hash, chain, r.n)
		prev = hash
	}
	mustExec(t, st, `UPDATE audit_chains SET seq = ?, hash = ? WHERE chain = ?`, len(all), prev, chain)
}

// orgChain returns the id of the demo's first organisation: a chain with entries.
func orgChain(t *testing.T, st *store.Store) int64 {
	n, err := store.QueryInt(context.Background(), st, `SELECT MIN(chain) FROM audit_log WHERE chain > 0`)
	if err != nil || n == 0 {
		t.Fatalf("no organisation chain: %v", err)
	}
	return int64(n)
}

func check(t *testing.T, st *store.Store, cp *store.Checkpoint) store.AuditReport {
	t.Helper()
	r, err := st.CheckAudit(context.Background(), cp)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func hasBreak(r store.AuditReport, chain, at int64, problem string) bool {
	for _, b := range r.Breaks {
		if b.Chain == chain && b.ChainSeq == at && b.Problem == problem && !b.Legacy {
			return true
		}
	}
	return false
}

// An entry edited and its chain recomputed, as the unkeyed log allowed: caught at the
// edited entry, because the attacker has the database but not the audit key.
func TestAuditForgedChainIsCaught(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		loadedLog(t, st)
		chain := orgChain(t, st)
		mustExec(t, st, `UPDATE audit_log SET actor = 'someone else' WHERE chain = ? AND chain_seq = 3`, chain)
		rechain(t, st, chain)
		r := check(t, st, nil)
		if !hasBreak(r, chain, 3, store.BreakHash) || !hasBreak(r, chain, 1, store.BreakHash) {
			t.Errorf("a recomputed chain: breaks %+v, want hash breaks in chain %d from entry 1", r.Breaks, chain)
		}
		if broken, _, _ := st.VerifyAudit(context.Background()); broken == 0 {
			t.Error("VerifyAudit calls a forged chain intact")
		}
	})
}

// Verification reports every break, in every chain: an edit in one organisation's chain
// and a deletion in another's are both named, with their chain and place.
func TestAuditReportsEveryBreak(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		loadedLog(t, st)
		a := orgChain(t, st)
		b64, err := store.QueryInt(context.Background(), st, `SELECT MIN(chain) FROM audit_log WHERE chain > ?`, a)
		if err != nil || b64 == 0 {
			t.Fatalf("no second chain: %v", err)
		}
		b := int64(b64)
		c64, err := store.QueryInt(context.Background(), st, `SELECT MIN(chain) FROM audit_log WHERE chain > ?`, b)
		if err != nil || c64 == 0 {
			t.Fatalf("no third chain: %v", err)
		}
		c := int64(c64)
		last, _ := store.QueryInt(context.Background(), st, `SELECT MAX(chain_seq) FROM audit_log WHERE chain = ?`, c)
		mustExec(t, st, `UPDATE audit_log SET ip = '10.6.6.6' WHERE chain = ? AND chain_seq = 2`, a)
		mustExec(t, st, `DELETE FROM audit_log WHERE chain = ? AND chain_seq = 2`, b)
		mustExec(t, st, `DELETE FROM audit_log WHERE chain = ? AND chain_seq = ?`, c, last) // its head left as it was
		r := check(t, st, nil)
		if !hasBreak(r, a, 2, store.BreakHash) || !hasBreak(r, b, 2, store.BreakMissing) ||
			!hasBreak(r, c, int64(last), store.BreakHead) || len(r.Breaks) != 3 {
			t.Errorf("breaks %+v; want the edit at %d/2, the deletion at %d/2 and the newest of %d gone, only", r.Breaks, a, b, c)
		}
	})
}

// A checkpoint taken earlier catches what the keyed chains alone cannot: a chain cut back
// together with its head, and a log emptied. A checkpoint cannot be forged or changed
// without the audit key.
func TestAuditCheckpoint(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		loadedLog(t, st)
		cp, r, err := st.MakeCheckpoint(ctx)
		if err != nil || cp.Breaks != 0 || len(r.Breaks) != 0 || len(cp.Chains) < 3 {
			t.Fatalf("checkpoint of an intact log: %+v %v", cp, err)
		}
		var file bytes.Buffer
		json.NewEncoder(&file).Encode(cp)
		read, err := st.ReadCheckpoint(bytes.NewReader(file.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		// The log grows after a checkpoint and still verifies against it.
		if _, err := st.CreateOrg(ctx, birge.System("t"), birge.Organization{Names: birge.Names{KK: "Жаңа", RU: "Новая",
			KY: "Жаңы", EN: "New"}, Country: "KZ"}); err != nil {
			t.Fatal(err)
		}
		if r := check(t, st, read); len(r.Breaks) != 0 {
			t.Fatalf("a grown log against its checkpoint: %+v", r.Breaks)
		}

		// Changed or foreign checkpoints are refused.
		forged := cp
		forged.Chains = append([]store.ChainHead{}, cp.Chains...)
		forged.Chains[0].Seq--
		var f bytes.Buffer
		json.NewEncoder(&f).Encode(forged)
		if _, err := st.ReadCheckpoint(&f); err == nil {
			t.Error("a checkpoint changed after signing was accepted")
		}
		other := testenv.Open(t, testenv.Databases(t)[0]) // another installation, another key
		if _, err := other.ReadCheckpoint(bytes.NewReader(file.Bytes())); err == nil {
			t.Error("another installation's checkpoint was accepted")
		}

		// Cut a chain back to its first entry, with its head: intact to the chains
		// alone, caught by the checkpoint.
		chain := orgChain(t, st)
		mustExec(t, st, `DELETE FROM audit_log WHERE chain = ? AND chain_seq > 1`, chain)
		var hash string
		if err := st.DB().QueryRowContext(ctx, fmt.Sprintf(`SELECT hash FROM audit_log WHERE chain = %d AND chain_seq = 1`, chain)).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		mustExec(t, st, `UPDATE audit_chains SET seq = 1, hash = ? WHERE chain = ?`, hash, chain)
		if r := check(t, st, read); !hasCheckpointBreak(r, chain) {
			t.Errorf("a truncated chain against the checkpoint: %+v", r.Breaks)
		}

		// Empty the log: caught by the missing first entry even without the checkpoint.
		mustExec(t, st, `DELETE FROM audit_log`)
		mustExec(t, st, `DELETE FROM audit_chains`)
		if r := check(t, st, nil); len(r.Breaks) == 0 {
			t.Error("an emptied log verifies intact")
		}
		if r := check(t, st, read); len(r.Breaks) < len(cp.Chains) {
			t.Errorf("an emptied log against the checkpoint: %+v", r.Breaks)
		}
		// Every start migrates; that must not begin the log afresh and hide the break.
		if _, err := st.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if r := check(t, st, nil); len(r.Breaks) == 0 {
			t.Error("an emptied log verifies intact after the next start")
		}
	})
}

func hasCheckpointBreak(r store.AuditReport, chain int64) bool {
	for _, b := range r.Breaks {
		if b.Chain == chain && b.Problem == store.BreakCheckpoint {
			return true
		}
	}
	return false
}
