package store

import (
	"context"

	"github.com/birge-org/birge/internal/birge"
)

// Versions of a person's record: her updated_at. Two edits at once never lose one. An
// edit made on a version that is no longer the current one is refused (changedMeanwhile):
// the edit form and a PATCH that names its version get a 409. A PATCH that does not is
// laid over her record as it is, under her row's lock (PatchPerson), so it waits for the
// other edit and keeps it.

// changedMeanwhile refuses an edit based on an older version of her record.
var changedMeanwhile = &birge.Error{Kind: birge.KindConflict, Key: "person.changed_meanwhile",
	Fields: birge.Problems{"updated_at": "person.changed_meanwhile"}}

// PatchPerson changes a person's record with apply, which is given her record as it is
// now, with her row locked: the API's PATCH lays the fields of its body over it. Her
// identity number is given in full, so that a body without one keeps it; it does not
// leave the store (the answer is read again, masked). Sensitive categories are given only
// to an actor who may see them, and kept as they were otherwise. apply may run twice (see
// txPerson), each time on a fresh copy.
func (people *People) Patch(ctx context.Context, a *birge.Actor, id int64, apply func(*birge.Person) error) (birge.Person, error) {
	err := people.txPerson(ctx, func(c q) error {
		if err := lockPeople(ctx, c, id); err != nil {
			return err
		}
		r, err := people.visiblePerson(ctx, c, a, id)
		if err != nil {
			return err
		}
		if !a.Can(birge.PermPersonManage, r.OrgID, r.CenterID) {
			return birge.ErrForbidden
		}
		p := r.Person
		number, err := people.s.seal.open(r.idSealed)
		if err != nil {
			return err
		}
		p.IIN, p.PIN = identityOf(r.idKind, number)
		if p.Phones, err = personPhones(ctx, c, id); err != nil {
			return err
		}
		if p.Categories, err = people.categoriesOf(ctx, c, r, a.Can(birge.PermPersonSensitive, r.OrgID, r.CenterID)); err != nil {
			return err
		}
		if err := apply(&p); err != nil {
			return err
		}
		p.ID = id
		return people.updatePerson(ctx, c, a, p)
	})
	if err != nil {
		return birge.Person{}, err
	}
	return people.savedPerson(ctx, a, id)
}
