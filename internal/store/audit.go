package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// event is what a store method records about a change; audit() fills in who, when and
// where from the actor and chains the entry. Its action and entity are birge's typed
// constants, declared once in birge.AuditActions and birge.AuditEntities.
type event struct {
	action   birge.AuditAction
	entity   birge.AuditEntity
	entityID int64
	orgID    int64
	centerID int64
	changes  map[string]birge.Change
}

// audit appends an entry in the caller's transaction, so the change and its record are
// committed together or not at all. The values of an entry about a person are sealed with
// her data key (person_key.go).
func (s *Store) audit(ctx context.Context, c q, a *birge.Actor, ev event) error {
	return s.auditMany(ctx, c, a, []event{ev})
}

// auditMany appends entries in order, in the caller's transaction. Each goes to the chain
// of its organisation (0 for the installation's own entries). Bumping a chain's row in
// audit_chains first takes its row lock (the write lock on SQLite), so appends to one
// chain queue up and it never forks, while other organisations' appends go on beside
// them (decision 0013). Chains are locked in ascending order, so two calls touching the
// same two chains never wait on each other. The entries are then numbered, signed with
// the audit key and written in bulk.
func (s *Store) auditMany(ctx context.Context, c q, a *birge.Actor, evs []event) error {
	if len(evs) == 0 {
		return nil
	}
	byChain := map[int64][]int{}
	for i, ev := range evs {
		byChain[ev.orgID] = append(byChain[ev.orgID], i)
	}
	chains := slices.Sorted(maps.Keys(byChain))
	heads := make(map[int64]chainHead, len(chains))
	for _, ch := range chains {
		h, err := lockChain(ctx, c, ch, len(byChain[ch]))
		if err != nil {
			return err
		}
		heads[ch] = h
	}
	// Numbered after the chains are locked, so that within a chain seq follows chain_seq.
	seqs, err := s.reserveAuditSeqs(ctx, c, len(evs))
	if err != nil {
		return err
	}
	at := s.now()
	rows := make([][]any, len(evs))
	keys, err := s.personKeysOf(ctx, c, evs)
	if err != nil {
		return err
	}
	for _, ch := range chains {
		h := heads[ch]
		n := h.seq - int64(len(byChain[ch]))
		for _, i := range byChain[ch] {
			ev := evs[i]
			kind := ev.entity.Kind()
			if person := kind.PersonOf(ev.entityID, ev.changes); person != 0 {
				if ev.changes, err = s.sealChanges(ctx, c, kind, person, ev.changes, keys); err != nil {
					return err
				}
			}
			n++
			e := birge.AuditEntry{Seq: seqs[i], Chain: ch, ChainSeq: n, At: at, ActorID: a.UserID, Actor: a.Name,
				Action: ev.action, Entity: ev.entity, EntityID: ev.entityID, OrgID: ev.orgID,
				CenterID: ev.centerID, IP: a.IP, Changes: ev.changes, PrevHash: h.hash}
			changes, err := birge.ChangesText(e.Changes)
			if err != nil {
				return err
			}
			e.Hash = e.Sign(s.seal.audit.chain, changes)
			rows[i] = []any{e.Seq, e.Chain, e.ChainSeq, e.At, nullID(e.ActorID), e.Actor, e.Action, e.Entity,
				nullID(e.EntityID), nullID(e.OrgID), nullID(e.CenterID), e.IP, changes, e.PrevHash, e.Hash}
			h.hash = e.Hash
		}
		if _, err := c.exec(ctx, `UPDATE audit_chains SET hash = ? WHERE chain = ?`, h.hash, ch); err != nil {
			return err
		}
	}
	return insertRows(ctx, c, "audit_log", auditInsertColumns, rows)
}

var auditInsertColumns = strings.Fields(`seq chain chain_seq at actor_id actor action entity entity_id org_id center_id ip changes prev_hash hash`)

// chainHead is a chain's newest number and hash.
type chainHead struct {
	seq  int64
	hash string
}

// lockChain reserves n places at the end of a chain, holding its row until the caller's
// transaction ends, and returns the head after them with the hash before them. A chain's
// row is made by its first entry.
func lockChain(ctx context.Context, c q, chain int64, n int) (chainHead, error) {
	res, err := c.exec(ctx, `UPDATE audit_chains SET seq = seq + ? WHERE chain = ?`, n, chain)
	if err != nil {
		return chainHead{}, err
	}
	if k, err := res.RowsAffected(); err != nil || k == 0 {
		if _, err := c.exec(ctx, `INSERT INTO audit_chains (chain, seq, hash) VALUES (?, 0, '')
			ON CONFLICT (chain) DO NOTHING`, chain); err != nil {
			return chainHead{}, err
		}
		if _, err := c.exec(ctx, `UPDATE audit_chains SET seq = seq + ? WHERE chain = ?`, n, chain); err != nil {
			return chainHead{}, err
		}
	}
	var h chainHead
	err = c.row(ctx, `SELECT seq, hash FROM audit_chains WHERE chain = ?`, chain).Scan(&h.seq, &h.hash)
	return h, err
}

// reserveAuditSeqs takes n numbers for new entries, ascending. PostgreSQL's sequence
// lets organisations take them at once; SQLite's one writer takes those after the last.
func (s *Store) reserveAuditSeqs(ctx context.Context, c q, n int) ([]int64, error) {
	seqs := make([]int64, 0, n)
	if s.d.name == "postgres" {
		rows, err := c.query(ctx, `SELECT nextval('audit_seq') FROM generate_series(1, ?)`, n)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				return nil, err
			}
			seqs = append(seqs, v)
		}
		slices.Sort(seqs)
		return seqs, rows.Err()
	}
	var last int64
	if err := c.row(ctx, `SELECT COALESCE(MAX(seq), 0) FROM audit_log`).Scan(&last); err != nil {
		return nil, err
	}
	for i := range n {
		seqs = append(seqs, last+1+int64(i))
	}
	return seqs, nil
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	ActorID  int64
	Action   birge.AuditAction
	Entity   birge.AuditEntity
	EntityID int64
	From, To time.Time // To is exclusive
	Before   int64     // page: entries with seq < Before
	Limit    int
}

const auditColumns = `seq, chain, chain_seq, at, actor_id, actor, action, entity, entity_id, org_id, center_id, ip, changes, prev_hash, hash`

// ListAudit returns entries newest first. Installation administrators see everything;
// organisation administrators see their organisations' entries.
func (s *Store) ListAudit(ctx context.Context, a *birge.Actor, f AuditFilter) ([]birge.AuditEntry, error) {
	scope := a.ScopeOf(birge.PermAuditView)
	if scope.Empty() {
		return nil, birge.ErrForbidden
	}
	w := where{}
	if !scope.All {
		w.scope("org_id", "center_id", scope)
	}
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		w.add("action = ?", f.Action)
	}
	if f.Entity != "" {
		w.add("entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		w.add("entity_id = ?", f.EntityID)
	}
	if !f.From.IsZero() {
		w.add("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("at < ?", f.To)
	}
	if f.Before > 0 {
		w.add("seq < ?", f.Before)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	rows, err := s.read().query(ctx, `SELECT `+auditColumns+` FROM audit_log`+w.sql()+
		` ORDER BY seq DESC LIMIT `+fmt.Sprint(f.Limit), w.args...)
	if err != nil {
		return nil, err
	}
	entries, err := scanAudit(rows)
	if err != nil {
		return nil, err
	}
	return entries, s.openChanges(ctx, entries)
}

func scanAudit(rows *sql.Rows) ([]birge.AuditEntry, error) {
	out, stored, err := scanAuditRaw(rows)
	if err != nil {
		return nil, err
	}
	for i, changes := range stored {
		if changes != "" {
			if err := json.Unmarshal([]byte(changes), &out[i].Changes); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// scanAuditRaw reads entries with their changes as stored, which is what their hashes
// cover, unread: verifying must report a damaged entry, not stop at it.
func scanAuditRaw(rows *sql.Rows) ([]birge.AuditEntry, []string, error) {
	defer rows.Close()
	var out []birge.AuditEntry
	var stored []string
	for rows.Next() {
		var e birge.AuditEntry
		var chainSeq, actorID, entityID, orgID, centerID sql.NullInt64
		var changes string
		if err := rows.Scan(&e.Seq, &e.Chain, &chainSeq, &e.At, &actorID, &e.Actor, &e.Action, &e.Entity, &entityID,
			&orgID, &centerID, &e.IP, &changes, &e.PrevHash, &e.Hash); err != nil {
			return nil, nil, err
		}
		e.At = e.At.UTC()
		e.ChainSeq = idOrZero(chainSeq)
		e.ActorID, e.EntityID, e.OrgID, e.CenterID = idOrZero(actorID), idOrZero(entityID), idOrZero(orgID), idOrZero(centerID)
		out = append(out, e)
		stored = append(stored, changes)
	}
	return out, stored, rows.Err()
}
