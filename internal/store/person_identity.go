package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// One IIN, one woman: the rule for the form, the API and edits (the import applies it to
// its rows in importCheck.identities). A Kyrgyz PIN is only a likely duplicate, because
// PINs were at times issued twice; FindDuplicates and the duplicate queue report it.

// identityFree refuses an IIN that another live record of p's organisation holds. The
// same IIN is the same woman for certain, so "she is someone else" does not overrule
// it. The refusal names only the centre to contact: the actor may not see that record.
// held is the look-up of the number her record holds already, which an edit may keep
// (a pair registered before the rule stays editable until it is merged; migration 0014).
// It runs in the writing transaction c; on PostgreSQL two writes at once may both pass
// it, and the index people_iin refuses the second (see txPerson).
func (people *People) identityFree(ctx context.Context, c q, p birge.Person, held string) error {
	id, ok := personIdentity(p)
	if !ok || id.Kind != birge.IdentityIIN {
		return nil
	}
	lookup := people.s.seal.lookup(string(id.Kind), id.Number)
	if lookup == held {
		return nil
	}
	var center int64
	err := c.row(ctx, `SELECT center_id FROM people WHERE id_lookup = ? AND org_id = ? AND id <> ?
		AND id_kind = 'iin' AND merged_into IS NULL AND anonymized_at IS NULL ORDER BY id LIMIT 1`,
		lookup, p.OrgID, p.ID).Scan(&center)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	ctr, err := people.s.getCenter(ctx, c, center)
	if err != nil {
		return err
	}
	return identityTaken(ctr.Names)
}

// identityTaken is the refusal: a conflict, with the centre to contact in the message
// and a short note on the IIN field.
func identityTaken(center birge.Names) error {
	return &birge.Error{Kind: birge.KindConflict, Key: "person.identity_registered",
		Args: map[string]any{"center": center}, Fields: birge.Problems{"iin": "person.identity_taken"}}
}

// txPerson runs a transaction that writes a person's identity number. When the index
// people_iin refuses it — another write of the same IIN committed after this one checked
// — it runs it once more, and the check then finds her record and names its centre. fn
// must start from its input each time.
func (people *People) txPerson(ctx context.Context, fn func(q) error) error {
	err := people.s.tx(ctx, fn)
	if isIdentityTaken(err) {
		err = people.s.tx(ctx, fn)
	}
	if isIdentityTaken(err) {
		// A third write at once: rarer still, and the plain note says enough.
		return &birge.Error{Kind: birge.KindConflict, Key: "person.identity_taken", Fields: birge.Problems{"iin": "person.identity_taken"}}
	}
	return err
}
