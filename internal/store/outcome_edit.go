package store

import (
	"context"

	"github.com/birge-org/birge/internal/birge"
)

// editable loads an outcome the actor may change: one recorded by hand, by someone who
// may record outcomes in her centre. A module's outcome changes with the module's
// record, never on its own.
func (outcomes *Outcomes) editable(ctx context.Context, c q, a *birge.Actor, id int64) (birge.Outcome, personRow, error) {
	o, her, err := outcomes.get(ctx, c, a, id)
	switch {
	case err != nil:
		return o, her, err
	case !a.Can(birge.PermOutcomeRecord, her.OrgID, her.CenterID):
		return o, her, birge.ErrForbidden
	case !o.Manual():
		return o, her, &birge.Error{Kind: birge.KindConflict, Key: "outcome.not_manual",
			Args: map[string]any{"source": o.Source}}
	}
	return o, her, nil
}

// Update saves changes to an outcome recorded by hand: what, when, its value, its
// programme, its evidence (o.Upload replaces the file, o.DropFile removes it). Her, her
// centre, who recorded it and its source never change. A change made on a version
// (o.UpdatedAt) that is no longer the current one is refused (ErrChangedMeanwhile).
func (outcomes *Outcomes) Update(ctx context.Context, a *birge.Actor, o birge.Outcome) (birge.Outcome, error) {
	s := outcomes.s
	var out birge.Outcome
	err := s.tx(ctx, func(c q) error {
		// Locked first, so that two changes at once are made one after the other.
		if err := lockRow(ctx, c, "outcomes", o.ID); err != nil {
			return err
		}
		old, her, err := outcomes.editable(ctx, c, a, o.ID)
		if err != nil {
			return err
		}
		if err := sameVersion(o.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		o.OrgID, o.CenterID, o.PersonID, o.RecordedBy = old.OrgID, old.CenterID, old.PersonID, old.RecordedBy
		o.Source, o.SourceID, o.CreatedAt = old.Source, old.SourceID, old.CreatedAt
		o.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		if err := outcomes.check(ctx, c, a, her, &o); err != nil {
			return err
		}
		upload := o.Upload
		switch {
		case upload != nil:
			o.File = upload.Describe()
		case o.DropFile:
			o.File = nil
		default:
			o.File = old.File
		}
		o.Upload, o.DropFile = nil, false
		changes := birge.Diff(outcomeFields(old), outcomeFields(o))
		if len(changes) == 0 && upload == nil {
			out = old
			return nil
		}
		value, currency := valueColumns(o)
		if _, err := c.exec(ctx, `UPDATE outcomes SET program_id = ?, date = ?, kind = ?, value = ?, currency = ?,
			evidence = ?, updated_at = ? WHERE id = ?`,
			o.ProgramID, o.Date, o.Kind, value, currency, o.Evidence, o.UpdatedAt, o.ID); err != nil {
			return err
		}
		// person_id stays in the entry, so that it is sealed with her key.
		changes["person_id"] = birge.Change{Before: o.PersonID, After: o.PersonID}
		out = o
		if err := s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityOutcome, entityID: o.ID,
			orgID: o.OrgID, centerID: o.CenterID, changes: changes}); err != nil {
			return err
		}
		if upload == nil && o.File != nil {
			return nil
		}
		if _, err := c.exec(ctx, `DELETE FROM outcome_files WHERE outcome_id = ?`, o.ID); err != nil {
			return err
		}
		return outcomes.attach(ctx, c, o, upload)
	})
	return out, err
}

// Delete removes an outcome recorded by hand, by mistake, with its file.
func (outcomes *Outcomes) Delete(ctx context.Context, a *birge.Actor, id int64) error {
	s := outcomes.s
	return s.tx(ctx, func(c q) error {
		o, _, err := outcomes.editable(ctx, c, a, id)
		if err != nil {
			return err
		}
		for _, table := range []string{"outcome_files WHERE outcome_id", "outcomes WHERE id"} {
			if _, err := c.exec(ctx, `DELETE FROM `+table+` = ?`, id); err != nil {
				return err
			}
		}
		return s.audit(ctx, c, a, event{action: birge.ActionDelete, entity: birge.EntityOutcome, entityID: id,
			orgID: o.OrgID, centerID: o.CenterID, changes: birge.Diff(outcomeFields(o), nil)})
	})
}
