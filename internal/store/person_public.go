package store

import (
	"context"
	"slices"

	"github.com/birge-org/birge/internal/birge"
)

// publicPerson finds or registers the woman who filled in a form on the public site (a
// training's sign-up, a competition's application), in the caller's transaction, and
// returns her record's id and whether it is new.
//
// She is linked to a record already in the organisation's registry only when it is
// surely hers: the same identity number, or one of her phones with a similar name
// (spelt in another script or transliteration). A shared phone alone is not enough — a
// sister or a mother often signs up from the same one — so she is registered anew, and
// the registry's duplicate queue shows the pair to staff, as for any new record.
// Nothing she typed changes a record found, and the answer is the same whether one was
// found or not: the public form reveals nothing about who is in the registry.
//
// p carries what she typed; its centre is where a new record is registered (the
// cohort's, or for an organisation-wide call the caller's choice). The form's system
// actor (birge.System) writes the record and its audit entry. Run it in
// People.txPerson, so that two forms sent at once with the same identity number end in
// one record: the second finds the first when it runs again.
func (people *People) publicPerson(ctx context.Context, c q, form string, p birge.Person) (int64, bool, error) {
	return people.sureOrNew(ctx, c, birge.System(form), p)
}

// sureOrNew is publicPerson with the actor who registers her: the public form's system
// actor, or the staff member whose list of names a cohort imports (decision 0034) — the
// same rule links a row of a list to the registry, and registering her needs a's right to
// register people at p's centre.
func (people *People) sureOrNew(ctx context.Context, c q, a *birge.Actor, p birge.Person) (int64, bool, error) {
	s := people.s
	ctr, err := s.getCenter(ctx, c, p.CenterID)
	if err != nil {
		return 0, false, err
	}
	p.ID, p.OrgID = 0, ctr.OrgID
	if p.Country == "" {
		p.Country = ctr.Country
	}
	now := s.now()
	if err := p.Validate(birge.Day(now, birge.Location(ctr.TimeZone))); err != nil {
		return 0, false, err
	}
	matches, err := people.matchPeople(ctx, c, ctr.OrgID, p)
	if err != nil {
		return 0, false, err
	}
	for _, m := range matches {
		if slices.Contains(m.reasons, "identity") {
			return m.ID, false, nil
		}
	}
	var sure []int64
	for _, m := range matches {
		if slices.Contains(m.reasons, "phone") && birge.SimilarNames(p.FullName(), m.FullName()) {
			sure = append(sure, m.ID)
		}
	}
	if len(sure) == 1 {
		return sure[0], false, nil
	}
	p.CreatedAt, p.UpdatedAt = now, now
	created, err := people.create(ctx, c, a, p)
	if err != nil {
		return 0, false, err
	}
	return created.ID, true, nil
}
