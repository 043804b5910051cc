package store

import (
	"context"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// personInsertColumns are personArgs' columns and the ones a new record adds.
var personInsertColumns = []string{"id", "org_id", "center_id", "family_name", "given_name", "patronymic",
	"name_key", "sort_key", "sex", "birth_date", "birth_year", "id_kind", "id_sealed", "id_lookup", "email", "country", "region", "district", "settlement", "rural", "children", "income_band", "special_needs",
	"may_call", "call_times", "may_leave_message", "sensitive_sealed", "created_by",
	"created_at", "updated_at"}

// writeBatch is how many people go to the database at a time, between progress reports.
const writeBatch = 2000

// insertPeople registers validated people in bulk, in the caller's transaction: their
// rows, their search index and one audit entry each, pointing to the import. people get
// their ids.
func (people *People) insertPeople(ctx context.Context, c q, a *birge.Actor, records []birge.Person, sensitive [][]string,
	importID int64, now time.Time, progress func(done int)) error {
	for start := 0; start < len(records); start += writeBatch {
		progress(start)
		batch := records[start:min(start+writeBatch, len(records))]
		ids, err := people.s.reserveIDs(ctx, c, "people", len(batch))
		if err != nil {
			return err
		}
		var rows, names, phones, cats [][]any
		events := make([]event, len(batch))
		for i := range batch {
			p := &batch[i]
			p.ID, p.CreatedAt, p.UpdatedAt = ids[i], now, now
			args := append([]any{p.ID}, people.personArgs(*p, sensitive[start+i])...)
			rows = append(rows, append(args, nullID(a.UserID), now, now))
			sortKey := i18n.SortKey(p.FullName())
			for _, tok := range birge.NameTokens(p.FullName()) {
				names = append(names, []any{tok, p.ID, p.OrgID, p.CenterID, sortKey})
			}
			for k, ph := range p.Phones {
				phones = append(phones, []any{p.ID, ph, k})
			}
			for _, code := range p.Categories {
				cats = append(cats, []any{p.ID, code, p.OrgID, p.CenterID, sortKey})
			}
			events[i] = event{action: birge.ActionImport, entity: birge.EntityPerson, entityID: p.ID, orgID: p.OrgID, centerID: p.CenterID,
				changes: map[string]birge.Change{"import_id": {After: importID}}}
		}
		for _, t := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"people", personInsertColumns, rows},
			{"person_names", []string{"token", "person_id", "org_id", "center_id", "sort_key"}, names},
			{"person_phones", []string{"person_id", "phone", "position"}, phones},
			{"person_categories", []string{"person_id", "code", "org_id", "center_id", "sort_key"}, cats},
		} {
			if err := insertRows(ctx, c, t.table, t.cols, t.rows); err != nil {
				return err
			}
		}
		if err := people.s.auditMany(ctx, c, a, events); err != nil {
			return err
		}
	}
	progress(len(records))
	return nil
}
