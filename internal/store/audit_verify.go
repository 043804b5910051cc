package store

import (
	"context"
	"encoding/json"

	"github.com/birge-org/birge/internal/birge"
)

// What can be wrong at a place in a chain (AuditBreak.Problem).
const (
	BreakHash       = "hash"       // the entry does not match its hash: edited, or written by someone without the key
	BreakLink       = "link"       // the entry does not follow the one before it: replaced or reordered
	BreakMissing    = "missing"    // no entry at this place (Count places): deleted
	BreakHead       = "head"       // the chain ends elsewhere than its head says: its newest entries deleted, or its head changed
	BreakAnchor     = "anchor"     // the entries written before keyed chains do not end where the installation chain pinned them
	BreakCheckpoint = "checkpoint" // the chain no longer holds what a checkpoint recorded: rewritten, truncated or emptied
)

// AuditBreak is one place where the audit log is not what the store wrote.
type AuditBreak struct {
	Chain    int64  `json:"chain"`            // the organisation's id; 0 for the installation's chain
	Legacy   bool   `json:"legacy,omitempty"` // among the unkeyed entries written before migration 0015
	ChainSeq int64  `json:"chain_seq"`        // the place in the chain (for legacy entries, their seq)
	Seq      int64  `json:"seq,omitempty"`    // the entry's number in the log, when there is one
	Count    int64  `json:"count,omitempty"`  // for BreakMissing: how many places are empty
	Problem  string `json:"problem"`
}

// ChainHead is where a chain ends: its last place and that entry's hash.
type ChainHead struct {
	Chain int64  `json:"chain"`
	Seq   int64  `json:"seq"`
	Hash  string `json:"hash"`
}

// AuditReport is what verifying the log found: how many entries were checked, where
// each chain ends, and every break (the first maxBreaks of them; More counts the rest).
type AuditReport struct {
	Checked int64        `json:"checked"`
	Chains  []ChainHead  `json:"chains"`
	Breaks  []AuditBreak `json:"breaks"`
	More    int          `json:"more,omitempty"`
}

// maxBreaks bounds the report: a log rewritten from its first entry breaks everywhere,
// and the first thousand places say so.
const maxBreaks = 1000

func (r *AuditReport) add(b AuditBreak) {
	if len(r.Breaks) >= maxBreaks {
		r.More++
		return
	}
	r.Breaks = append(r.Breaks, b)
}

// VerifyAudit checks the whole log and returns the seq of the first entry found broken
// (-1 when the first break has no entry, such as a truncated chain; 0 when the log is
// intact) and how many entries it checked. CheckAudit says more.
func (s *Store) VerifyAudit(ctx context.Context) (broken int64, checked int64, err error) {
	r, err := s.CheckAudit(ctx, nil)
	if err != nil || len(r.Breaks) == 0 {
		return 0, r.Checked, err
	}
	if broken = r.Breaks[0].Seq; broken == 0 {
		broken = -1
	}
	return broken, r.Checked, nil
}

// CheckAudit walks every chain and reports every break it finds, not only the first, so
// that a false alarm or an old break cannot hide a later one. With a checkpoint (already
// checked by ReadCheckpoint) it also checks that each chain still holds the entry the
// checkpoint recorded, which catches a chain truncated, emptied or rewritten by someone
// who also changed its head. Memory stays bounded: entries are read a page at a time.
func (s *Store) CheckAudit(ctx context.Context, cp *Checkpoint) (AuditReport, error) {
	r := AuditReport{Chains: []ChainHead{}, Breaks: []AuditBreak{}}
	// The heads are read before the entries: a chain must reach its head and hold the
	// head's entry there. Entries appended while the walk goes on lie beyond the head read,
	// so verifying a log in use raises no false alarm.
	heads, err := s.chainHeads(ctx)
	if err != nil {
		return r, err
	}
	legacy, err := s.checkLegacy(ctx, &r)
	if err != nil {
		return r, err
	}
	pinned := map[int64]ChainHead{} // chain → the place a checkpoint recorded
	if cp != nil {
		for _, h := range cp.Chains {
			pinned[h.Chain] = h
		}
	}
	found := map[int64]string{}  // chain → the hash found at its pinned place
	atHead := map[int64]string{} // chain → the hash found at its head's place
	var headless []int64         // chains with entries but no head when the walk began
	anchored := false
	var cur ChainHead
	started := false
	finish := func() {
		if !started {
			return
		}
		r.Chains = append(r.Chains, cur)
		h, ok := heads[cur.Chain]
		switch {
		case !ok:
			headless = append(headless, cur.Chain)
		case cur.Seq < h.Seq:
			r.add(AuditBreak{Chain: cur.Chain, ChainSeq: cur.Seq + 1, Count: h.Seq - cur.Seq, Problem: BreakHead})
		case atHead[cur.Chain] != h.Hash:
			r.add(AuditBreak{Chain: cur.Chain, ChainSeq: h.Seq, Problem: BreakHead})
		}
		delete(heads, cur.Chain)
	}
	for {
		rows, err := s.read().query(ctx, `SELECT `+auditColumns+` FROM audit_log
			WHERE chain_seq IS NOT NULL AND (chain, chain_seq) > (?, ?) ORDER BY chain, chain_seq LIMIT 1000`,
			cur.Chain, cur.Seq)
		if err != nil {
			return r, err
		}
		page, stored, err := scanAuditRaw(rows)
		if err != nil {
			return r, err
		}
		for i, e := range page {
			if !started || e.Chain != cur.Chain {
				finish()
				cur, started = ChainHead{Chain: e.Chain}, true
			}
			switch {
			case e.ChainSeq != cur.Seq+1:
				r.add(AuditBreak{Chain: e.Chain, ChainSeq: cur.Seq + 1, Seq: e.Seq, Count: e.ChainSeq - cur.Seq - 1, Problem: BreakMissing})
			case e.PrevHash != cur.Hash:
				r.add(AuditBreak{Chain: e.Chain, ChainSeq: e.ChainSeq, Seq: e.Seq, Problem: BreakLink})
			}
			if e.Sign(s.seal.audit.chain, stored[i]) != e.Hash {
				r.add(AuditBreak{Chain: e.Chain, ChainSeq: e.ChainSeq, Seq: e.Seq, Problem: BreakHash})
			} else if e.Chain == 0 && e.ChainSeq == 1 && e.Action == birge.ActionChainStart && e.Entity == birge.EntityAudit {
				anchored = pinsLegacy(stored[i], legacy)
			}
			if p, ok := pinned[e.Chain]; ok && p.Seq == e.ChainSeq {
				found[e.Chain] = e.Hash
			}
			if h, ok := heads[e.Chain]; ok && h.Seq == e.ChainSeq {
				atHead[e.Chain] = e.Hash
			}
			cur.Seq, cur.Hash = e.ChainSeq, e.Hash
			r.Checked++
		}
		if len(page) < 1000 {
			break
		}
	}
	finish()
	for _, h := range heads { // heads whose chain has no entry at all
		if h.Seq != 0 {
			r.add(AuditBreak{Chain: h.Chain, ChainSeq: 1, Count: h.Seq, Problem: BreakMissing})
		}
	}
	if len(headless) > 0 { // a chain begun during the walk has its head now
		now, err := s.chainHeads(ctx)
		if err != nil {
			return r, err
		}
		for _, ch := range headless {
			if _, ok := now[ch]; !ok {
				r.add(AuditBreak{Chain: ch, ChainSeq: 1, Problem: BreakHead})
			}
		}
	}
	// Migrate writes the installation chain's first entry before anything else: without
	// it, the log was emptied or its beginning rewritten.
	if !anchored {
		r.add(AuditBreak{Chain: 0, Legacy: true, ChainSeq: legacy.Seq, Problem: BreakAnchor})
	}
	for _, p := range cp.chains() {
		if found[p.Chain] != p.Hash {
			r.add(AuditBreak{Chain: p.Chain, ChainSeq: p.Seq, Problem: BreakCheckpoint})
		}
	}
	return r, nil
}

// chainHeads reads every chain's head.
func (s *Store) chainHeads(ctx context.Context) (map[int64]ChainHead, error) {
	heads := map[int64]ChainHead{}
	rows, err := s.read().query(ctx, `SELECT chain, seq, hash FROM audit_chains`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h ChainHead
		if err := rows.Scan(&h.Chain, &h.Seq, &h.Hash); err != nil {
			return nil, err
		}
		heads[h.Chain] = h
	}
	return heads, rows.Err()
}

// startKeyedChains writes the installation chain's first entry, as migration 0015's last
// step and never again, so that a log emptied later stays a break rather than starting
// afresh. It records where the unkeyed entries written before 0015 end (their count and
// last hash), so that from now on the key protects them too: rewriting one changes the
// last hash, which a keyed entry holds. Whether they were intact before is what
// verifying them says; the key cannot vouch for what happened before it existed
// (decision 0013).
func (s *Store) startKeyedChains(ctx context.Context, c q) error {
	var h ChainHead
	if err := c.row(ctx, `SELECT seq, hash FROM audit_legacy_head WHERE id = 1`).Scan(&h.Seq, &h.Hash); err != nil {
		return err
	}
	return s.audit(ctx, c, birge.System("birge"), event{action: birge.ActionChainStart, entity: birge.EntityAudit,
		changes: map[string]birge.Change{"legacy_entries": {After: h.Seq}, "legacy_hash": {After: h.Hash}}})
}

// pinsLegacy reports whether the installation chain's first entry (its changes as
// stored) records exactly where the unkeyed entries end.
func pinsLegacy(stored string, legacy ChainHead) bool {
	var ch map[string]birge.Change
	if json.Unmarshal([]byte(stored), &ch) != nil {
		return false
	}
	n, _ := ch["legacy_entries"].After.(float64)
	h, _ := ch["legacy_hash"].After.(string)
	return int64(n) == legacy.Seq && h == legacy.Hash
}

// checkLegacy walks the unkeyed chain of the entries written before migration 0015, by
// seq, and returns where it ends.
func (s *Store) checkLegacy(ctx context.Context, r *AuditReport) (ChainHead, error) {
	var last ChainHead
	for {
		rows, err := s.read().query(ctx, `SELECT `+auditColumns+` FROM audit_log
			WHERE chain_seq IS NULL AND seq > ? ORDER BY seq LIMIT 1000`, last.Seq)
		if err != nil {
			return last, err
		}
		page, stored, err := scanAuditRaw(rows)
		if err != nil {
			return last, err
		}
		for i, e := range page {
			switch {
			case e.Seq != last.Seq+1:
				r.add(AuditBreak{Legacy: true, ChainSeq: last.Seq + 1, Seq: e.Seq, Count: e.Seq - last.Seq - 1, Problem: BreakMissing})
			case e.PrevHash != last.Hash:
				r.add(AuditBreak{Legacy: true, ChainSeq: e.Seq, Seq: e.Seq, Problem: BreakLink})
			}
			e.Changes = nil
			ok := stored[i] == "" || json.Unmarshal([]byte(stored[i]), &e.Changes) == nil
			if hash, alt := e.LegacyHash(); !ok || (hash != e.Hash && alt != e.Hash) {
				r.add(AuditBreak{Legacy: true, ChainSeq: e.Seq, Seq: e.Seq, Problem: BreakHash})
			}
			last = ChainHead{Seq: e.Seq, Hash: e.Hash}
			r.Checked++
		}
		if len(page) < 1000 {
			return last, nil
		}
	}
}
