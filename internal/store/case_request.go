package store

import (
	"context"
	"crypto/cipher"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// CaseRequests is the store's view for requests for a consultation sent from the public
// site (issue 11, decision 0028). Anyone may send one, to an office that offers the form;
// those who manage the office's cases (case.manage: its coordinator, the administrators)
// see them, take one in as a case or decline it; no one else sees any.
type CaseRequests struct{ s *Store }

// requestText is what she wrote, sealed as one value: with the installation's key while
// the request waits, with her own key once she is taken in (so that anonymising her
// erases it), and erased when the request is declined.
type requestText struct {
	Name            string   `json:"name"`
	Phone           string   `json:"phone"`
	Contact         string   `json:"contact"`
	CallTimes       string   `json:"call_times"`
	MayLeaveMessage bool     `json:"may_leave_message"`
	Reasons         []string `json:"reasons"`
	Message         string   `json:"message"`
}

// officesWhere are the centres that offer the form: those where someone, not disabled,
// holds the coordinator role, granted at the centre or across its organisation. An
// office with no coordinator has no one to answer a request, so it is not offered.
const officesWhere = ` WHERE id IN (SELECT c.id FROM centers c JOIN grants g ON g.org_id = c.org_id
	AND (g.center_id IS NULL OR g.center_id = c.id) JOIN users u ON u.id = g.user_id
	WHERE g.role = 'coordinator' AND NOT u.disabled)`

// Offices lists the centres that offer the public request form.
func (cr *CaseRequests) Offices(ctx context.Context) ([]birge.Center, error) {
	return cr.s.listCenters(ctx, where{conds: []string{strings.TrimPrefix(officesWhere, " WHERE ")}}, CenterFilter{})
}

// Office returns a centre that offers the form, and its organisation's reasons still in
// use, or ErrNotFound.
func (cr *CaseRequests) Office(ctx context.Context, centerID int64) (birge.Center, birge.KindList, error) {
	c := cr.s.read()
	var offered bool
	if err := c.row(ctx, `SELECT COUNT(*) > 0 FROM centers`+officesWhere+` AND id = ?`, centerID).Scan(&offered); err != nil {
		return birge.Center{}, nil, err
	}
	if !offered {
		return birge.Center{}, nil, birge.ErrNotFound
	}
	ctr, err := cr.s.getCenter(ctx, c, centerID)
	if err != nil {
		return ctr, nil, err
	}
	reasons, err := caseReasons.list(ctx, c, ctr.OrgID)
	return ctr, reasons, err
}

// requestKey counts the requests sent from an address, in the sign-in throttle's table.
func requestKey(ip string) string { return "request:" + birge.ThrottleAddress(ip) }

// Submit saves a request sent from the address ip, unless the address has sent too many
// (birge.RequestWait). A request a robot filled in (bot: the form's hidden field was
// filled) counts against its address and is dropped without a word, so the robot
// learns nothing.
func (cr *CaseRequests) Submit(ctx context.Context, ip string, r birge.CaseRequest, bot bool) error {
	s := cr.s
	key := requestKey(ip)
	if err := s.throttled(ctx, key); err != nil {
		return err
	}
	if bot {
		return s.tx(ctx, func(c q) error { return s.bumpThrottle(ctx, c, key) })
	}
	ctr, reasons, err := cr.Office(ctx, r.CenterID)
	if errors.Is(err, birge.ErrNotFound) {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.choose"}}
	}
	if err != nil {
		return err
	}
	if !birge.ValidLang(r.Lang) {
		r.Lang = "ru"
	}
	if err := r.Validate(ctr.Country, reasons); err != nil {
		return err
	}
	plain, err := json.Marshal(textOf(r))
	if err != nil {
		return err
	}
	return s.tx(ctx, func(c q) error {
		if err := s.takeTurn(ctx, c, key); err != nil {
			return err
		}
		var id int64
		if err := c.row(ctx, `INSERT INTO case_requests (org_id, center_id, lang, sealed, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, ctr.OrgID, ctr.ID, r.Lang, s.seal.seal(string(plain)),
			birge.RequestNew, s.now()).Scan(&id); err != nil {
			return err
		}
		// The entry names the office alone: who she is waits sealed in the request.
		return s.audit(ctx, c, birge.System("public request form"), event{action: birge.ActionCreate,
			entity: birge.EntityCaseRequest, entityID: id, orgID: ctr.OrgID, centerID: ctr.ID,
			changes: birge.Diff(nil, map[string]any{"center_id": ctr.ID, "status": birge.RequestNew})})
	})
}

func textOf(r birge.CaseRequest) requestText {
	return requestText{Name: r.Name, Phone: r.Phone, Contact: r.Contact, CallTimes: r.CallTimes,
		MayLeaveMessage: r.MayLeaveMessage, Reasons: r.Reasons, Message: r.Message}
}

const requestColumns = `r.id, r.org_id, r.center_id, r.lang, r.sealed, r.status, r.case_id, r.key_person_id,
	r.decided_by, r.decided_at, r.created_at`

// scanRequest reads a request's row; its text is still sealed (returned apart).
func scanRequest(row interface{ Scan(...any) error }) (birge.CaseRequest, string, error) {
	var r birge.CaseRequest
	var sealed string
	var caseID, person, by sql.NullInt64
	var at sql.NullTime
	err := row.Scan(&r.ID, &r.OrgID, &r.CenterID, &r.Lang, &sealed, &r.Status, &caseID, &person, &by, &at, &r.CreatedAt)
	r.CaseID, r.PersonID, r.DecidedBy = caseID.Int64, person.Int64, by.Int64
	if at.Valid {
		t := at.Time.UTC()
		r.DecidedAt = &t
	}
	r.CreatedAt = r.CreatedAt.UTC()
	r.Reasons = []string{}
	return r, sealed, err
}

// open fills a request with what she wrote: nothing once it was declined, or once she
// was anonymised and her key is gone.
func (cr *CaseRequests) open(ctx context.Context, c q, r *birge.CaseRequest, sealed string) error {
	if sealed == "" {
		return nil
	}
	var aead cipher.AEAD = cr.s.seal.aead
	if r.PersonID != 0 {
		var err error
		if aead, err = cr.s.loadPersonKey(ctx, c, r.PersonID); err != nil || aead == nil {
			return err
		}
	}
	plain, err := openWith(aead, sealed)
	if err != nil {
		return err
	}
	var t requestText
	if err := json.Unmarshal([]byte(plain), &t); err != nil {
		return err
	}
	r.Name, r.Phone, r.Contact, r.CallTimes, r.MayLeaveMessage, r.Message =
		t.Name, t.Phone, t.Contact, t.CallTimes, t.MayLeaveMessage, t.Message
	if t.Reasons != nil {
		r.Reasons = t.Reasons
	}
	return nil
}

// RequestFilter narrows a list of requests.
type RequestFilter struct {
	CenterID int64
	Status   string // "": every status
	After    int64
	Limit    int
}

// List returns the requests of the offices where the actor manages cases, by id, with
// what she wrote. One who manages cases nowhere is refused.
func (cr *CaseRequests) List(ctx context.Context, a *birge.Actor, f RequestFilter) ([]birge.CaseRequest, error) {
	scope := a.ScopeOf(birge.PermCaseManage)
	if scope.Empty() {
		return nil, birge.ErrForbidden
	}
	w := where{}
	w.scope("r.org_id", "r.center_id", scope)
	if f.CenterID != 0 {
		w.add("r.center_id = ?", f.CenterID)
	}
	if f.Status != "" {
		w.add("r.status = ?", f.Status)
	}
	if f.After != 0 {
		w.add("r.id > ?", f.After)
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + itoa(f.Limit)
	}
	return cr.query(ctx, cr.s.read(), `SELECT `+requestColumns+` FROM case_requests r`+w.sql()+` ORDER BY r.id`+limit, w.args...)
}

// CountNew counts the requests waiting at the offices where the actor manages cases,
// without opening them.
func (cr *CaseRequests) CountNew(ctx context.Context, a *birge.Actor) (int, error) {
	scope := a.ScopeOf(birge.PermCaseManage)
	if scope.Empty() {
		return 0, birge.ErrForbidden
	}
	w := where{}
	w.scope("r.org_id", "r.center_id", scope)
	w.add("r.status = ?", birge.RequestNew)
	var n int
	err := cr.s.read().row(ctx, `SELECT COUNT(*) FROM case_requests r`+w.sql(), w.args...).Scan(&n)
	return n, err
}

// query reads requests and opens what she wrote in each.
func (cr *CaseRequests) query(ctx context.Context, c q, query string, args ...any) ([]birge.CaseRequest, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	out, sealed := []birge.CaseRequest{}, []string{}
	for rows.Next() {
		r, text, err := scanRequest(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out, sealed = append(out, r), append(sealed, text)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := cr.open(ctx, c, &out[i], sealed[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Get returns one request to those who manage its office's cases; to anyone else it is
// not there.
func (cr *CaseRequests) Get(ctx context.Context, a *birge.Actor, id int64) (birge.CaseRequest, error) {
	return cr.get(ctx, cr.s.read(), a, id)
}

func (cr *CaseRequests) get(ctx context.Context, c q, a *birge.Actor, id int64) (birge.CaseRequest, error) {
	r, sealed, err := scanRequest(c.row(ctx, `SELECT `+requestColumns+` FROM case_requests r WHERE r.id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return r, birge.ErrNotFound
	case err != nil:
		return r, err
	case !a.Can(birge.PermCaseManage, r.OrgID, r.CenterID):
		return birge.CaseRequest{}, birge.ErrNotFound
	}
	return r, cr.open(ctx, c, &r, sealed)
}

// Acceptance is how a request is taken in: as an existing person of the registry
// (PersonID, one the registry's duplicate check found), or as a new one (Person, from
// her name and phone as the coordinator wrote them down); and the case's reasons (those
// she chose, when left empty, or "other" when she chose none).
type Acceptance struct {
	PersonID int64
	Person   birge.Person
	Reasons  []string
}

// Accept takes a request in: registers her (or takes the person chosen), opens a case at
// the office with her as its partner, on the day she asked, as having come by herself,
// and marks the request accepted; all in one transaction. What she wrote is sealed
// again with her own key.
func (cr *CaseRequests) Accept(ctx context.Context, a *birge.Actor, id int64, how Acceptance) (birge.Case, error) {
	s := cr.s
	var out birge.Case
	err := s.People.txPerson(ctx, func(c q) error {
		if err := lockRow(ctx, c, "case_requests", id); err != nil {
			return err
		}
		r, err := cr.get(ctx, c, a, id)
		if err != nil {
			return err
		}
		if r.Status != birge.RequestNew {
			return &birge.Error{Kind: birge.KindConflict, Key: "request.decided"}
		}
		personID := how.PersonID
		if personID == 0 {
			p := how.Person
			p.ID, p.CenterID = 0, r.CenterID
			p.MayCall = r.Contact == birge.ContactCall
			p.CallTimes, p.MayLeaveMessage = r.CallTimes, r.MayLeaveMessage
			p.CreatedAt = s.now()
			p.UpdatedAt = p.CreatedAt
			if p, err = s.People.create(ctx, c, a, p); err != nil {
				return err
			}
			personID = p.ID
		}
		reasons := how.Reasons
		if len(reasons) == 0 {
			reasons = r.Reasons
		}
		if len(reasons) == 0 {
			reasons = []string{"other"}
		}
		if out, err = s.Cases.create(ctx, c, a, birge.Case{CenterID: r.CenterID, PartnerIDs: []int64{personID},
			IntakeDate: birge.Day(r.CreatedAt, a.Location()).Format(time.DateOnly), Reasons: reasons,
			CameFrom: "self", Status: birge.CaseIntake}); err != nil {
			return err
		}
		// Her key exists now: the case's entry, sealed with it, made it.
		aead, err := s.personKey(ctx, c, personID)
		if err != nil {
			return err
		}
		plain, err := json.Marshal(textOf(r))
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE case_requests SET status = ?, case_id = ?, key_person_id = ?, sealed = ?,
			decided_by = ?, decided_at = ? WHERE id = ?`, birge.RequestAccepted, out.ID, personID,
			sealWith(aead, string(plain)), nullID(a.UserID), s.now(), r.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCaseRequest, entityID: r.ID,
			orgID: r.OrgID, centerID: r.CenterID, changes: map[string]birge.Change{
				"person_id": {After: personID}, "case_id": {After: out.ID},
				"status": {Before: birge.RequestNew, After: birge.RequestAccepted}}})
	})
	if err != nil {
		return birge.Case{}, err
	}
	return out, nil
}

// Decline closes a request without a case, and erases what she wrote: a request no one
// takes up is no reason to keep a survivor's words. The office and the day stay, for
// the counts.
func (cr *CaseRequests) Decline(ctx context.Context, a *birge.Actor, id int64) (birge.CaseRequest, error) {
	s := cr.s
	var out birge.CaseRequest
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "case_requests", id); err != nil {
			return err
		}
		r, err := cr.get(ctx, c, a, id)
		if err != nil {
			return err
		}
		if r.Status != birge.RequestNew {
			return &birge.Error{Kind: birge.KindConflict, Key: "request.decided"}
		}
		if _, err := c.exec(ctx, `UPDATE case_requests SET status = ?, sealed = '', decided_by = ?, decided_at = ?
			WHERE id = ?`, birge.RequestDeclined, nullID(a.UserID), s.now(), r.ID); err != nil {
			return err
		}
		if out, err = cr.get(ctx, c, a, id); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCaseRequest, entityID: r.ID,
			orgID: r.OrgID, centerID: r.CenterID, changes: map[string]birge.Change{
				"status": {Before: birge.RequestNew, After: birge.RequestDeclined}}})
	})
	return out, err
}

// ofPerson is every request she was taken in from, with what she wrote, for her dossier.
func (cr *CaseRequests) ofPerson(ctx context.Context, id int64) ([]birge.CaseRequest, error) {
	return cr.query(ctx, cr.s.read(), `SELECT `+requestColumns+` FROM case_requests r WHERE r.key_person_id = ? ORDER BY r.id`, id)
}
