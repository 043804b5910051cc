package store

import (
	"context"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// OutcomeFilter narrows a list of outcomes.
type OutcomeFilter struct {
	PersonID, ProgramID, CenterID int64
	Kind                          string
	From, To                      string // YYYY-MM-DD, inclusive
	After                         int64  // page: outcomes with id > After
	Limit                         int    // 0: all
	Newest                        bool   // newest first (by day, then as recorded), not paged
}

// List returns the outcomes the actor may see: of women she sees, in their centres now,
// of sensitive programmes only with person.sensitive there. One who sees no one anywhere
// (an analyst: figures, never names) is refused rather than shown nothing.
func (outcomes *Outcomes) List(ctx context.Context, a *birge.Actor, f OutcomeFilter) ([]birge.Outcome, error) {
	if a.ScopeOf(birge.PermPersonView).Empty() {
		return nil, birge.ErrForbidden
	}
	pr := birge.Problems{}
	for field, day := range map[string]string{"from": f.From, "to": f.To} {
		if _, err := time.Parse(time.DateOnly, day); day != "" && err != nil {
			pr.Add(field, "field.date")
		}
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	w := where{}
	w.scope("h.org_id", "h.center_id", a.ScopeOf(birge.PermPersonView))
	w.add("h.anonymized_at IS NULL")
	sens := where{}
	sens.scope("h.org_id", "h.center_id", a.ScopeOf(birge.PermPersonSensitive))
	cond := "1 = 1"
	if len(sens.conds) > 0 {
		cond = sens.conds[0]
	}
	w.add("(o.program_id IS NULL OR NOT EXISTS (SELECT 1 FROM programs g WHERE g.id = o.program_id AND g.sensitive = ?) OR "+
		cond+")", append([]any{true}, sens.args...)...)
	for col, v := range map[string]int64{"o.person_id": f.PersonID, "o.program_id": f.ProgramID, "o.center_id": f.CenterID} {
		if v != 0 {
			w.add(col+" = ?", v)
		}
	}
	if f.Kind != "" {
		w.add("o.kind = ?", f.Kind)
	}
	if f.From != "" {
		w.add("o.date >= ?", f.From)
	}
	if f.To != "" {
		w.add("o.date <= ?", f.To)
	}
	if f.After != 0 {
		w.add("o.id > ?", f.After)
	}
	order := " ORDER BY o.id"
	if f.Newest {
		order = " ORDER BY o.date DESC, o.id DESC"
	}
	if f.Limit > 0 {
		order += " LIMIT " + itoa(f.Limit)
	}
	return outcomes.query(ctx, outcomes.s.read(), `SELECT `+outcomeColumns+outcomesFrom+`
		JOIN people h ON h.id = o.person_id`+w.sql()+order, w.args...)
}

func (outcomes *Outcomes) query(ctx context.Context, c q, query string, args ...any) ([]birge.Outcome, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Outcome{}
	for rows.Next() {
		o, err := scanOutcome(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ofPerson is every outcome of hers, for her dossier: her own data, all of it.
func (outcomes *Outcomes) ofPerson(ctx context.Context, id int64) ([]birge.Outcome, error) {
	return outcomes.query(ctx, outcomes.s.read(), `SELECT `+outcomeColumns+outcomesFrom+`
		WHERE o.person_id = ? ORDER BY o.date, o.id`, id)
}

// outcomeTimeline is her timeline's source of outcomes: one event per outcome, at the
// moment it was recorded, by its id; those of a sensitive programme only for those who
// may see them.
func (s *Store) outcomeTimeline(ctx context.Context, a *birge.Actor, p personRow, before int64, limit int) ([]TimelineEvent, error) {
	if before == 0 {
		before = 1<<63 - 1
	}
	rows, err := s.read().query(ctx, `SELECT o.id, o.created_at, COALESCE(u.name, ''), COALESCE(g.sensitive, ?)
		FROM outcomes o LEFT JOIN users u ON u.id = o.recorded_by LEFT JOIN programs g ON g.id = o.program_id
		WHERE o.person_id = ? AND o.id < ? ORDER BY o.id DESC`, false, p.ID, before)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TimelineEvent
	for rows.Next() && len(out) < limit {
		var e TimelineEvent
		var id int64
		var sensitive bool
		if err := rows.Scan(&id, &e.At, &e.Actor, &sensitive); err != nil {
			return nil, err
		}
		if !seesSensitive(a, p, sensitive) {
			continue
		}
		e.At, e.Kind, e.source, e.pos = e.At.UTC(), "outcome", "outcome", id
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecorderNames names the staff who recorded outcomes, for her page.
func (outcomes *Outcomes) RecorderNames(ctx context.Context, list []birge.Outcome) (map[int64]string, error) {
	ids := make([]int64, len(list))
	for i, o := range list {
		ids[i] = o.RecordedBy
	}
	return outcomes.s.userNames(ctx, ids)
}
