package store

import (
	"context"

	"github.com/birge-org/birge/internal/birge"
)

// OutcomeFilter narrows a list of outcomes.
type OutcomeFilter = RecordFilter

// List returns the outcomes the actor may see: of women she sees, in their centres now,
// of sensitive programmes only with person.sensitive there. One who sees no one anywhere
// (an analyst: figures, never names) is refused rather than shown nothing.
func (outcomes *Outcomes) List(ctx context.Context, a *birge.Actor, f OutcomeFilter) ([]birge.Outcome, error) {
	w, err := recordsWhere(a, "o", f)
	if err != nil {
		return nil, err
	}
	return outcomes.query(ctx, outcomes.s.read(), `SELECT `+outcomeColumns+outcomesFrom+`
		JOIN people h ON h.id = o.person_id`+w.sql()+f.order("o", "o.date DESC, o.id DESC"), w.args...)
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

// RecorderNames names the staff who recorded outcomes, for her page.
func (outcomes *Outcomes) RecorderNames(ctx context.Context, list []birge.Outcome) (map[int64]string, error) {
	ids := make([]int64, len(list))
	for i, o := range list {
		ids[i] = o.RecordedBy
	}
	return outcomes.s.userNames(ctx, ids)
}
