package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Cases is the store's view for family counselling and mediation cases (issue 11,
// decision 0023). Who sees a case: whoever holds case.manage in its centre (the
// coordinator, an administrator) sees all of them; whoever holds only case.view there
// (a psychologist or mediator) sees those she is assigned to; no one else sees any.
type Cases struct{ s *Store }

var caseReasons = kindTable{"cases", "case_reasons", "case.reason.", birge.DefaultCaseReasons}

const caseColumns = `k.id, k.org_id, k.center_id, k.intake_date, k.reasons, k.came_from, k.divorce_filed,
	k.divorce_filed_on, k.divorce_court, k.status, k.psychologist_id, k.mediator_id, k.created_at, k.updated_at,
	k.risk, k.override_reason, k.override_by, k.override_at, k.reviewed_by, k.outcome, k.closed_on`

func scanCase(row interface{ Scan(...any) error }) (birge.Case, error) {
	var k birge.Case
	var reasons string
	var psych, med, overrideBy, reviewedBy sql.NullInt64
	var overrideAt sql.NullTime
	var reason string
	err := row.Scan(&k.ID, &k.OrgID, &k.CenterID, &k.IntakeDate, &reasons, &k.CameFrom, &k.DivorceFiled,
		&k.DivorceFiledOn, &k.DivorceCourt, &k.Status, &psych, &med, &k.CreatedAt, &k.UpdatedAt,
		&k.Risk, &reason, &overrideBy, &overrideAt, &reviewedBy, &k.Outcome, &k.ClosedOn)
	k.Reasons = splitCodes(reasons)
	k.PsychologistID, k.MediatorID = psych.Int64, med.Int64
	k.WorkerIDs = k.Assigned()
	if k.WorkerIDs == nil {
		k.WorkerIDs = []int64{}
	}
	// The flag stands from the first result above none until it is lifted (Override).
	k.Flagged = k.Risk != birge.RiskNone && !overrideAt.Valid
	if overrideAt.Valid {
		k.Override = &birge.CaseOverride{Reason: reason, By: overrideBy.Int64, At: overrideAt.Time.UTC()}
	}
	k.ReviewedBy = reviewedBy.Int64
	k.NeedsReview = k.Risk == birge.RiskDanger && k.ReviewedBy == 0
	k.CreatedAt, k.UpdatedAt = k.CreatedAt.UTC(), k.UpdatedAt.UTC()
	return k, err
}

func joinIDs(list []int64) string {
	s := make([]string, len(list))
	for i, id := range list {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ",")
}

// caseFields are what an entry about a case records; person_id, the first partner,
// names whose key seals it (birge.AuditEntities).
func caseFields(k birge.Case) map[string]any {
	var first int64
	if len(k.PartnerIDs) > 0 {
		first = k.PartnerIDs[0]
	}
	return map[string]any{"person_id": first, "center_id": k.CenterID, "partner_ids": joinIDs(k.PartnerIDs),
		"child_ids": joinIDs(k.ChildIDs), "intake_date": k.IntakeDate, "reasons": strings.Join(k.Reasons, ","),
		"came_from": k.CameFrom, "divorce_filed": k.DivorceFiled, "divorce_filed_on": k.DivorceFiledOn,
		"divorce_court": k.DivorceCourt, "status": k.Status, "psychologist_id": k.PsychologistID,
		"mediator_id": k.MediatorID}
}

// sees reports whether the actor may see a case: all of a centre's with case.manage
// there, her own with case.view.
func sees(a *birge.Actor, k birge.Case) bool {
	return a.Can(birge.PermCaseManage, k.OrgID, k.CenterID) ||
		(a.Can(birge.PermCaseView, k.OrgID, k.CenterID) && a.UserID != 0 && slices.Contains(k.Assigned(), a.UserID))
}

// Reasons returns an organisation's reasons, retired ones too, to those who see cases in
// it.
func (cases *Cases) Reasons(ctx context.Context, a *birge.Actor, orgID int64) (birge.KindList, error) {
	if !a.CanIn(birge.PermCaseView, orgID) {
		return nil, birge.ErrNotFound
	}
	return caseReasons.list(ctx, cases.s.read(), orgID)
}

// MayManage reports whether the actor may take in families at a centre.
func (cases *Cases) MayManage(a *birge.Actor, orgID, centerID int64) bool {
	return a.Can(birge.PermCaseManage, orgID, centerID)
}

// Get returns a case the actor may see, or ErrNotFound.
func (cases *Cases) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Case, error) {
	return cases.get(ctx, cases.s.read(), a, birge.PermCaseView, id)
}

// get loads a case the actor may act on with perm: not found out of sight, forbidden
// when only in sight.
func (cases *Cases) get(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (birge.Case, error) {
	k, err := scanCase(c.row(ctx, `SELECT `+caseColumns+` FROM cases k WHERE k.id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return k, birge.ErrNotFound
	case err != nil:
		return k, err
	case !sees(a, k):
		return birge.Case{}, birge.ErrNotFound
	case !a.Can(perm, k.OrgID, k.CenterID):
		return birge.Case{}, birge.ErrForbidden
	}
	return k, cases.family(ctx, c, &k)
}

// family reads a case's partners and children, as families does.
func (cases *Cases) family(ctx context.Context, c q, k *birge.Case) error {
	one := []birge.Case{*k}
	if err := cases.families(ctx, c, one); err != nil {
		return err
	}
	*k = one[0]
	return nil
}

// CaseFilter narrows a list of cases.
type CaseFilter struct {
	CenterID int64
	Status   string
	After    int64 // page: cases with id > After
	Limit    int   // 0: all
}

// casesWhere is who sees which cases (alias k), as sees says. One who may see no case
// anywhere is refused rather than shown nothing.
func casesWhere(a *birge.Actor) (where, error) {
	view := a.ScopeOf(birge.PermCaseView)
	if view.Empty() {
		return where{}, birge.ErrForbidden
	}
	all, own := where{}, where{}
	all.scope("k.org_id", "k.center_id", a.ScopeOf(birge.PermCaseManage))
	own.scope("k.org_id", "k.center_id", view)
	own.add("(k.psychologist_id = ? OR k.mediator_id = ?)", a.UserID, a.UserID)
	allSQL := "1 = 1"
	if len(all.conds) > 0 {
		allSQL = all.conds[0]
	}
	return where{conds: []string{"(" + allSQL + " OR (" + strings.Join(own.conds, " AND ") + "))"},
		args: append(all.args, own.args...)}, nil
}

// List returns the cases the actor may see, by id, each with its family.
func (cases *Cases) List(ctx context.Context, a *birge.Actor, f CaseFilter) ([]birge.Case, error) {
	w, err := casesWhere(a)
	if err != nil {
		return nil, err
	}
	if f.CenterID != 0 {
		w.add("k.center_id = ?", f.CenterID)
	}
	if f.Status != "" {
		w.add("k.status = ?", f.Status)
	}
	if f.After != 0 {
		w.add("k.id > ?", f.After)
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + itoa(f.Limit)
	}
	return cases.query(ctx, cases.s.read(), `SELECT `+caseColumns+` FROM cases k`+w.sql()+` ORDER BY k.id`+limit, w.args...)
}

func (cases *Cases) query(ctx context.Context, c q, query string, args ...any) ([]birge.Case, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out := []birge.Case{}
	for rows.Next() {
		k, err := scanCase(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, cases.families(ctx, c, out)
}

// families reads the partners and children of many cases a thousand at a query, in the
// order given: a page of the list is two queries, not two for each case.
func (cases *Cases) families(ctx context.Context, c q, list []birge.Case) error {
	for len(list) > 1000 {
		if err := cases.families(ctx, c, list[:1000]); err != nil {
			return err
		}
		list = list[1000:]
	}
	if len(list) == 0 {
		return nil
	}
	at := map[int64]*birge.Case{}
	args := make([]any, len(list))
	for i := range list {
		list[i].PartnerIDs, list[i].ChildIDs, list[i].ScreenedIDs = []int64{}, []int64{}, []int64{}
		at[list[i].ID], args[i] = &list[i], list[i].ID
	}
	// A partner is screened in this case when a screening of hers is (screenings stay with
	// the record that was screened: after a merge the kept record is screened again).
	rows, err := c.query(ctx, `SELECT f.case_id, f.person_id, f.role,
		EXISTS (SELECT 1 FROM screenings x WHERE x.case_id = f.case_id AND x.person_id = f.person_id)
		FROM case_people f WHERE f.case_id IN (`+placeholders(len(args))+`) ORDER BY f.case_id, f.position, f.id`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var caseID, person int64
		var role string
		var screened bool
		if err := rows.Scan(&caseID, &person, &role, &screened); err != nil {
			return err
		}
		if k := at[caseID]; role == "partner" {
			k.PartnerIDs = append(k.PartnerIDs, person)
			if screened {
				k.ScreenedIDs = append(k.ScreenedIDs, person)
			}
		} else {
			k.ChildIDs = append(k.ChildIDs, person)
		}
	}
	return rows.Err()
}

// ofPerson is every case she is part of, for her dossier: without what the screenings
// found (the risk, the flag, its lifting and review, who was screened), which may come
// from the other partner's answers and never reaches her record or an export
// (decision 0024).
func (cases *Cases) ofPerson(ctx context.Context, id int64) ([]birge.Case, error) {
	list, err := cases.query(ctx, cases.s.read(), `SELECT `+caseColumns+` FROM cases k
		WHERE k.id IN (SELECT case_id FROM case_people WHERE person_id = ?) ORDER BY k.intake_date, k.id`, id)
	for i := range list {
		k := &list[i]
		k.Risk, k.Flagged, k.Override, k.ReviewedBy, k.NeedsReview, k.ScreenedIDs = "", false, nil, 0, false, []int64{}
	}
	return list, err
}

// caseTimeline is her timeline's source of cases: one event for each case she is part
// of, when it was opened and by whom, to those who see the case; by her row in
// case_people.
func caseTimeline(s *Store, ctx context.Context, a *birge.Actor, p personRow, before int64, limit int) ([]TimelineEvent, error) {
	if before == 0 {
		before = 1<<63 - 1
	}
	rows, err := s.read().query(ctx, `SELECT f.id, `+caseColumns+`, COALESCE(u.name, '') FROM case_people f
		JOIN cases k ON k.id = f.case_id LEFT JOIN users u ON u.id = k.created_by
		WHERE f.person_id = ? AND f.id < ? ORDER BY f.id DESC`, p.ID, before)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TimelineEvent
	for rows.Next() && len(out) < limit {
		var pos int64
		var e TimelineEvent
		k, err := scanCase(scanWith(rows, &pos, &e.Actor))
		if err != nil {
			return nil, err
		}
		if !sees(a, k) {
			continue
		}
		e.At, e.Kind, e.source, e.pos = k.CreatedAt, "case", "case", pos
		out = append(out, e)
	}
	return out, rows.Err()
}

// scanWith scans a row whose first column is first and last column is last around what
// the scanner given it reads.
func scanWith(row interface{ Scan(...any) error }, first, last any) interface{ Scan(...any) error } {
	return scanFunc(func(dest ...any) error {
		return row.Scan(append(append([]any{first}, dest...), last)...)
	})
}

type scanFunc func(...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// WorkerNames names the workers of cases, for their pages.
func (cases *Cases) WorkerNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return cases.s.userNames(ctx, ids)
}
