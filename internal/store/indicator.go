package store

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Indicators is the store's view for a programme's indicators: what it promised and,
// counted from the deliveries and outcomes each time it is read, what it did. Anyone who
// sees the programme sees its figures, analysts too: they are counts, never names, and
// they count every woman, those of a sensitive programme too (decision 0022).
type Indicators struct{ s *Store }

// IndicatorFigure is an indicator with its actual.
type IndicatorFigure struct {
	birge.Indicator
	birge.Figure
}

const indicatorColumns = `i.id, i.org_id, i.program_id, i.name_kk, i.name_ru, i.name_ky, i.name_en, i.measure,
	i.delivery_kinds, i.outcome_kinds, i.unit, i.currency, i.of_id, i.target, i.period_from, i.period_to, i.created_at`

func scanIndicator(row interface{ Scan(...any) error }) (birge.Indicator, error) {
	var in birge.Indicator
	var dk, ok string
	var of sql.NullInt64
	err := row.Scan(&in.ID, &in.OrgID, &in.ProgramID, &in.Names.KK, &in.Names.RU, &in.Names.KY, &in.Names.EN,
		&in.Measure, &dk, &ok, &in.Unit, &in.Currency, &of, &in.Target, &in.From, &in.To, &in.CreatedAt)
	in.DeliveryKinds, in.OutcomeKinds, in.CreatedAt = splitCodes(dk), splitCodes(ok), in.CreatedAt.UTC()
	if of.Valid {
		in.Of = &of.Int64
	}
	return in, err
}

func indicatorFields(in birge.Indicator) map[string]any {
	m := map[string]any{"name_kk": in.Names.KK, "name_ru": in.Names.RU, "name_ky": in.Names.KY,
		"name_en": in.Names.EN, "program_id": in.ProgramID, "measure": in.Measure,
		"delivery_kinds": strings.Join(in.DeliveryKinds, ","), "outcome_kinds": strings.Join(in.OutcomeKinds, ","),
		"unit": in.Unit, "currency": in.Currency, "target": in.Target, "from": in.From, "to": in.To,
		"of": int64(0)}
	if in.Of != nil {
		m["of"] = *in.Of
	}
	return m
}

// Defined returns a programme's indicators, in the order they were added, without
// counting them: what a form offers to choose.
func (indicators *Indicators) Defined(ctx context.Context, a *birge.Actor, programID int64) ([]birge.Indicator, error) {
	c := indicators.s.read()
	if _, err := indicators.s.Programs.get(ctx, c, a, birge.PermProgramView, programID); err != nil {
		return nil, err
	}
	return indicators.query(ctx, c, `SELECT `+indicatorColumns+` FROM indicators i
		WHERE i.program_id = ? ORDER BY i.id`, programID)
}

// List returns a programme's indicators, in the order they were added, each with its
// actual counted now.
func (indicators *Indicators) List(ctx context.Context, a *birge.Actor, programID int64) ([]IndicatorFigure, error) {
	list, err := indicators.Defined(ctx, a, programID)
	if err != nil {
		return nil, err
	}
	c := indicators.s.read()
	byID := map[int64]birge.Indicator{}
	for _, in := range list {
		byID[in.ID] = in
	}
	out, counted := make([]IndicatorFigure, len(list)), map[int64]int64{}
	for i, in := range list {
		out[i].Indicator = in
		if out[i].Figure, err = indicators.count(ctx, c, in, byID, counted); err != nil {
			return nil, err
		}
		counted[in.ID] = out[i].Actual
	}
	return out, nil
}

func (indicators *Indicators) query(ctx context.Context, c q, query string, args ...any) ([]birge.Indicator, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Indicator{}
	for rows.Next() {
		in, err := scanIndicator(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// Create adds an indicator to a programme; those who may edit the programme may.
func (indicators *Indicators) Create(ctx context.Context, a *birge.Actor, in birge.Indicator) (birge.Indicator, error) {
	s := indicators.s
	err := s.tx(ctx, func(c q) error {
		p, err := s.Programs.get(ctx, c, a, birge.PermProgramView, in.ProgramID)
		if err != nil {
			return err
		}
		if !MayEdit(a, p) {
			return birge.ErrForbidden
		}
		in.ID, in.OrgID, in.CreatedAt = 0, p.OrgID, s.now()
		var of *birge.Indicator
		if in.Of != nil {
			whole, err := scanIndicator(c.row(ctx, `SELECT `+indicatorColumns+` FROM indicators i
				WHERE i.id = ? AND i.program_id = ?`, *in.Of, p.ID))
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if err == nil {
				of = &whole
			}
		}
		dk, ok, err := kindCodes(ctx, c, p.OrgID)
		if err != nil {
			return err
		}
		if err := in.Validate(dk, ok, of); err != nil {
			return err
		}
		if err := c.row(ctx, `INSERT INTO indicators (org_id, program_id, name_kk, name_ru, name_ky, name_en,
			measure, delivery_kinds, outcome_kinds, unit, currency, of_id, target, period_from, period_to, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.OrgID, in.ProgramID, in.Names.KK, in.Names.RU, in.Names.KY, in.Names.EN, in.Measure,
			strings.Join(in.DeliveryKinds, ","), strings.Join(in.OutcomeKinds, ","), in.Unit, in.Currency,
			in.Of, in.Target, in.From, in.To, in.CreatedAt).Scan(&in.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityIndicator, entityID: in.ID,
			orgID: in.OrgID, changes: birge.Diff(nil, indicatorFields(in))})
	})
	return in, err
}

// Delete removes an indicator added by mistake; one that a share divides by stays until
// the share is gone.
func (indicators *Indicators) Delete(ctx context.Context, a *birge.Actor, id int64) error {
	s := indicators.s
	return s.tx(ctx, func(c q) error {
		in, err := scanIndicator(c.row(ctx, `SELECT `+indicatorColumns+` FROM indicators i WHERE i.id = ?`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return birge.ErrNotFound
		}
		if err != nil {
			return err
		}
		p, err := s.Programs.get(ctx, c, a, birge.PermProgramView, in.ProgramID)
		if err != nil {
			return err
		}
		if !MayEdit(a, p) {
			return birge.ErrForbidden
		}
		var shares int
		if err := c.row(ctx, `SELECT COUNT(*) FROM indicators WHERE of_id = ?`, id).Scan(&shares); err != nil {
			return err
		}
		if shares > 0 {
			return &birge.Error{Kind: birge.KindConflict, Key: "indicator.in_use"}
		}
		var promised int
		if err := c.row(ctx, `SELECT COUNT(*) FROM funding_indicators WHERE indicator_id = ?`, id).Scan(&promised); err != nil {
			return err
		}
		if promised > 0 {
			return &birge.Error{Kind: birge.KindConflict, Key: "indicator.promised"}
		}
		if _, err := c.exec(ctx, `DELETE FROM indicators WHERE id = ?`, id); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionDelete, entity: birge.EntityIndicator, entityID: id,
			orgID: in.OrgID, changes: birge.Diff(indicatorFields(in), nil)})
	})
}

// Kinds returns an organisation's kinds of service and of outcome, retired ones too, to
// name what its programmes' indicators count: anyone who sees its programmes may read
// them (they name services, not people).
func (indicators *Indicators) Kinds(ctx context.Context, a *birge.Actor, orgID int64) (services, outcomes birge.KindList, err error) {
	if !a.CanIn(birge.PermProgramView, orgID) {
		return nil, nil, birge.ErrNotFound
	}
	c := indicators.s.read()
	if services, err = deliveryKinds.list(ctx, c, orgID); err != nil {
		return nil, nil, err
	}
	outcomes, err = outcomeKinds.list(ctx, c, orgID)
	return services, outcomes, err
}

// kindCodes are the codes an indicator of the organisation may count by, retired ones
// too: a figure may count what is no longer offered.
func kindCodes(ctx context.Context, c q, orgID int64) (services, outcomes []string, err error) {
	for _, k := range []struct {
		table kindTable
		out   *[]string
	}{{deliveryKinds, &services}, {outcomeKinds, &outcomes}} {
		list, err := k.table.list(ctx, c, orgID)
		if err != nil {
			return nil, nil, err
		}
		for _, kind := range list {
			*k.out = append(*k.out, kind.Code)
		}
	}
	return services, outcomes, nil
}

// count counts an indicator's actual from the records of its programme; byID holds the
// programme's indicators and counted their actuals so far (a share's whole is one of
// them, added before it, so counted already).
func (indicators *Indicators) count(ctx context.Context, c q, in birge.Indicator, byID map[int64]birge.Indicator,
	counted map[int64]int64) (birge.Figure, error) {
	var f birge.Figure
	if in.Measure == birge.MeasureShare {
		whole, ok := byID[derefID(in.Of)]
		if !ok {
			return f, nil
		}
		wholeSQL, wholeArgs := reach(whole, where{})
		f.Whole = counted[whole.ID]
		// The part: those of the whole with an outcome of this one's kinds or, when it
		// names none, with a delivery of its kinds.
		part := in
		part.Measure = birge.MeasurePeopleReached
		if len(in.OutcomeKinds) > 0 {
			part.Measure = birge.MeasurePeopleWithOutcome
		}
		within := where{}
		within.add("person_id IN ("+wholeSQL+")", wholeArgs...)
		partSQL, partArgs := reach(part, within)
		err := c.row(ctx, `SELECT COUNT(*) FROM (`+partSQL+`) x`, partArgs...).Scan(&f.Actual)
		return f, err
	}
	if in.Measure == birge.MeasureDeliveries || in.Measure == birge.MeasureQuantitySum {
		w := records(in, "deliveries")
		column := "deliveries"
		if in.Measure == birge.MeasureQuantitySum {
			column = "quantity"
			w.add("unit = ?", in.Unit)
			if in.Currency != "" {
				w.add("currency = ?", in.Currency)
			}
		}
		var err error
		f.Actual, err = sumTotals(ctx, c, `SELECT `+column+` FROM delivery_totals`+w.sql(), w.args...)
		return f, err
	}
	// Women reached, or with an outcome.
	sub, args := reach(in, where{})
	err := c.row(ctx, `SELECT COUNT(*) FROM (`+sub+`) x`, args...).Scan(&f.Actual)
	return f, err
}

// reach selects each woman an indicator counts, once: those with a delivery of its
// kinds, or with an outcome of its kinds, in its programme and period, and within
// whatever more conditions say. GROUP BY on the leading columns of deliveries_reach lets
// the databases count them without sorting.
func reach(in birge.Indicator, more where) (string, []any) {
	table := "deliveries"
	if in.Measure == birge.MeasurePeopleWithOutcome {
		table = "outcomes"
	}
	w := records(in, table)
	w.conds, w.args = append(w.conds, more.conds...), append(w.args, more.args...)
	return `SELECT person_id FROM ` + table + w.sql() + ` GROUP BY person_id`, w.args
}

// records are the conditions on a programme's deliveries or outcomes that an indicator
// counts: its programme, its kinds of that table, its period.
func records(in birge.Indicator, table string) where {
	w := where{}
	w.add("program_id = ?", in.ProgramID)
	kinds := in.DeliveryKinds
	if table == "outcomes" {
		kinds = in.OutcomeKinds
	}
	if len(kinds) > 0 {
		w.in("kind", kinds)
	}
	if in.From != "" {
		w.add("date >= ?", in.From)
	}
	if in.To != "" {
		w.add("date <= ?", in.To)
	}
	return w
}

func derefID(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// sumTotals adds up rows of delivery_totals (a few thousand at most: days by kinds) in
// Go, where a sum past what an int64 holds stops at its largest rather than failing the
// page, as SUM would in both databases.
func sumTotals(ctx context.Context, c q, query string, args ...any) (int64, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var sum int64
	for rows.Next() {
		var n int64
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
		if n > 0 && sum > math.MaxInt64-n {
			sum = math.MaxInt64
		} else {
			sum += n
		}
	}
	return sum, rows.Err()
}
