package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// consents lists a person's consents, oldest first, with who recorded each.
func (s *Store) consents(ctx context.Context, personID int64) ([]birge.Consent, error) {
	rows, err := s.read().query(ctx, `SELECT c.id, c.purpose, c.channel, c.given_on, c.withdrawn_on,
		COALESCE((SELECT u.name FROM users u WHERE u.id = c.recorded_by), '')
		FROM consents c WHERE c.person_id = ?`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Consent{}
	for rows.Next() {
		var c birge.Consent
		if err := rows.Scan(&c.ID, &c.Purpose, &c.Channel, &c.GivenOn, &c.WithdrawnOn, &c.RecordedBy); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// addConsent records a consent in the caller's transaction.
func (s *Store) addConsent(ctx context.Context, c q, a *birge.Actor, personID int64, con birge.Consent) (birge.Consent, error) {
	if err := con.Validate(s.now()); err != nil {
		return con, err
	}
	err := c.row(ctx, `INSERT INTO consents (person_id, purpose, channel, given_on, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, personID, con.Purpose, con.Channel, con.GivenOn,
		nullID(a.UserID), s.now()).Scan(&con.ID)
	con.RecordedBy = a.Name
	return con, err
}

// AddConsent records a person's consent to one purpose.
func (s *Store) AddConsent(ctx context.Context, a *birge.Actor, personID int64, con birge.Consent) (birge.Consent, error) {
	err := s.tx(ctx, func(c q) error {
		p, err := s.managedPerson(ctx, c, a, personID)
		if err != nil {
			return err
		}
		if con, err = s.addConsent(ctx, c, a, personID, con); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: "consent", entity: "person", entityID: p.ID, orgID: p.OrgID,
			centerID: p.CenterID, changes: birge.Diff(nil, map[string]any{"purpose": con.Purpose,
				"channel": con.Channel, "given_on": con.GivenOn})})
	})
	return con, err
}

// WithdrawConsent records that a consent no longer holds, from the given day.
func (s *Store) WithdrawConsent(ctx context.Context, a *birge.Actor, personID, consentID int64, on string) error {
	if key := birge.CheckPastDate(on, s.now()); key != "" {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"withdrawn_on": key}}
	}
	return s.tx(ctx, func(c q) error {
		p, err := s.managedPerson(ctx, c, a, personID)
		if err != nil {
			return err
		}
		res, err := c.exec(ctx, `UPDATE consents SET withdrawn_on = ?, withdrawn_by = ?
			WHERE id = ? AND person_id = ? AND withdrawn_on = ''`, on, nullID(a.UserID), consentID, personID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return birge.ErrNotFound
		}
		return s.audit(ctx, c, a, event{action: "consent_withdrawn", entity: "person", entityID: p.ID,
			orgID: p.OrgID, centerID: p.CenterID, changes: birge.Diff(nil, map[string]any{"consent_id": consentID, "withdrawn_on": on})})
	})
}

// managedPerson loads a person the actor may edit: not found when out of sight,
// forbidden when only in sight.
func (s *Store) managedPerson(ctx context.Context, c q, a *birge.Actor, id int64) (personRow, error) {
	return s.personWith(ctx, c, a, id, birge.PermPersonManage)
}

// relations lists whom a person is linked to, with the names of those the actor may
// see; a relative out of sight is shown by kind only.
func (s *Store) relations(ctx context.Context, a *birge.Actor, personID int64) ([]birge.Relation, error) {
	rows, err := s.read().query(ctx, `SELECT r.id, r.person_id, r.other_id, r.kind FROM relations r
		WHERE r.person_id = ? OR r.other_id = ?`, personID, personID)
	if err != nil {
		return nil, err
	}
	var out []birge.Relation
	for rows.Next() {
		var rel birge.Relation
		var from, to int64
		if err := rows.Scan(&rel.ID, &from, &to, &rel.Kind); err != nil {
			rows.Close()
			return nil, err
		}
		rel.OtherID = to
		if to == personID { // stored from the other side: read it backwards
			rel.OtherID, rel.Kind = from, birge.RelationKinds[rel.Kind]
		}
		out = append(out, rel)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		other, err := s.visiblePerson(ctx, s.read(), a, out[i].OtherID)
		switch {
		case err == nil:
			out[i].Name = other.FullName()
		case errors.Is(err, birge.ErrNotFound):
			if out[i].Anonymised, err = s.anonymisedInSight(ctx, a, out[i].OtherID); err != nil {
				return nil, err
			}
			if !out[i].Anonymised {
				out[i].OtherID = 0
			}
		default:
			return nil, err
		}
	}
	return out, nil
}

// anonymisedInSight reports whether a person the actor could see has been anonymised: the
// relation stays, shown by kind and number, without a name.
func (s *Store) anonymisedInSight(ctx context.Context, a *birge.Actor, id int64) (bool, error) {
	var org, center int64
	err := s.read().row(ctx, `SELECT org_id, center_id FROM people WHERE id = ? AND anonymized_at IS NOT NULL`, id).Scan(&org, &center)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil && a.Can(birge.PermPersonView, org, center), err
}

// AddRelation links two people the actor may edit: kind is what other is to person.
func (s *Store) AddRelation(ctx context.Context, a *birge.Actor, personID, otherID int64, kind string) error {
	if _, ok := birge.RelationKinds[kind]; !ok {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"kind": "field.choose"}}
	}
	if personID == otherID {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"other_id": "person.relation_self"}}
	}
	return s.tx(ctx, func(c q) error {
		p, err := s.managedPerson(ctx, c, a, personID)
		if err != nil {
			return err
		}
		if _, err := s.visiblePerson(ctx, c, a, otherID); err != nil {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"other_id": "field.choose"}}
		}
		if _, err := c.exec(ctx, `INSERT INTO relations (person_id, other_id, kind, created_at) VALUES (?, ?, ?, ?)`,
			personID, otherID, kind, s.now()); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: "relation", entity: "person", entityID: p.ID, orgID: p.OrgID,
			centerID: p.CenterID, changes: birge.Diff(nil, map[string]any{"other_id": otherID, "kind": kind})})
	})
}
