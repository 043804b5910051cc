package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// event is what a store method records about a change; audit() fills in who, when and
// where from the actor and chains the entry.
type event struct {
	action   string
	entity   string
	entityID int64
	orgID    int64
	centerID int64
	changes  map[string]birge.Change
}

// audit appends an entry in the caller's transaction, so the change and its record are
// committed together or not at all. The values of a person's entry are sealed with her
// data key (person_key.go).
func (s *Store) audit(ctx context.Context, c q, a *birge.Actor, ev event) error {
	return s.auditMany(ctx, c, a, []event{ev})
}

// auditMany appends entries in order, in the caller's transaction. Bumping audit_head
// first takes its row lock (write lock on SQLite), so concurrent appends queue up and the
// chain never forks; the entries are then chained here and written in bulk.
func (s *Store) auditMany(ctx context.Context, c q, a *birge.Actor, evs []event) error {
	if len(evs) == 0 {
		return nil
	}
	if _, err := c.exec(ctx, `UPDATE audit_head SET seq = seq + ? WHERE id = 1`, len(evs)); err != nil {
		return err
	}
	var last int64
	var prev string
	if err := c.row(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&last, &prev); err != nil {
		return err
	}
	at := s.now()
	rows := make([][]any, len(evs))
	for i, ev := range evs {
		if ev.entity == "person" {
			var err error
			if ev.changes, err = s.sealChanges(ctx, c, ev.entityID, ev.changes); err != nil {
				return err
			}
		}
		e := birge.AuditEntry{Seq: last - int64(len(evs)-1-i), At: at, ActorID: a.UserID, Actor: a.Name,
			Action: ev.action, Entity: ev.entity, EntityID: ev.entityID, OrgID: ev.orgID,
			CenterID: ev.centerID, IP: a.IP, Changes: ev.changes, PrevHash: prev}
		e.Hash = e.ComputeHash()
		changes := ""
		if len(e.Changes) > 0 {
			b, err := json.Marshal(e.Changes)
			if err != nil {
				return err
			}
			changes = string(b)
		}
		rows[i] = []any{e.Seq, e.At, nullID(e.ActorID), e.Actor, e.Action, e.Entity, nullID(e.EntityID),
			nullID(e.OrgID), nullID(e.CenterID), e.IP, changes, e.PrevHash, e.Hash}
		prev = e.Hash
	}
	if err := insertRows(ctx, c, "audit_log", auditInsertColumns, rows); err != nil {
		return err
	}
	_, err := c.exec(ctx, `UPDATE audit_head SET hash = ? WHERE id = 1`, prev)
	return err
}

var auditInsertColumns = strings.Fields(`seq at actor_id actor action entity entity_id org_id center_id ip changes prev_hash hash`)

// AuditFilter narrows the audit log.
type AuditFilter struct {
	ActorID  int64
	Action   string
	Entity   string
	EntityID int64
	From, To time.Time // To is exclusive
	Before   int64     // page: entries with seq < Before
	Limit    int
}

const auditColumns = `seq, at, actor_id, actor, action, entity, entity_id, org_id, center_id, ip, changes, prev_hash, hash`

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
	defer rows.Close()
	var out []birge.AuditEntry
	for rows.Next() {
		var e birge.AuditEntry
		var actorID, entityID, orgID, centerID sql.NullInt64
		var changes string
		if err := rows.Scan(&e.Seq, &e.At, &actorID, &e.Actor, &e.Action, &e.Entity, &entityID,
			&orgID, &centerID, &e.IP, &changes, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At = e.At.UTC()
		e.ActorID, e.EntityID, e.OrgID, e.CenterID = idOrZero(actorID), idOrZero(entityID), idOrZero(orgID), idOrZero(centerID)
		if changes != "" {
			if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole chain in order and returns the sequence number of the first
// entry whose hash, link or number is wrong (0 when the chain is intact) and how many
// entries it checked. It also checks the head, so deleting the newest entries is caught.
func (s *Store) VerifyAudit(ctx context.Context) (broken int64, checked int64, err error) {
	var headSeq int64
	var headHash string
	if err := s.read().row(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return 0, 0, err
	}
	prev := ""
	var last int64
	for {
		rows, err := s.read().query(ctx, `SELECT `+auditColumns+` FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000`, last)
		if err != nil {
			return 0, checked, err
		}
		page, err := scanAudit(rows)
		if err != nil {
			return 0, checked, err
		}
		for _, e := range page {
			if e.Seq != last+1 || e.PrevHash != prev || e.ComputeHash() != e.Hash {
				return last + 1, checked, nil
			}
			prev, last = e.Hash, e.Seq
			checked++
		}
		if len(page) < 1000 {
			break
		}
	}
	if last != headSeq || prev != headHash {
		return last + 1, checked, nil
	}
	return 0, checked, nil
}
