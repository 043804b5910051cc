package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
)

// The staff's side of applications: those who see an organisation's competitions
// (call.view) list and read its calls' submitted applications in full, download their
// files and, with call.manage, override the rules' answer with a written reason. A draft
// is hers alone until she submits it: staff see none. Reviewers read applications
// blind, through their own view (not here).

// ApplicationFilter narrows a call's list of applications.
type ApplicationFilter struct {
	Status string // "": every submitted one
	Region string
	After  int64 // page: applications with id > After
	Limit  int   // 0: all
}

// List returns a call's submitted applications, by id: their reference, status, the
// rules' reasons, region and when they came, nothing of who she is.
func (apps *Applications) List(ctx context.Context, a *birge.Actor, callID int64, f ApplicationFilter) ([]birge.Application, error) {
	c := apps.s.read()
	if _, err := apps.s.Calls.get(ctx, c, a, birge.PermCallView, callID); err != nil {
		return nil, err
	}
	w := where{}
	w.add("a.call_id = ?", callID)
	switch {
	case f.Status == "":
		w.add("a.status <> ?", birge.AppDraft)
	case f.Status == birge.AppDraft || !slices.Contains(birge.ApplicationStatuses, f.Status):
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"status": "field.choose"}}
	default:
		w.add("a.status = ?", f.Status)
	}
	if f.Region != "" {
		if _, ok := geo.LookupRegion(f.Region); !ok {
			return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"region": "field.choose"}}
		}
		w.add("a.region = ?", f.Region)
	}
	if f.After != 0 {
		w.add("a.id > ?", f.After)
	}
	lim := ""
	if f.Limit > 0 {
		lim = " LIMIT " + itoa(f.Limit)
	}
	rows, err := c.query(ctx, `SELECT `+appColumns+` FROM applications a JOIN calls c ON c.id = a.call_id`+w.sql()+
		` ORDER BY a.id`+lim, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Application{}
	for rows.Next() {
		r, err := scanApp(rows)
		if err != nil {
			return nil, err
		}
		r.Answers = map[string]any{}
		out = append(out, r.Application)
	}
	return out, rows.Err()
}

// staffGet loads a submitted application on whose call's organisation the actor holds
// perm: out of sight, or a draft, it is not found.
func (apps *Applications) staffGet(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (appRow, error) {
	r, err := scanApp(c.row(ctx, `SELECT `+appColumns+` FROM applications a JOIN calls c ON c.id = a.call_id
		WHERE a.id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows) || err == nil && r.Status == birge.AppDraft:
		return appRow{}, birge.ErrNotFound
	case err != nil:
		return r, err
	}
	if _, err := apps.s.Calls.get(ctx, c, a, perm, r.CallID); err != nil {
		return appRow{}, err
	}
	return r, nil
}

// Get returns a submitted application in full to the call's staff: who she is, her
// answers, her files (without content) and the rules' answer. Reading it is reading her
// record: her access log says who did.
func (apps *Applications) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Application, error) {
	s := apps.s
	c := s.read()
	r, err := apps.staffGet(ctx, c, a, birge.PermCallView, id)
	if err != nil {
		return birge.Application{}, err
	}
	if err := apps.open(ctx, c, &r); err != nil {
		return birge.Application{}, err
	}
	if r.Applicant.Categories, err = apps.shownCategories(ctx, c, a, r); err != nil {
		return birge.Application{}, err
	}
	if r.Files, err = apps.files(ctx, c, r.ID); err != nil {
		return birge.Application{}, err
	}
	if r.PersonID != 0 {
		err = s.tx(ctx, func(c q) error {
			return s.People.logAccess(ctx, c, a, birge.Person{ID: r.PersonID, OrgID: r.orgID}, "application")
		})
	}
	return r.Application, err
}

// shownCategories are the categories she declared that the actor may read: a call may be
// for women of a sensitive category, and such a category is shown, as on her record, only
// to one who holds person.sensitive in the call's organisation (a code no longer on its
// list is taken for sensitive).
func (apps *Applications) shownCategories(ctx context.Context, c q, a *birge.Actor, r appRow) ([]string, error) {
	if a.CanIn(birge.PermPersonSensitive, r.orgID) {
		return r.Applicant.Categories, nil
	}
	list, err := apps.s.orgCategories(ctx, c, r.orgID)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(r.Applicant.Categories, func(code string) bool {
		k, ok := list.Lookup(code)
		return !ok || k.Sensitive
	}), nil
}

// File returns one of a submitted application's files, opened, to the call's staff, and
// writes it to her access log; ErrNotFound when it is not there (any more).
func (apps *Applications) File(ctx context.Context, a *birge.Actor, id, fileID int64) (birge.ApplicationFile, []byte, error) {
	s := apps.s
	c := s.read()
	r, err := apps.staffGet(ctx, c, a, birge.PermCallView, id)
	if err != nil {
		return birge.ApplicationFile{}, nil, err
	}
	f := birge.ApplicationFile{ID: fileID}
	var keyPerson sql.NullInt64
	var sealed []byte
	err = c.row(ctx, `SELECT field, name, type, size, key_person_id, content FROM application_files
		WHERE id = ? AND application_id = ?`, fileID, id).Scan(&f.Field, &f.Name, &f.Type, &f.Size, &keyPerson, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil, birge.ErrNotFound
	}
	if err != nil {
		return f, nil, err
	}
	aead, err := apps.aeadOf(ctx, c, keyPerson.Int64)
	if err != nil {
		return f, nil, err
	}
	if aead == nil {
		return f, nil, birge.ErrNotFound
	}
	content, err := openBytes(aead, sealed)
	if err != nil {
		return f, nil, err
	}
	err = s.tx(ctx, func(c q) error {
		return s.People.logAccess(ctx, c, a, birge.Person{ID: r.PersonID, OrgID: r.orgID}, "application_file")
	})
	return f, content, err
}

// Override sets a submitted application's eligibility against the rules' answer, with
// the officer's written reason (call.manage): eligible despite the reasons, or
// ineligible despite none. The reasons stay as the rules gave them; the change is
// audited, the reason sealed with her key. Only an application still at eligible or
// ineligible may be overridden: after that the review has moved it on.
func (apps *Applications) Override(ctx context.Context, a *birge.Actor, id int64, eligible bool, reason string) (birge.Application, error) {
	s := apps.s
	if key := birge.CheckText(reason, true, birge.MaxLong, true); key != "" {
		return birge.Application{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"reason": key}}
	}
	status := birge.AppIneligible
	if eligible {
		status = birge.AppEligible
	}
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "applications", id); err != nil {
			return err
		}
		r, err := apps.staffGet(ctx, c, a, birge.PermCallManage, id)
		if err != nil {
			return err
		}
		if r.Status != birge.AppEligible && r.Status != birge.AppIneligible {
			return &birge.Error{Kind: birge.KindConflict, Key: "application.decided"}
		}
		if _, err := c.exec(ctx, `UPDATE applications SET status = ?, override_reason = ?, overridden_by = ?, updated_at = ?
			WHERE id = ?`, status, reason, nullID(a.UserID), s.now(), id); err != nil {
			return err
		}
		changes := map[string]birge.Change{"person_id": {Before: r.PersonID, After: r.PersonID},
			"override_reason": {Before: nilIfEmpty(r.OverrideReason), After: reason}}
		if r.Status != status {
			changes["status"] = birge.Change{Before: r.Status, After: status}
		}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityApplication, entityID: id,
			orgID: r.orgID, changes: changes})
	})
	if err != nil {
		return birge.Application{}, err
	}
	return apps.Get(ctx, a, id)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ofPerson is every application of hers, as she sent it, for her dossier.
func (apps *Applications) ofPerson(ctx context.Context, id int64) ([]birge.Application, error) {
	c := apps.s.read()
	rows, err := c.query(ctx, `SELECT `+appColumns+` FROM applications a JOIN calls c ON c.id = a.call_id
		WHERE a.person_id = ? ORDER BY a.id`, id)
	if err != nil {
		return nil, err
	}
	var found []appRow
	for rows.Next() {
		r, err := scanApp(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		found = append(found, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []birge.Application{}
	for _, r := range found {
		if err := apps.open(ctx, c, &r); err != nil {
			return nil, err
		}
		if r.Files, err = apps.files(ctx, c, r.ID); err != nil {
			return nil, err
		}
		out = append(out, r.Application)
	}
	return out, nil
}
