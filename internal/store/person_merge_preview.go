package store

import (
	"context"
	"slices"

	"github.com/birge-org/birge/internal/birge"
)

// MergePreview is the comparison screen's matter: the two records as the actor may see
// them (identity numbers masked, sensitive categories only for those allowed), which
// chosen fields differ, which of them the kept record would take from the other when
// nothing is chosen, and what moves to the kept record whatever is chosen.
type MergePreview struct {
	Kept, Other birge.Person
	Differs     map[string]bool // field of birge.MergeFields → the two records differ in it
	Default     map[string]bool // differing field → the kept record takes the other's value unless told not to
	// Refusal is the message key of what refuses the merge whatever is chosen (two
	// identity numbers), or "".
	Refusal string
	Moves   []MergeMove
}

// MergeMove is a kind of row that moves to the kept record, with how many.
type MergeMove struct {
	What  string // a table merge moves rows of (movedOnMerge), or phones and categories joined
	Count int
}

// PreviewMerge shows what merging otherID into keepID would do, to an actor who may
// merge them: the same checks as MergePeople (not found out of sight, forbidden in sight
// only). Showing the two records is an opening of each, written to the access log.
func (people *People) PreviewMerge(ctx context.Context, a *birge.Actor, keepID, otherID int64) (MergePreview, error) {
	var pv MergePreview
	if keepID == otherID {
		return pv, &birge.Error{Kind: birge.KindInvalid, Key: "merge.same"}
	}
	c := people.s.read()
	keep, err := people.mergeablePerson(ctx, c, a, keepID, "")
	if err != nil {
		return pv, err
	}
	other, err := people.mergeablePerson(ctx, c, a, otherID, "")
	if err != nil {
		return pv, err
	}
	if keep.OrgID != other.OrgID {
		return pv, birge.ErrNotFound
	}
	mine, err := people.wholePerson(ctx, c, keep)
	if err != nil {
		return pv, err
	}
	theirs, err := people.wholePerson(ctx, c, other)
	if err != nil {
		return pv, err
	}
	// Compared whole, so that two numbers masked alike still refuse; only the chosen
	// fields, none of them sealed, and the refusal's key leave this function.
	merged, problems := mine.MergeWith(theirs, nil)
	for _, key := range problems {
		pv.Refusal = key
	}
	pv.Differs = birge.MergeDiffers(mine, theirs)
	pv.Default = map[string]bool{}
	for _, f := range birge.MergeTaken(mine, merged, theirs) {
		pv.Default[f] = true
	}
	if pv.Kept, err = people.completePerson(ctx, a, keep); err != nil {
		return pv, err
	}
	if pv.Other, err = people.completePerson(ctx, a, other); err != nil {
		return pv, err
	}
	if pv.Moves, err = people.countMoves(ctx, c, pv.Kept, pv.Other); err != nil {
		return pv, err
	}
	err = people.s.tx(ctx, func(c q) error {
		if err := people.logAccess(ctx, c, a, pv.Kept, "view"); err != nil {
			return err
		}
		return people.logAccess(ctx, c, a, pv.Other, "view")
	})
	return pv, err
}

// countMoves counts what a merge moves, in the order of movedOnMerge (modules.go), then
// the phones and the categories (those the actor may see) the kept record gains.
func (people *People) countMoves(ctx context.Context, c q, kept, other birge.Person) ([]MergeMove, error) {
	var out []MergeMove
	for _, l := range movedOnMerge {
		var n int
		if err := c.row(ctx, `SELECT COUNT(*) FROM `+l.table+` WHERE `+l.column+` = ?`, other.ID).Scan(&n); err != nil {
			return nil, err
		}
		if i := slices.IndexFunc(out, func(m MergeMove) bool { return m.What == l.table }); i >= 0 {
			out[i].Count += n
		} else {
			out = append(out, MergeMove{What: l.table, Count: n})
		}
	}
	// Relations that would link her to herself or twice to someone are dropped, not moved.
	dropped, err := relationsDropped(ctx, c, kept.ID, other.ID)
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(out, func(m MergeMove) bool { return m.What == "relations" }); i >= 0 {
		out[i].Count -= len(dropped)
	}
	gains := func(mine, theirs []string) int {
		n := 0
		for _, v := range theirs {
			if !slices.Contains(mine, v) {
				n++
			}
		}
		return n
	}
	return append(out, MergeMove{"phones", gains(kept.Phones, other.Phones)},
		MergeMove{"categories", gains(kept.Categories, other.Categories)}), nil
}
