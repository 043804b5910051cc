package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Referrals is the store's view for people referred from a centre to another Birge
// centre or to an outside service of the organisation's directory (issue 11, decision
// 0026).
//
// Who sees which: the sending side — whoever manages cases at the sending centre, and
// the worker who made it — sees all of it. The receiving side — whoever manages cases at
// the receiving Birge centre — sees only what it carries (her name, the contact, the
// note, who sent it): not her record number, not the case. A referral to another Birge
// centre needs her active consent to "referral".
type Referrals struct{ s *Store }

const referralColumns = `r.id, r.org_id, r.from_center_id, r.person_id, r.case_id, r.to_center_id, r.service_id,
	r.name, r.contact, r.note, r.status, r.follow_up_on, r.chosen_by_her, r.created_by, r.created_at, r.updated_at,
	COALESCE(tc.org_id, 0)`

const referralFrom = ` FROM referrals r LEFT JOIN centers tc ON tc.id = r.to_center_id`

// referralRow is a referral with the organisation of its receiving centre.
type referralRow struct {
	birge.Referral
	toOrg int64
}

func scanReferral(row interface{ Scan(...any) error }) (referralRow, error) {
	var r referralRow
	var caseID, to, service, by sql.NullInt64
	err := row.Scan(&r.ID, &r.OrgID, &r.FromCenter, &r.PersonID, &caseID, &to, &service, &r.Name, &r.Contact,
		&r.Note, &r.Status, &r.FollowUpOn, &r.ChosenByHer, &by, &r.CreatedAt, &r.UpdatedAt, &r.toOrg)
	r.CaseID, r.ToCenterID, r.ServiceID, r.CreatedBy = caseID.Int64, to.Int64, service.Int64, by.Int64
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return r, err
}

// sends reports whether the actor is on the sending side of a referral.
func sends(a *birge.Actor, r referralRow) bool {
	return a.Can(birge.PermCaseManage, r.OrgID, r.FromCenter) ||
		(a.Can(birge.PermCaseView, r.OrgID, r.FromCenter) && a.UserID != 0 && r.CreatedBy == a.UserID)
}

// receives reports whether the actor manages cases at the referral's receiving centre.
func receives(a *birge.Actor, r referralRow) bool {
	return r.ToCenterID != 0 && a.Can(birge.PermCaseManage, r.toOrg, r.ToCenterID)
}

// seen is the referral as the actor may see it: whole to the sending side, only what it
// carries to the receiving side; ok is false for anyone else.
func seen(a *birge.Actor, r referralRow) (birge.Referral, bool) {
	switch {
	case sends(a, r):
		return r.Referral, true
	case receives(a, r):
		out := r.Referral
		out.PersonID, out.CaseID, out.CreatedBy = 0, 0, 0
		return out, true
	}
	return birge.Referral{}, false
}

// scopeSQL is a condition limiting rows to a scope, as where.scope writes it.
func scopeSQL(orgCol, centerCol string, s birge.Scope) (string, []any) {
	if s.All {
		return "1 = 1", nil
	}
	w := where{}
	w.scope(orgCol, centerCol, s)
	return w.conds[0], w.args
}

// referralsWhere is who sees which referrals, as sends and receives say. One who may see
// no case anywhere is refused rather than shown nothing.
func referralsWhere(a *birge.Actor) (where, error) {
	view := a.ScopeOf(birge.PermCaseView)
	if view.Empty() {
		return where{}, birge.ErrForbidden
	}
	manage := a.ScopeOf(birge.PermCaseManage)
	sent, sentArgs := scopeSQL("r.org_id", "r.from_center_id", manage)
	own, ownArgs := scopeSQL("r.org_id", "r.from_center_id", view)
	got, gotArgs := scopeSQL("tc.org_id", "r.to_center_id", manage)
	args := append(append(append(sentArgs, ownArgs...), a.UserID), gotArgs...)
	return where{conds: []string{"(" + sent + " OR (" + own + " AND r.created_by = ?) OR (r.to_center_id IS NOT NULL AND " +
		got + "))"}, args: args}, nil
}

// ReferralFilter narrows a list of referrals.
type ReferralFilter struct {
	Overdue  bool  // only those whose follow-up day has passed, still open, that the actor sent
	PersonID int64 // only hers (the sending side's)
	CaseID   int64 // only those made from the case
	After    int64 // page: referrals with id > After
	Limit    int   // 0: all
}

// List returns the referrals the actor sees, by id, each as she may see it.
func (refs *Referrals) List(ctx context.Context, a *birge.Actor, f ReferralFilter) ([]birge.Referral, error) {
	w, err := referralsWhere(a)
	if err != nil {
		return nil, err
	}
	if f.Overdue {
		w.add("r.status IN (?, ?) AND r.follow_up_on <> '' AND r.follow_up_on < ?", birge.ReferralSent,
			birge.ReferralAccepted, a.Today(refs.s.now()).Format(time.DateOnly))
	}
	if f.PersonID != 0 {
		w.add("r.person_id = ?", f.PersonID)
	}
	if f.CaseID != 0 {
		w.add("r.case_id = ?", f.CaseID)
	}
	if f.After != 0 {
		w.add("r.id > ?", f.After)
	}
	rows, err := refs.s.read().query(ctx, `SELECT `+referralColumns+referralFrom+w.sql()+` ORDER BY r.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Referral{}
	for rows.Next() && (f.Limit == 0 || len(out) < f.Limit) {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, err
		}
		v, ok := seen(a, r)
		// The overdue list is the sender's: she follows up what she sent. A filter by
		// person or case is the sender's too: the receiving side does not know them.
		if !ok || ((f.Overdue || f.PersonID != 0 || f.CaseID != 0) && !sends(a, r)) {
			continue
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Get returns one referral as the actor may see it, or ErrNotFound.
func (refs *Referrals) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Referral, error) {
	r, err := refs.get(ctx, refs.s.read(), id)
	if err != nil {
		return birge.Referral{}, err
	}
	v, ok := seen(a, r)
	if !ok {
		return birge.Referral{}, birge.ErrNotFound
	}
	return v, nil
}

func (refs *Referrals) get(ctx context.Context, c q, id int64) (referralRow, error) {
	r, err := scanReferral(c.row(ctx, `SELECT `+referralColumns+referralFrom+` WHERE r.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, birge.ErrNotFound
	}
	return r, err
}

// MaySend reports whether the actor may refer people from a centre.
func (refs *Referrals) MaySend(a *birge.Actor, orgID, centerID int64) bool {
	return a.Can(birge.PermCaseView, orgID, centerID)
}

// referralFields are what an entry about a referral records; person_id names whose key
// seals it.
func referralFields(r birge.Referral) map[string]any {
	return map[string]any{"person_id": r.PersonID, "case_id": r.CaseID, "from_center_id": r.FromCenter,
		"to_center_id": r.ToCenterID, "service_id": r.ServiceID, "contact": r.Contact, "note": r.Note,
		"status": r.Status, "follow_up_on": r.FollowUpOn, "chosen_by_her": r.ChosenByHer}
}

// Create refers a person: from a case the actor sees (she must be one of its people),
// or from her record (the actor must see cases at her centre). To another Birge centre
// only with her active consent to referral; to a service of the sending organisation's
// directory. The referral carries her name as her record has it.
func (refs *Referrals) Create(ctx context.Context, a *birge.Actor, r birge.Referral) (birge.Referral, error) {
	s := refs.s
	var out birge.Referral
	err := s.tx(ctx, func(c q) error {
		if r.CaseID != 0 {
			k, err := s.Cases.get(ctx, c, a, birge.PermCaseView, r.CaseID)
			if errors.Is(err, birge.ErrNotFound) {
				return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"case_id": "field.choose"}}
			}
			if err != nil {
				return err
			}
			if k.Status == birge.CaseClosed {
				return &birge.Error{Kind: birge.KindConflict, Key: "case.closed"}
			}
			if !containsID(k.PartnerIDs, r.PersonID) && !containsID(k.ChildIDs, r.PersonID) {
				return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"person_id": "field.choose"}}
			}
			r.OrgID, r.FromCenter = k.OrgID, k.CenterID
		}
		her, err := s.People.visiblePerson(ctx, c, a, r.PersonID)
		if errors.Is(err, birge.ErrNotFound) {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"person_id": "field.choose"}}
		}
		if err != nil {
			return err
		}
		if r.CaseID == 0 {
			r.OrgID, r.FromCenter = her.OrgID, her.CenterID
		}
		if !refs.MaySend(a, r.OrgID, r.FromCenter) {
			return birge.ErrForbidden
		}
		pr := birge.Problems{}
		var e *birge.Error
		if verr := r.ValidateNew(a.Today(s.now())); errors.As(verr, &e) {
			pr = e.Fields
		} else if verr != nil {
			return verr
		}
		if err := refs.checkDestination(ctx, c, a, r, pr); err != nil {
			return err
		}
		if err := pr.Err(); err != nil {
			return err
		}
		now := s.now()
		r.Name, r.Status, r.CreatedBy, r.CreatedAt, r.UpdatedAt = her.FullName(), birge.ReferralSent, a.UserID, now, now
		if err := c.row(ctx, `INSERT INTO referrals (org_id, from_center_id, person_id, case_id, to_center_id, service_id,
			name, contact, note, status, follow_up_on, chosen_by_her, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, r.OrgID, r.FromCenter, r.PersonID,
			nullID(r.CaseID), nullID(r.ToCenterID), nullID(r.ServiceID), r.Name, r.Contact, r.Note, r.Status,
			r.FollowUpOn, r.ChosenByHer, nullID(a.UserID), now, now).Scan(&r.ID); err != nil {
			return err
		}
		out = r
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityReferral, entityID: r.ID,
			orgID: r.OrgID, centerID: r.FromCenter, changes: birge.Diff(nil, referralFields(r))})
	})
	return out, err
}

// checkDestination adds to pr what is wrong with where a referral goes: a Birge centre
// that exists, other than the sender's, and her active consent to referral; or a
// service of the sending organisation's directory, not retired.
func (refs *Referrals) checkDestination(ctx context.Context, c q, a *birge.Actor, r birge.Referral, pr birge.Problems) error {
	if r.ToCenterID != 0 {
		var n int
		if err := c.row(ctx, `SELECT COUNT(*) FROM centers WHERE id = ?`, r.ToCenterID).Scan(&n); err != nil {
			return err
		}
		switch {
		case n == 0:
			pr.Add("to_center_id", "field.choose")
		case r.ToCenterID == r.FromCenter:
			pr.Add("to_center_id", "referral.same_center")
		}
		if err := c.row(ctx, `SELECT COUNT(*) FROM consents WHERE person_id = ? AND purpose = 'referral'
			AND withdrawn_on = '' AND given_on <= ?`, r.PersonID,
			a.Today(refs.s.now()).Format(time.DateOnly)).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			pr.Add("to_center_id", "referral.no_consent")
		}
	}
	if r.ServiceID != 0 {
		var n int
		if err := c.row(ctx, `SELECT COUNT(*) FROM services WHERE id = ? AND org_id = ? AND NOT retired`,
			r.ServiceID, r.OrgID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			pr.Add("service_id", "field.choose")
		}
	}
	return nil
}

// Update saves a referral as given, made on version r.UpdatedAt. The sending side may
// change its contact, note and follow-up day while it is open; its status moves only
// along sent → accepted → completed, or to declined, and only by the side that decides:
// the receiving centre's case managers for a Birge centre, the sending side for an
// outside service (which is not in Birge to answer).
func (refs *Referrals) Update(ctx context.Context, a *birge.Actor, r birge.Referral) (birge.Referral, error) {
	s := refs.s
	var out birge.Referral
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "referrals", r.ID); err != nil {
			return err
		}
		old, err := refs.get(ctx, c, r.ID)
		if err != nil {
			return err
		}
		cur, ok := seen(a, old)
		if !ok {
			return birge.ErrNotFound
		}
		if err := sameVersion(r.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		next := old.Referral
		pr := birge.Problems{}
		if r.Contact != cur.Contact || r.Note != cur.Note || r.FollowUpOn != cur.FollowUpOn {
			switch {
			case !sends(a, old):
				return birge.ErrForbidden
			case !old.Open():
				return &birge.Error{Kind: birge.KindConflict, Key: "referral.closed"}
			}
			next.Contact, next.Note, next.FollowUpOn = r.Contact, r.Note, r.FollowUpOn
			var e *birge.Error
			if verr := next.Validate(); errors.As(verr, &e) {
				pr = e.Fields
			} else if verr != nil {
				return verr
			}
		}
		if r.Status != old.Status {
			decides := receives(a, old)
			if old.ToCenterID == 0 {
				decides = sends(a, old)
			}
			switch {
			case !decides:
				return birge.ErrForbidden
			case !birge.ReferralMove(old.Status, r.Status):
				pr.Add("status", "referral.status_move")
			}
			next.Status = r.Status
		}
		if err := pr.Err(); err != nil {
			return err
		}
		changes := birge.Diff(referralFields(old.Referral), referralFields(next))
		if len(changes) == 0 {
			out = cur
			return nil
		}
		next.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		if _, err := c.exec(ctx, `UPDATE referrals SET contact = ?, note = ?, follow_up_on = ?, status = ?, updated_at = ?
			WHERE id = ?`, next.Contact, next.Note, next.FollowUpOn, next.Status, next.UpdatedAt, next.ID); err != nil {
			return err
		}
		// Her id stays in the entry, so that it is sealed with her key.
		changes["person_id"] = birge.Change{Before: old.PersonID, After: old.PersonID}
		out, _ = seen(a, referralRow{next, old.toOrg})
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityReferral, entityID: next.ID,
			orgID: next.OrgID, centerID: next.FromCenter, changes: changes})
	})
	return out, err
}

func containsID(list []int64, id int64) bool {
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}

// ofPerson is every referral of hers, for her dossier.
func (refs *Referrals) ofPerson(ctx context.Context, id int64) ([]birge.Referral, error) {
	rows, err := refs.s.read().query(ctx, `SELECT `+referralColumns+referralFrom+` WHERE r.person_id = ? ORDER BY r.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Referral{}
	for rows.Next() {
		r, err := scanReferral(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r.Referral)
	}
	return out, rows.Err()
}

// referralTimeline is her timeline's source of referrals: one event for each referral
// of hers, when it was made and by whom, to the sending side.
func referralTimeline(s *Store, ctx context.Context, a *birge.Actor, p personRow, before int64, limit int) ([]TimelineEvent, error) {
	if before == 0 {
		before = 1<<63 - 1
	}
	rows, err := s.read().query(ctx, `SELECT `+referralColumns+`, COALESCE(u.name, '')`+referralFrom+`
		LEFT JOIN users u ON u.id = r.created_by WHERE r.person_id = ? AND r.id < ? ORDER BY r.id DESC`, p.ID, before)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TimelineEvent
	for rows.Next() && len(out) < limit {
		var e TimelineEvent
		r, err := scanReferral(scanFunc(func(dest ...any) error { return rows.Scan(append(dest, &e.Actor)...) }))
		if err != nil {
			return nil, err
		}
		if !sends(a, r) {
			continue
		}
		e.At, e.Kind, e.source, e.pos = r.CreatedAt, "referral", "referral", r.ID
		out = append(out, e)
	}
	return out, rows.Err()
}

// Destinations are every centre of the installation, in any organisation, that a
// referral may go to: their names only, to those who may refer people anywhere.
func (refs *Referrals) Destinations(ctx context.Context, a *birge.Actor) ([]birge.Center, error) {
	if a.ScopeOf(birge.PermCaseView).Empty() {
		return nil, birge.ErrForbidden
	}
	rows, err := refs.s.read().query(ctx, `SELECT id, org_id, name_kk, name_ru, name_ky, name_en FROM centers ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []birge.Center
	for rows.Next() {
		var c birge.Center
		if err := rows.Scan(&c.ID, &c.OrgID, &c.Names.KK, &c.Names.RU, &c.Names.KY, &c.Names.EN); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ReferralSide says which side of a referral the actor is on: whether she sent it (and
// may change it), and whether she decides its status.
type ReferralSide struct{ Sends, Decides bool }

// Side tells the actor's side of a referral she sees.
func (refs *Referrals) Side(ctx context.Context, a *birge.Actor, id int64) (ReferralSide, error) {
	r, err := refs.get(ctx, refs.s.read(), id)
	if err != nil {
		return ReferralSide{}, err
	}
	side := ReferralSide{Sends: sends(a, r), Decides: receives(a, r)}
	if r.ToCenterID == 0 {
		side.Decides = side.Sends
	}
	return side, nil
}

// CenterNames names the centres referrals came from and went to, for the pages that
// show a referral to one who sees it (her dossier among them).
func (refs *Referrals) CenterNames(ctx context.Context, ids []int64) (map[int64]birge.Names, error) {
	out := map[int64]birge.Names{}
	for _, id := range ids {
		if _, ok := out[id]; ok || id == 0 {
			continue
		}
		var n birge.Names
		err := refs.s.read().row(ctx, `SELECT name_kk, name_ru, name_ky, name_en FROM centers WHERE id = ?`, id).
			Scan(&n.KK, &n.RU, &n.KY, &n.EN)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		out[id] = n
	}
	return out, nil
}
