package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Calls is the store's view for competitions: calls for grants and scholarships with
// their criteria, eligibility rules and application forms (decision 0030). A call is the
// organisation's: call.view and call.manage anywhere in it (on the organisation or one
// of its centres) reach all its calls. An open call is public (ListOpen, GetOpen).
type Calls struct{ s *Store }

const callColumns = `c.id, c.org_id, c.program_id, c.kind, c.title_kk, c.title_ru, c.title_ky, c.title_en,
	c.text_kk, c.text_ru, c.text_ky, c.text_en, c.opens_at, c.closes_at, c.regions, c.currency, c.budget,
	c.award_amount, c.award_min, c.awards, c.criteria, c.eligibility, c.form, c.published, c.created_at, c.updated_at`

// scanCall reads a call and tells its status at now.
func (calls *Calls) scanCall(row interface{ Scan(...any) error }) (birge.Call, error) {
	var c birge.Call
	var regions, currency, criteria, eligibility, form string
	var awardMin sql.NullInt64
	err := row.Scan(&c.ID, &c.OrgID, &c.ProgramID, &c.Kind, &c.CallTitles.KK, &c.CallTitles.RU, &c.CallTitles.KY,
		&c.CallTitles.EN, &c.CallTexts.KK, &c.CallTexts.RU, &c.CallTexts.KY, &c.CallTexts.EN, &c.OpensAt, &c.ClosesAt,
		&regions, &currency, &c.Budget.Amount, &c.AwardAmount.Amount, &awardMin, &c.Awards, &criteria, &eligibility,
		&form, &c.Published, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return c, err
	}
	c.Regions = splitCodes(regions)
	c.Budget.Currency, c.AwardAmount.Currency = currency, currency
	if awardMin.Valid {
		c.AwardMin = &birge.Money{Amount: awardMin.Int64, Currency: currency}
	}
	for _, doc := range []struct {
		text string
		into any
	}{{criteria, &c.Criteria}, {eligibility, &c.Eligibility}, {form, &c.Form}} {
		if err := json.Unmarshal([]byte(doc.text), doc.into); err != nil {
			return c, err
		}
	}
	if c.Eligibility.Categories == nil {
		c.Eligibility.Categories = []string{}
	}
	c.OpensAt, c.ClosesAt = c.OpensAt.UTC(), c.ClosesAt.UTC()
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	c.Status = birge.CallStatus(c.Published, c.OpensAt, c.ClosesAt, calls.s.now())
	return c, nil
}

// callFields are what the audit compares: the documents as their JSON, the money by itself.
func callFields(c birge.Call) map[string]any {
	doc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	var awardMin any
	if c.AwardMin != nil {
		awardMin = c.AwardMin.Amount
	}
	return map[string]any{"kind": c.Kind, "program_id": c.ProgramID,
		"title_kk": c.CallTitles.KK, "title_ru": c.CallTitles.RU, "title_ky": c.CallTitles.KY, "title_en": c.CallTitles.EN,
		"text_kk": c.CallTexts.KK, "text_ru": c.CallTexts.RU, "text_ky": c.CallTexts.KY, "text_en": c.CallTexts.EN,
		"opens_at": c.OpensAt.Format("2006-01-02T15:04:05Z"), "closes_at": c.ClosesAt.Format("2006-01-02T15:04:05Z"),
		"regions": strings.Join(c.Regions, ","), "currency": c.Budget.Currency, "budget": c.Budget.Amount,
		"award_amount": c.AwardAmount.Amount, "award_min": awardMin, "awards": c.Awards,
		"criteria": doc(c.Criteria), "eligibility": doc(c.Eligibility), "form": doc(c.Form), "published": c.Published}
}

// callOrgs are the organisations in which the actor holds perm: all of them for a grant
// on the installation.
func callOrgs(a *birge.Actor, perm birge.Permission) (all bool, orgs []int64) {
	for _, g := range a.Grants {
		switch {
		case !g.Role.Has(perm):
		case g.Installation():
			return true, nil
		default:
			orgs = append(orgs, g.OrgID)
		}
	}
	return false, orgs
}

// CallFilter narrows a list of calls.
type CallFilter struct {
	Kind   string
	Status string // draft, scheduled, open or closed, told at the store's now
	After  int64  // page: calls with id > After
	Limit  int    // 0: all
}

// statusWhere narrows calls (alias c) to a status at now.
func statusWhere(w *where, status string, now any) {
	switch status {
	case birge.CallDraft:
		w.add("c.published = ?", false)
	case birge.CallScheduled:
		w.add("c.published = ? AND c.opens_at > ?", true, now)
	case birge.CallOpen:
		w.add("c.published = ? AND c.opens_at <= ? AND c.closes_at > ?", true, now, now)
	case birge.CallClosed:
		w.add("c.published = ? AND c.closes_at <= ?", true, now)
	}
}

// List returns the calls the actor may see, by id.
func (calls *Calls) List(ctx context.Context, a *birge.Actor, f CallFilter) ([]birge.Call, error) {
	all, orgs := callOrgs(a, birge.PermCallView)
	if !all && len(orgs) == 0 {
		return nil, birge.ErrForbidden
	}
	w := where{}
	if !all {
		w.conds = append(w.conds, "c.org_id IN ("+placeholders(len(orgs))+")")
		for _, id := range orgs {
			w.args = append(w.args, id)
		}
	}
	if err := kindWhere(&w, f.Kind); err != nil {
		return nil, err
	}
	if f.Status != "" {
		if !oneOfStatus(f.Status) {
			return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"status": "field.choose"}}
		}
		statusWhere(&w, f.Status, calls.s.now().UTC())
	}
	return calls.listWhere(ctx, w, f.After, f.Limit)
}

func oneOfStatus(s string) bool {
	for _, x := range birge.CallStatuses {
		if x == s {
			return true
		}
	}
	return false
}

func (calls *Calls) listWhere(ctx context.Context, w where, after int64, limit int) ([]birge.Call, error) {
	if after != 0 {
		w.add("c.id > ?", after)
	}
	lim := ""
	if limit > 0 {
		lim = " LIMIT " + itoa(limit)
	}
	rows, err := calls.s.read().query(ctx, `SELECT `+callColumns+` FROM calls c`+w.sql()+` ORDER BY c.id`+lim, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Call{}
	for rows.Next() {
		c, err := calls.scanCall(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ListOpen returns the calls open now, of every organisation, by id: for anyone, with no
// account. Drafts and calls not yet open or closed are not public.
func (calls *Calls) ListOpen(ctx context.Context, f CallFilter) ([]birge.Call, error) {
	w := where{}
	statusWhere(&w, birge.CallOpen, calls.s.now().UTC())
	if err := kindWhere(&w, f.Kind); err != nil {
		return nil, err
	}
	return calls.listWhere(ctx, w, f.After, f.Limit)
}

// kindWhere narrows a list of calls to a kind, refusing one that is no kind (a NUL
// byte in the public list's address made PostgreSQL fail the query).
func kindWhere(w *where, kind string) error {
	switch {
	case kind == "":
	case !slices.Contains(birge.CallKinds, kind):
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"kind": "field.choose"}}
	default:
		w.add("c.kind = ?", kind)
	}
	return nil
}

// GetOpen returns a call open now, for anyone; any other call is not found.
func (calls *Calls) GetOpen(ctx context.Context, id int64) (birge.Call, error) {
	c, err := calls.scanCall(calls.s.read().row(ctx, `SELECT `+callColumns+` FROM calls c WHERE c.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && c.Status != birge.CallOpen {
		return birge.Call{}, birge.ErrNotFound
	}
	return c, err
}

// Get returns a call the actor may see, or ErrNotFound.
func (calls *Calls) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Call, error) {
	return calls.get(ctx, calls.s.read(), a, birge.PermCallView, id)
}

// get loads a call on which the actor holds perm: out of sight it is not found; seen but
// not held, forbidden.
func (calls *Calls) get(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (birge.Call, error) {
	call, err := calls.scanCall(c.row(ctx, `SELECT `+callColumns+` FROM calls c WHERE c.id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return call, birge.ErrNotFound
	case err != nil:
		return call, err
	case a.CanIn(perm, call.OrgID):
		return call, nil
	case a.CanIn(birge.PermCallView, call.OrgID):
		return birge.Call{}, birge.ErrForbidden
	}
	return birge.Call{}, birge.ErrNotFound
}

// MayManageCalls reports whether the actor may announce and edit calls of an organisation.
func MayManageCalls(a *birge.Actor, orgID int64) bool { return a.CanIn(birge.PermCallManage, orgID) }

// check validates a call and what only the store knows: its programme is one of the
// organisation's that the actor sees, and its categories are of the organisation's list
// (held: those it had, so a retired one may stay).
func (calls *Calls) check(ctx context.Context, c q, a *birge.Actor, call *birge.Call, held []string) error {
	err := call.Validate()
	pr := birge.Problems{}
	if err != nil {
		be := birge.AsError(err)
		if be == nil {
			return err
		}
		pr = be.Fields
	}
	if call.ProgramID != 0 {
		p, err := calls.s.Programs.get(ctx, c, a, birge.PermProgramView, call.ProgramID)
		switch {
		case errors.Is(err, birge.ErrNotFound), errors.Is(err, birge.ErrForbidden), err == nil && p.OrgID != call.OrgID:
			pr.Add("program_id", "field.choose")
		case err != nil:
			return err
		}
	}
	list, err := calls.s.orgCategories(ctx, c, call.OrgID)
	if err != nil {
		return err
	}
	plain, sensitive, problem := list.Split(call.Eligibility.Categories, held)
	pr.Add("eligibility.categories", problem)
	if problem == "" {
		call.Eligibility.Categories = append(append([]string{}, plain...), sensitive...)
		slices.Sort(call.Eligibility.Categories)
	}
	return pr.Err()
}

func callArgs(call birge.Call) []any {
	doc := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	var awardMin any
	if call.AwardMin != nil {
		awardMin = call.AwardMin.Amount
	}
	return []any{call.ProgramID, call.Kind, call.CallTitles.KK, call.CallTitles.RU, call.CallTitles.KY,
		call.CallTitles.EN, call.CallTexts.KK, call.CallTexts.RU, call.CallTexts.KY, call.CallTexts.EN, call.OpensAt,
		call.ClosesAt, strings.Join(call.Regions, ","), call.Budget.Currency, call.Budget.Amount, call.AwardAmount.Amount,
		awardMin, call.Awards, doc(call.Criteria), doc(call.Eligibility), doc(call.Form), call.Published, call.UpdatedAt}
}

// Create announces a call in an organisation, as a draft or opened at once; those who
// manage calls in it may. A call sent with no form gets its kind's default form.
func (calls *Calls) Create(ctx context.Context, a *birge.Actor, call birge.Call) (birge.Call, error) {
	if !MayManageCalls(a, call.OrgID) {
		if visibleOrg(a, call.OrgID) {
			return call, birge.ErrForbidden
		}
		return call, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid",
			Fields: birge.Problems{"organization_id": "field.choose"}}
	}
	s := calls.s
	call.CreatedAt, call.UpdatedAt = s.now(), s.now()
	err := s.tx(ctx, func(c q) error {
		if err := calls.check(ctx, c, a, &call, nil); err != nil {
			return err
		}
		err := c.row(ctx, `INSERT INTO calls (program_id, kind, title_kk, title_ru, title_ky, title_en, text_kk,
			text_ru, text_ky, text_en, opens_at, closes_at, regions, currency, budget, award_amount, award_min,
			awards, criteria, eligibility, form, published, updated_at, org_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			append(callArgs(call), call.OrgID, call.CreatedAt)...).Scan(&call.ID)
		if err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityCall, entityID: call.ID,
			orgID: call.OrgID, changes: birge.Diff(nil, callFields(call))})
	})
	if err != nil {
		return birge.Call{}, err
	}
	call.Status = birge.CallStatus(call.Published, call.OpensAt, call.ClosesAt, s.now())
	return call, nil
}

// Update saves changes to a call. It never moves to another organisation; once it has
// opened, what applicants were told stands (birge.Call.Locked). Saving it unchanged
// writes nothing: no audit entry, and its updated_at (its version) stays.
func (calls *Calls) Update(ctx context.Context, a *birge.Actor, call birge.Call) (birge.Call, error) {
	s := calls.s
	var out birge.Call
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "calls", call.ID); err != nil {
			return err
		}
		old, err := calls.get(ctx, c, a, birge.PermCallManage, call.ID)
		if err != nil {
			return err
		}
		if err := sameVersion(call.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		call.OrgID, call.CreatedAt, call.UpdatedAt = old.OrgID, old.CreatedAt, nextVersion(s.now(), old.UpdatedAt)
		if err := calls.check(ctx, c, a, &call, old.Eligibility.Categories); err != nil {
			return err
		}
		if old.Started(s.now()) {
			if field := call.Locked(old); field != "" {
				return &birge.Error{Kind: birge.KindInvalid, Key: "call.locked", Fields: birge.Problems{field: "call.locked"}}
			}
		}
		changes := birge.Diff(callFields(old), callFields(call))
		if len(changes) == 0 {
			out = old
			return nil
		}
		if _, err := c.exec(ctx, `UPDATE calls SET program_id = ?, kind = ?, title_kk = ?, title_ru = ?, title_ky = ?,
			title_en = ?, text_kk = ?, text_ru = ?, text_ky = ?, text_en = ?, opens_at = ?, closes_at = ?, regions = ?,
			currency = ?, budget = ?, award_amount = ?, award_min = ?, awards = ?, criteria = ?, eligibility = ?,
			form = ?, published = ?, updated_at = ? WHERE id = ?`, append(callArgs(call), call.ID)...); err != nil {
			return err
		}
		call.Status = birge.CallStatus(call.Published, call.OpensAt, call.ClosesAt, s.now())
		out = call
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCall, entityID: call.ID,
			orgID: call.OrgID, changes: changes})
	})
	return out, err
}
