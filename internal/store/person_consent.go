package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// consents lists a person's consents, oldest first, with who recorded each.
func (people *People) consents(ctx context.Context, personID int64) ([]birge.Consent, error) {
	rows, err := people.s.read().query(ctx, `SELECT c.id, c.purpose, c.channel, c.given_on, c.withdrawn_on,
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
func (people *People) addConsent(ctx context.Context, c q, a *birge.Actor, personID int64, con birge.Consent) (birge.Consent, error) {
	if err := con.Validate(a.Today(people.s.now())); err != nil {
		return con, err
	}
	err := c.row(ctx, `INSERT INTO consents (person_id, purpose, channel, given_on, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, personID, con.Purpose, con.Channel, con.GivenOn,
		nullID(a.UserID), people.s.now()).Scan(&con.ID)
	con.RecordedBy = a.Name
	return con, err
}

// AddConsent records a person's consent to one purpose.
func (people *People) AddConsent(ctx context.Context, a *birge.Actor, personID int64, con birge.Consent) (birge.Consent, error) {
	err := people.s.tx(ctx, func(c q) error {
		p, err := people.managedPerson(ctx, c, a, personID)
		if err != nil {
			return err
		}
		if con, err = people.addConsent(ctx, c, a, personID, con); err != nil {
			return err
		}
		return people.s.audit(ctx, c, a, event{action: birge.ActionConsent, entity: birge.EntityPerson, entityID: p.ID, orgID: p.OrgID,
			centerID: p.CenterID, changes: birge.Diff(nil, map[string]any{"purpose": con.Purpose,
				"channel": con.Channel, "given_on": con.GivenOn})})
	})
	return con, err
}

// WithdrawConsent records that a consent no longer holds, from the given day.
func (people *People) WithdrawConsent(ctx context.Context, a *birge.Actor, personID, consentID int64, on string) error {
	return people.s.tx(ctx, func(c q) error {
		p, err := people.managedPerson(ctx, c, a, personID)
		if err != nil {
			return err // before the date is checked: a 422 would confirm she exists
		}
		if key := birge.CheckPastDate(on, a.Today(people.s.now())); key != "" {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"withdrawn_on": key}}
		}
		var purpose string // for the audit entry, so that her timeline can say which consent ended
		err = c.row(ctx, `UPDATE consents SET withdrawn_on = ?, withdrawn_by = ?
			WHERE id = ? AND person_id = ? AND withdrawn_on = '' RETURNING purpose`,
			on, nullID(a.UserID), consentID, personID).Scan(&purpose)
		if errors.Is(err, sql.ErrNoRows) {
			return birge.ErrNotFound
		}
		if err != nil {
			return err
		}
		return people.s.audit(ctx, c, a, event{action: birge.ActionConsentWithdrawn, entity: birge.EntityPerson, entityID: p.ID,
			orgID: p.OrgID, centerID: p.CenterID, changes: birge.Diff(nil, map[string]any{"consent_id": consentID,
				"purpose": purpose, "withdrawn_on": on})})
	})
}

// managedPerson loads a person the actor may edit: not found when out of sight,
// forbidden when only in sight.
func (people *People) managedPerson(ctx context.Context, c q, a *birge.Actor, id int64) (personRow, error) {
	return people.personWith(ctx, c, a, id, birge.PermPersonManage)
}
