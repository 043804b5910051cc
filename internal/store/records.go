package store

import (
	"context"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// RecordFilter narrows a list of the records every module writes about a woman:
// deliveries and outcomes.
type RecordFilter struct {
	PersonID, ProgramID, CenterID int64
	Kind                          string
	From, To                      string // YYYY-MM-DD, inclusive
	After                         int64  // page: records with id > After
	Limit                         int    // 0: all
	Newest                        bool   // newest first (by day, then as recorded), not paged
}

// recordsWhere is the one rule of who sees a woman's deliveries and outcomes (alias x,
// joined to her row as h): person.view in her centre, never once she is anonymised, and
// for a record of a sensitive programme person.sensitive there too. One who sees no one
// anywhere (an analyst: figures, never names) is refused rather than shown nothing.
func recordsWhere(a *birge.Actor, x string, f RecordFilter) (where, error) {
	if a.ScopeOf(birge.PermPersonView).Empty() {
		return where{}, birge.ErrForbidden
	}
	pr := birge.Problems{}
	for field, day := range map[string]string{"from": f.From, "to": f.To} {
		if _, err := time.Parse(time.DateOnly, day); day != "" && err != nil {
			pr.Add(field, "field.date")
		}
	}
	if err := pr.Err(); err != nil {
		return where{}, err
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
	w.add("("+x+".program_id IS NULL OR NOT EXISTS (SELECT 1 FROM programs g WHERE g.id = "+x+".program_id AND g.sensitive = ?) OR "+
		cond+")", append([]any{true}, sens.args...)...)
	for col, v := range map[string]int64{"person_id": f.PersonID, "program_id": f.ProgramID, "center_id": f.CenterID} {
		if v != 0 {
			w.add(x+"."+col+" = ?", v)
		}
	}
	if f.Kind != "" {
		w.add(x+".kind = ?", f.Kind)
	}
	if f.From != "" {
		w.add(x+".date >= ?", f.From)
	}
	if f.To != "" {
		w.add(x+".date <= ?", f.To)
	}
	if f.After != 0 {
		w.add(x+".id > ?", f.After)
	}
	return w, nil
}

// order is the ORDER BY (and LIMIT) of a list: by id for pages, newest first otherwise.
func (f RecordFilter) order(x, newest string) string {
	order := " ORDER BY " + x + ".id"
	if f.Newest {
		order = " ORDER BY " + newest
	}
	if f.Limit > 0 {
		order += " LIMIT " + itoa(f.Limit)
	}
	return order
}

// recordTimeline is her timeline's source of a table of records about her (deliveries,
// outcomes): one event per record, at the moment it was recorded by whom (the users id
// in column by), by its id; those of a sensitive programme only for those who may see
// them.
func recordTimeline(table, by, kind string) func(*Store, context.Context, *birge.Actor, personRow, int64, int) ([]TimelineEvent, error) {
	return func(s *Store, ctx context.Context, a *birge.Actor, p personRow, before int64, limit int) ([]TimelineEvent, error) {
		if before == 0 {
			before = 1<<63 - 1
		}
		rows, err := s.read().query(ctx, `SELECT x.id, x.created_at, COALESCE(u.name, ''), COALESCE(g.sensitive, ?)
			FROM `+table+` x LEFT JOIN users u ON u.id = x.`+by+` LEFT JOIN programs g ON g.id = x.program_id
			WHERE x.person_id = ? AND x.id < ? ORDER BY x.id DESC`, false, p.ID, before)
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
			e.At, e.Kind, e.source, e.pos = e.At.UTC(), kind, kind, id
			out = append(out, e)
		}
		return out, rows.Err()
	}
}
