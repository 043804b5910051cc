package store

import (
	"context"

	"github.com/birge-org/birge/internal/birge"
)

// Override lifts a case's flag with a written reason; it needs case.override in the
// case's centre, and is audited. A later screening above none flags the case again.
func (cases *Cases) Override(ctx context.Context, a *birge.Actor, id int64, reason string) (birge.Case, error) {
	return cases.flagAction(ctx, a, birge.PermCaseOverride, id, func(c q, k birge.Case) (map[string]birge.Change, error) {
		if err := birge.ValidateOverrideReason(reason); err != nil {
			return nil, err
		}
		if !k.Flagged {
			return nil, &birge.Error{Kind: birge.KindConflict, Key: "case.not_flagged"}
		}
		_, err := c.exec(ctx, `UPDATE cases SET override_reason = ?, override_by = ?, override_at = ?, updated_at = ?
			WHERE id = ?`, reason, nullID(a.UserID), cases.s.now(), nextVersion(cases.s.now(), k.UpdatedAt), k.ID)
		return map[string]birge.Change{"override_reason": {After: reason}}, err
	})
}

// Review records that a supervisor (case.manage) has reviewed a danger case, which then
// leaves the top of the coordinator's list.
func (cases *Cases) Review(ctx context.Context, a *birge.Actor, id int64) (birge.Case, error) {
	return cases.flagAction(ctx, a, birge.PermCaseManage, id, func(c q, k birge.Case) (map[string]birge.Change, error) {
		if !k.NeedsReview {
			return nil, &birge.Error{Kind: birge.KindConflict, Key: "case.no_review"}
		}
		_, err := c.exec(ctx, `UPDATE cases SET reviewed_by = ?, reviewed_at = ?, updated_at = ? WHERE id = ?`,
			nullID(a.UserID), cases.s.now(), nextVersion(cases.s.now(), k.UpdatedAt), k.ID)
		return map[string]birge.Change{"reviewed_by": {After: a.UserID}}, err
	})
}

// flagAction runs one change to a case's flag under its lock, with perm, and audits it
// sealed with the first partner's key.
func (cases *Cases) flagAction(ctx context.Context, a *birge.Actor, perm birge.Permission, id int64,
	change func(q, birge.Case) (map[string]birge.Change, error)) (birge.Case, error) {
	var out birge.Case
	err := cases.s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "cases", id); err != nil {
			return err
		}
		k, err := cases.get(ctx, c, a, perm, id)
		if err != nil {
			return err
		}
		changes, err := change(c, k)
		if err != nil {
			return err
		}
		changes["person_id"] = birge.Change{Before: k.PartnerIDs[0], After: k.PartnerIDs[0]}
		if out, err = cases.get(ctx, c, a, birge.PermCaseView, id); err != nil {
			return err
		}
		return cases.s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCase, entityID: k.ID,
			orgID: k.OrgID, centerID: k.CenterID, changes: changes})
	})
	return out, err
}
