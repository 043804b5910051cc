package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Awards is the store's view for what competitions give (decision 0037): awards made
// from awarded applications, their tranches, evidence, payments and follow-ups. An award
// is its call's: call.view in the call's organisation reads it, call.manage writes it.
// Its payments are her service deliveries, its follow-ups her outcomes, each written in
// the same transaction as the award's own row (source "award").
type Awards struct{ s *Store }

// SourceAward is what deliveries and outcomes written by awards name as their source.
const SourceAward = "award"

const awardColumns = `w.id, w.org_id, w.call_id, w.application_id, a.reference, a.person_id, w.amount, w.currency,
	w.agreed_on, w.period, w.renewed_from, w.created_by, w.created_at, w.updated_at`

const awardsFrom = ` FROM awards w JOIN applications a ON a.id = w.application_id`

func scanAward(row interface{ Scan(...any) error }) (birge.Award, error) {
	var w birge.Award
	var person, renewed, by sql.NullInt64
	err := row.Scan(&w.ID, &w.OrgID, &w.CallID, &w.ApplicationID, &w.Reference, &person, &w.Amount.Amount,
		&w.Amount.Currency, &w.AgreedOn, &w.Period, &renewed, &by, &w.CreatedAt, &w.UpdatedAt)
	if renewed.Valid {
		w.RenewedFrom = &renewed.Int64
	}
	w.PersonID, w.CreatedBy = person.Int64, by.Int64
	w.CreatedAt, w.UpdatedAt = w.CreatedAt.UTC(), w.UpdatedAt.UTC()
	w.Paid = birge.Money{Currency: w.Amount.Currency}
	w.Tranches, w.Payments, w.FollowUps = []birge.AwardTranche{}, []birge.AwardPayment{}, []birge.AwardFollowUp{}
	return w, err
}

// AwardFilter narrows a list of awards.
type AwardFilter struct {
	CallID int64
	After  int64 // page: awards with id > After
	Limit  int   // 0: all
}

// List returns the awards the actor may see, by id, each with its tranches, payments
// and follow-ups.
func (awards *Awards) List(ctx context.Context, a *birge.Actor, f AwardFilter) ([]birge.Award, error) {
	all, orgs := callOrgs(a, birge.PermCallView)
	if !all && len(orgs) == 0 {
		return nil, birge.ErrForbidden
	}
	w := where{}
	if !all {
		w.conds = append(w.conds, "w.org_id IN ("+placeholders(len(orgs))+")")
		for _, id := range orgs {
			w.args = append(w.args, id)
		}
	}
	if f.CallID != 0 {
		w.add("w.call_id = ?", f.CallID)
	}
	if f.After != 0 {
		w.add("w.id > ?", f.After)
	}
	lim := ""
	if f.Limit > 0 {
		lim = " LIMIT " + itoa(f.Limit)
	}
	c := awards.s.read()
	rows, err := c.query(ctx, `SELECT `+awardColumns+awardsFrom+w.sql()+` ORDER BY w.id`+lim, w.args...)
	if err != nil {
		return nil, err
	}
	out := []birge.Award{}
	for rows.Next() {
		aw, err := scanAward(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, aw)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, awards.fill(ctx, c, out)
}

// Get returns one award the actor may see, whole.
func (awards *Awards) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Award, error) {
	return awards.get(ctx, awards.s.read(), a, birge.PermCallView, id)
}

// get loads an award on whose organisation the actor holds perm: out of sight it is not
// found; seen but not held, forbidden.
func (awards *Awards) get(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (birge.Award, error) {
	aw, err := scanAward(c.row(ctx, `SELECT `+awardColumns+awardsFrom+` WHERE w.id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return aw, birge.ErrNotFound
	case err != nil:
		return aw, err
	case !a.CanIn(birge.PermCallView, aw.OrgID):
		return birge.Award{}, birge.ErrNotFound
	case !a.CanIn(perm, aw.OrgID):
		return birge.Award{}, birge.ErrForbidden
	}
	list := []birge.Award{aw}
	err = awards.fill(ctx, c, list)
	return list[0], err
}

// fill reads the awards' tranches with their evidence, payments and follow-ups, a few
// hundred awards a query, and adds up what was paid.
func (awards *Awards) fill(ctx context.Context, c q, list []birge.Award) error {
	at := map[int64]*birge.Award{}
	ids := make([]any, len(list))
	for i := range list {
		at[list[i].ID], ids[i] = &list[i], list[i].ID
	}
	tranche := map[int64]*birge.AwardTranche{}
	return inChunks(ids, func(chunk []any) error {
		in := `(` + placeholders(len(chunk)) + `)`
		err := each(ctx, c, `SELECT id, award_id, position, amount, needs_evidence, approved_at, approved_by
			FROM award_tranches WHERE award_id IN `+in+` ORDER BY award_id, position`, chunk, func(r *sql.Rows) error {
			var t birge.AwardTranche
			var award int64
			var approved sql.NullTime
			var by sql.NullInt64
			if err := r.Scan(&t.ID, &award, &t.Position, &t.Amount, &t.NeedsEvidence, &approved, &by); err != nil {
				return err
			}
			if approved.Valid {
				when := approved.Time.UTC()
				t.ApprovedAt = &when
			}
			t.ApprovedBy, t.Evidence = by.Int64, []birge.AwardEvidence{}
			aw := at[award]
			t.Share = int(t.Amount * 100 / max(aw.Amount.Amount, 1))
			aw.Tranches = append(aw.Tranches, t)
			return nil
		})
		if err != nil {
			return err
		}
		for _, aw := range at {
			for i := range aw.Tranches {
				tranche[aw.Tranches[i].ID] = &aw.Tranches[i]
			}
		}
		err = each(ctx, c, `SELECT e.id, e.tranche_id, e.name, e.type, e.size, e.uploaded_by, e.created_at
			FROM award_evidence e JOIN award_tranches t ON t.id = e.tranche_id WHERE t.award_id IN `+in+` ORDER BY e.id`,
			chunk, func(r *sql.Rows) error {
				var e birge.AwardEvidence
				var tr int64
				var by sql.NullInt64
				if err := r.Scan(&e.ID, &tr, &e.Name, &e.Type, &e.Size, &by, &e.CreatedAt); err != nil {
					return err
				}
				e.UploadedBy, e.CreatedAt = by.Int64, e.CreatedAt.UTC()
				if t := tranche[tr]; t != nil {
					t.Evidence = append(t.Evidence, e)
				}
				return nil
			})
		if err != nil {
			return err
		}
		err = each(ctx, c, `SELECT p.id, p.award_id, t.position, p.tranche_id, p.paid_on, p.amount, p.currency, p.rate_micros,
			p.award_amount, p.delivery_id, p.recorded_by, p.created_at
			FROM award_payments p JOIN award_tranches t ON t.id = p.tranche_id WHERE p.award_id IN `+in+` ORDER BY p.id`,
			chunk, func(r *sql.Rows) error {
				var p birge.AwardPayment
				var award, tr int64
				var rate, by sql.NullInt64
				if err := r.Scan(&p.ID, &award, &p.Tranche, &tr, &p.Date, &p.Amount.Amount, &p.Amount.Currency, &rate,
					&p.AwardAmount, &p.DeliveryID, &by, &p.CreatedAt); err != nil {
					return err
				}
				if rate.Valid {
					p.ExchangeRate = birge.FormatRate(rate.Int64)
				}
				p.RecordedBy, p.CreatedAt = by.Int64, p.CreatedAt.UTC()
				aw := at[award]
				aw.Payments = append(aw.Payments, p)
				aw.Paid.Amount += p.AwardAmount
				if t := tranche[tr]; t != nil {
					t.Paid += p.AwardAmount
				}
				return nil
			})
		if err != nil {
			return err
		}
		return each(ctx, c, `SELECT id, award_id, months, reported_on, operating, income, jobs, note, recorded_by, created_at
			FROM award_followups WHERE award_id IN `+in+` ORDER BY award_id, months`, chunk, func(r *sql.Rows) error {
			var f birge.AwardFollowUp
			var award int64
			var income, by sql.NullInt64
			if err := r.Scan(&f.ID, &award, &f.Months, &f.Date, &f.Operating, &income, &f.Jobs, &f.Note, &by, &f.CreatedAt); err != nil {
				return err
			}
			aw := at[award]
			if income.Valid {
				f.Income = &birge.Money{Amount: income.Int64, Currency: aw.Amount.Currency}
			}
			f.RecordedBy, f.CreatedAt = by.Int64, f.CreatedAt.UTC()
			aw.FollowUps = append(aw.FollowUps, f)
			return nil
		})
	})
}

// each runs a query and reads its rows one by one.
func each(ctx context.Context, c q, query string, args []any, read func(*sql.Rows) error) error {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := read(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// awardedApplication is what an award needs of its application.
type awardedApplication struct {
	id, callID, personID int64
	status               string
}

// Create makes an award of an awarded application of a call the actor manages. The
// amount defaults to the call's award_amount, and the tranches to one, paid at signing.
func (awards *Awards) Create(ctx context.Context, a *birge.Actor, aw birge.Award) (birge.Award, error) {
	s := awards.s
	var out birge.Award
	err := s.tx(ctx, func(c q) error {
		var app awardedApplication
		var person sql.NullInt64
		err := c.row(ctx, `SELECT id, call_id, person_id, status FROM applications WHERE id = ?`, aw.ApplicationID).
			Scan(&app.id, &app.callID, &person, &app.status)
		app.personID = person.Int64
		if errors.Is(err, sql.ErrNoRows) {
			return invalid("application_id", "field.choose")
		}
		if err != nil {
			return err
		}
		call, err := s.Calls.get(ctx, c, a, birge.PermCallManage, app.callID)
		if errors.Is(err, birge.ErrNotFound) {
			return invalid("application_id", "field.choose")
		}
		if err != nil {
			return err
		}
		switch {
		case app.status != "awarded":
			return invalid("application_id", "award.not_awarded")
		case app.personID == 0:
			return invalid("application_id", "award.no_person")
		}
		out, err = awards.insert(ctx, c, a, call, app, aw)
		return err
	})
	return out, err
}

// invalid is a 422 naming one field.
func invalid(field, key string) error {
	return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{field: key}}
}

// insert writes a checked award and its tranches, in the caller's transaction.
func (awards *Awards) insert(ctx context.Context, c q, a *birge.Actor, call birge.Call, app awardedApplication, aw birge.Award) (birge.Award, error) {
	s := awards.s
	if aw.Amount.Currency == "" {
		aw.Amount.Currency = call.AwardAmount.Currency
	}
	if aw.Amount.Amount == 0 {
		aw.Amount.Amount = call.AwardAmount.Amount
	}
	if len(aw.Tranches) == 0 {
		aw.Tranches = []birge.AwardTranche{{Share: 100}}
	}
	if err := aw.Validate(call, a.Today(s.now())); err != nil {
		return aw, err
	}
	var n int
	if err := c.row(ctx, `SELECT COUNT(*) FROM awards WHERE application_id = ? AND period = ?`, app.id, aw.Period).Scan(&n); err != nil {
		return aw, err
	}
	if n > 0 {
		return aw, &birge.Error{Kind: birge.KindConflict, Key: "award.exists", Fields: birge.Problems{"application_id": "award.exists"}}
	}
	aw.ID, aw.OrgID, aw.CallID, aw.PersonID, aw.CreatedBy = 0, call.OrgID, call.ID, app.personID, a.UserID
	aw.CreatedAt, aw.UpdatedAt = s.now(), s.now()
	aw.Payments, aw.FollowUps, aw.Paid = []birge.AwardPayment{}, []birge.AwardFollowUp{}, birge.Money{Currency: aw.Amount.Currency}
	if err := c.row(ctx, `INSERT INTO awards (org_id, call_id, application_id, amount, currency, agreed_on, period,
		renewed_from, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		aw.OrgID, aw.CallID, app.id, aw.Amount.Amount, aw.Amount.Currency, aw.AgreedOn, aw.Period, aw.RenewedFrom,
		nullID(a.UserID), aw.CreatedAt, aw.UpdatedAt).Scan(&aw.ID); err != nil {
		return aw, err
	}
	plan := make([]string, len(aw.Tranches))
	for i := range aw.Tranches {
		t := &aw.Tranches[i]
		t.Evidence = []birge.AwardEvidence{}
		if err := c.row(ctx, `INSERT INTO award_tranches (award_id, position, amount, needs_evidence) VALUES (?, ?, ?, ?)
			RETURNING id`, aw.ID, t.Position, t.Amount, t.NeedsEvidence).Scan(&t.ID); err != nil {
			return aw, err
		}
		plan[i] = strconv.FormatInt(t.Amount, 10)
		if t.NeedsEvidence {
			plan[i] += "*"
		}
	}
	fields := map[string]any{"person_id": aw.PersonID, "application_id": app.id, "call_id": aw.CallID,
		"amount": aw.Amount.Amount, "currency": aw.Amount.Currency, "agreed_on": aw.AgreedOn, "period": aw.Period,
		"tranches": strings.Join(plan, " + ")}
	if aw.RenewedFrom != nil {
		fields["renewed_from"] = *aw.RenewedFrom
	}
	return aw, awards.audit(ctx, c, a, aw, event{action: birge.ActionCreate, changes: birge.Diff(nil, fields)})
}

// audit writes an entry about an award (ev's action and changes); she is its person, so
// it names her and is sealed with her key.
func (awards *Awards) audit(ctx context.Context, c q, a *birge.Actor, aw birge.Award, ev event) error {
	if _, ok := ev.changes["person_id"]; !ok {
		ev.changes["person_id"] = birge.Change{After: aw.PersonID}
	}
	ev.entity, ev.entityID, ev.orgID = birge.EntityAward, aw.ID, aw.OrgID
	return awards.s.audit(ctx, c, a, ev)
}

// forWrite locks an award and loads it whole for a change the actor makes as its
// call's manager.
func (awards *Awards) forWrite(ctx context.Context, c q, a *birge.Actor, id int64) (birge.Award, error) {
	if err := lockRow(ctx, c, "awards", id); err != nil {
		return birge.Award{}, err
	}
	return awards.get(ctx, c, a, birge.PermCallManage, id)
}

// touch moves an award's version on after a change to one of its parts.
func (awards *Awards) touch(ctx context.Context, c q, aw *birge.Award) error {
	aw.UpdatedAt = nextVersion(awards.s.now(), aw.UpdatedAt)
	_, err := c.exec(ctx, `UPDATE awards SET updated_at = ? WHERE id = ?`, aw.UpdatedAt, aw.ID)
	return err
}

// trancheAt is an award's tranche by its position, or a 404.
func trancheAt(aw birge.Award, position int) (*birge.AwardTranche, error) {
	if position < 1 || position > len(aw.Tranches) {
		return nil, birge.ErrNotFound
	}
	return &aw.Tranches[position-1], nil
}

// Approve records an officer's approval of a tranche's evidence; a tranche needs
// evidence uploaded to be approved, and is approved once.
func (awards *Awards) Approve(ctx context.Context, a *birge.Actor, id int64, position int) (birge.Award, error) {
	s := awards.s
	var out birge.Award
	err := s.tx(ctx, func(c q) error {
		aw, err := awards.forWrite(ctx, c, a, id)
		if err != nil {
			return err
		}
		t, err := trancheAt(aw, position)
		if err != nil {
			return err
		}
		switch {
		case len(t.Evidence) == 0:
			return &birge.Error{Kind: birge.KindConflict, Key: "award.evidence_missing", Fields: birge.Problems{"tranche": "award.evidence_missing"}}
		case t.ApprovedAt != nil:
			return &birge.Error{Kind: birge.KindConflict, Key: "award.evidence_approved", Fields: birge.Problems{"tranche": "award.evidence_approved"}}
		}
		now := s.now()
		if _, err := c.exec(ctx, `UPDATE award_tranches SET approved_at = ?, approved_by = ? WHERE id = ?`, now, nullID(a.UserID), t.ID); err != nil {
			return err
		}
		t.ApprovedAt, t.ApprovedBy = &now, a.UserID
		if err := awards.touch(ctx, c, &aw); err != nil {
			return err
		}
		out = aw
		return awards.audit(ctx, c, a, aw, event{action: birge.ActionUpdate, changes: map[string]birge.Change{
			"tranche": {After: position}, "approved": {Before: false, After: true}}})
	})
	return out, err
}

// Pay records a payment of a tranche and her service delivery (grant_payment, in the
// call's programme) in one transaction. A tranche is paid only once its evidence, if it
// needs any, is approved (409), and never beyond its amount (422).
func (awards *Awards) Pay(ctx context.Context, a *birge.Actor, id int64, p birge.AwardPayment) (birge.Award, error) {
	s := awards.s
	var out birge.Award
	err := s.tx(ctx, func(c q) error {
		aw, err := awards.forWrite(ctx, c, a, id)
		if err != nil {
			return err
		}
		rate, err := p.Check(aw, a.Today(s.now()))
		if err != nil {
			return err
		}
		call, err := s.Calls.get(ctx, c, a, birge.PermCallManage, aw.CallID)
		if err != nil {
			return err
		}
		money := p.Amount
		d, err := s.Deliveries.recordIn(ctx, c, a, birge.Delivery{PersonID: aw.PersonID, ProgramID: &call.ProgramID,
			Date: p.Date, Kind: "grant_payment", Unit: "money", Money: &money, Source: SourceAward, SourceID: aw.ID})
		if err != nil {
			return deliveryProblems(err)
		}
		t := &aw.Tranches[p.Tranche-1]
		var rateCol any
		if rate != 0 {
			rateCol = rate
		}
		p.DeliveryID, p.RecordedBy, p.CreatedAt = d.ID, a.UserID, s.now()
		if err := c.row(ctx, `INSERT INTO award_payments (award_id, tranche_id, paid_on, amount, currency, rate_micros,
			award_amount, delivery_id, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			aw.ID, t.ID, p.Date, p.Amount.Amount, p.Amount.Currency, rateCol, p.AwardAmount, d.ID, nullID(a.UserID),
			p.CreatedAt).Scan(&p.ID); err != nil {
			return err
		}
		t.Paid += p.AwardAmount
		aw.Paid.Amount += p.AwardAmount
		aw.Payments = append(aw.Payments, p)
		if err := awards.touch(ctx, c, &aw); err != nil {
			return err
		}
		out = aw
		return awards.audit(ctx, c, a, aw, event{action: birge.ActionUpdate, changes: birge.Diff(nil, map[string]any{
			"tranche": p.Tranche, "paid_on": p.Date, "paid": p.Amount.Amount, "paid_currency": p.Amount.Currency,
			"exchange_rate": p.ExchangeRate})})
	})
	return out, err
}

// deliveryProblems says a payment's delivery could not be written in the payment's
// terms: a problem of the delivery's programme is the call's, of its day the payment's.
func deliveryProblems(err error) error {
	e := birge.AsError(err)
	if e == nil || e.Kind != birge.KindInvalid {
		return err
	}
	out := birge.Problems{}
	for field, key := range e.Fields {
		switch field {
		case "date":
			out.Add("date", key)
		case "money.amount", "money.currency":
			out.Add("amount."+strings.TrimPrefix(field, "money."), key)
		default:
			out.Add("tranche", "award.delivery_refused")
		}
	}
	return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: out}
}

// FollowUp records the follow-up report 6 or 12 months after the agreement, and her
// outcomes from it in the same transaction: the business operating, its monthly income,
// the jobs it created (each only when there is one to tell).
func (awards *Awards) FollowUp(ctx context.Context, a *birge.Actor, id int64, f birge.AwardFollowUp) (birge.Award, error) {
	s := awards.s
	var out birge.Award
	err := s.tx(ctx, func(c q) error {
		aw, err := awards.forWrite(ctx, c, a, id)
		if err != nil {
			return err
		}
		if err := f.Validate(aw, a.Today(s.now())); err != nil {
			return err
		}
		call, err := s.Calls.get(ctx, c, a, birge.PermCallManage, aw.CallID)
		if err != nil {
			return err
		}
		var income any
		if f.Income != nil {
			income = f.Income.Amount
		}
		f.RecordedBy, f.CreatedAt = a.UserID, s.now()
		if err := c.row(ctx, `INSERT INTO award_followups (award_id, months, reported_on, operating, income, jobs, note,
			recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, aw.ID, f.Months, f.Date, f.Operating,
			income, f.Jobs, f.Note, nullID(a.UserID), f.CreatedAt).Scan(&f.ID); err != nil {
			return err
		}
		var outcomes []birge.Outcome
		if f.Operating {
			outcomes = append(outcomes, birge.Outcome{Kind: "business_operating"})
		}
		if f.Income != nil && f.Income.Amount > 0 {
			outcomes = append(outcomes, birge.Outcome{Kind: "business_income", Value: &birge.OutcomeValue{Amount: f.Income.Amount, Currency: f.Income.Currency}})
		}
		if f.Jobs > 0 {
			outcomes = append(outcomes, birge.Outcome{Kind: "jobs_created", Value: &birge.OutcomeValue{Amount: int64(f.Jobs)}})
		}
		for _, o := range outcomes {
			o.PersonID, o.ProgramID, o.Date, o.Source, o.SourceID = aw.PersonID, &call.ProgramID, f.Date, SourceAward, aw.ID
			if _, err := s.Outcomes.recordIn(ctx, c, a, o); err != nil {
				return deliveryProblems(err)
			}
		}
		aw.FollowUps = append(aw.FollowUps, f)
		if err := awards.touch(ctx, c, &aw); err != nil {
			return err
		}
		out = aw
		return awards.audit(ctx, c, a, aw, event{action: birge.ActionUpdate, changes: birge.Diff(nil, map[string]any{
			"months": f.Months, "reported_on": f.Date, "operating": f.Operating, "income": income, "jobs": f.Jobs, "note": f.Note})})
	})
	return out, err
}

// Renew gives a scholarship's next academic period on the results of the last: a new
// award of the same application, renewed_from the last, and her outcome
// scholarship_renewed, in one transaction. Only a scholarship's latest award renews.
func (awards *Awards) Renew(ctx context.Context, a *birge.Actor, id int64, next birge.Award) (birge.Award, error) {
	s := awards.s
	var out birge.Award
	err := s.tx(ctx, func(c q) error {
		last, err := awards.forWrite(ctx, c, a, id)
		if err != nil {
			return err
		}
		call, err := s.Calls.get(ctx, c, a, birge.PermCallManage, last.CallID)
		if err != nil {
			return err
		}
		if call.Kind != "scholarship" {
			return &birge.Error{Kind: birge.KindConflict, Key: "award.renew_scholarship"}
		}
		var later int
		if err := c.row(ctx, `SELECT COUNT(*) FROM awards WHERE renewed_from = ?`, last.ID).Scan(&later); err != nil {
			return err
		}
		if later > 0 {
			return &birge.Error{Kind: birge.KindConflict, Key: "award.renewed_already"}
		}
		next.RenewedFrom = &last.ID
		if next.AgreedOn != "" && next.AgreedOn <= last.AgreedOn {
			return invalid("agreed_on", "award.renew_after")
		}
		out, err = awards.insert(ctx, c, a, call, awardedApplication{id: last.ApplicationID, callID: call.ID,
			personID: last.PersonID, status: "awarded"}, next)
		if err != nil {
			return err
		}
		_, err = s.Outcomes.recordIn(ctx, c, a, birge.Outcome{PersonID: last.PersonID, ProgramID: &call.ProgramID,
			Date: out.AgreedOn, Kind: "scholarship_renewed", Source: SourceAward, SourceID: out.ID})
		return deliveryProblems(err)
	})
	return out, err
}

// Awardable is an awarded application of a call that has no award yet.
type Awardable struct {
	ID        int64  `json:"id"`
	Reference string `json:"reference"`
}

// Awardable lists a call's awarded applications that have no award yet (a scholarship's
// later periods are renewals), for those who manage the call.
func (awards *Awards) Awardable(ctx context.Context, a *birge.Actor, callID int64) ([]Awardable, error) {
	c := awards.s.read()
	if _, err := awards.s.Calls.get(ctx, c, a, birge.PermCallManage, callID); err != nil {
		return nil, err
	}
	out := []Awardable{}
	err := each(ctx, c, `SELECT a.id, a.reference FROM applications a WHERE a.call_id = ? AND a.status = 'awarded'
		AND a.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM awards w WHERE w.application_id = a.id) ORDER BY a.id`,
		[]any{callID}, func(r *sql.Rows) error {
			var x Awardable
			err := r.Scan(&x.ID, &x.Reference)
			out = append(out, x)
			return err
		})
	return out, err
}

// ofPerson returns every award of her applications, whole, for her dossier.
func (awards *Awards) ofPerson(ctx context.Context, personID int64) ([]birge.Award, error) {
	c := awards.s.read()
	out := []birge.Award{}
	err := each(ctx, c, `SELECT `+awardColumns+awardsFrom+` WHERE a.person_id = ? ORDER BY w.id`, []any{personID},
		func(r *sql.Rows) error {
			aw, err := scanAward(r)
			out = append(out, aw)
			return err
		})
	if err != nil {
		return nil, err
	}
	return out, awards.fill(ctx, c, out)
}
