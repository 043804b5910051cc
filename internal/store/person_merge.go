package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Merge is one record merged into another.
type Merge struct {
	ID         int64
	KeptID     int64
	MergedID   int64
	MergedName string // for those who may see the merged record's centre, else ""
	MergedAt   time.Time
	Undoable   bool // the newest merge into a record unchanged since, by an actor who may undo it
}

// mergeMoves is what a merge changed besides the two people's rows, for undo.
type mergeMoves struct {
	Rows      map[string][]int64 `json:"rows"`              // "table.column" of movedOnMerge → ids moved
	Relations []relationRow      `json:"dropped_relations"` // would have linked her to herself, or twice
	Pairs     []pairRow          `json:"pairs"`             // every duplicate pair that named the merged record
}

type relationRow struct {
	ID        int64     `json:"id"`
	PersonID  int64     `json:"person_id"`
	OtherID   int64     `json:"other_id"`
	Kind      string    `json:"kind"`
	CreatedAt time.Time `json:"created_at"`
}

// MergePeople merges the record otherID into keepID: the kept record takes what it
// lacks from the other (birge.Person.FillFrom, sensitive categories included, sealed,
// whether or not the actor may see them) and, field by field, the values the coordinator
// chose (birge.Person.MergeWith; nil keeps FillFrom's answer), every link moves to her,
// and the other record stays, hidden, pointing at her. The actor must be able to edit
// both. Everything needed to undo it is kept in person_merges; the kept record as it was
// is sealed there. The audit entry names the fields that came from the other record.
func (people *People) Merge(ctx context.Context, a *birge.Actor, keepID, otherID int64, choice birge.MergeChoice) (Merge, error) {
	if otherID <= 0 {
		return Merge{}, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"other_id": "field.required"}}
	}
	if keepID == otherID {
		return Merge{}, &birge.Error{Kind: birge.KindInvalid, Key: "merge.same", Fields: birge.Problems{"other_id": "merge.same"}}
	}
	m := Merge{KeptID: keepID, MergedID: otherID, MergedAt: people.s.now()}
	err := people.s.tx(ctx, func(c q) error {
		if err := lockPeople(ctx, c, keepID, otherID); err != nil {
			return err
		}
		keep, err := people.mergeablePerson(ctx, c, a, keepID, "")
		if err != nil {
			return err
		}
		other, err := people.mergeablePerson(ctx, c, a, otherID, "other_id")
		if err != nil {
			return err
		}
		if keep.OrgID != other.OrgID {
			return &birge.Error{Kind: birge.KindInvalid, Key: "merge.other_org", Fields: birge.Problems{"other_id": "merge.other_org"}}
		}
		before, err := people.wholePerson(ctx, c, keep)
		if err != nil {
			return err
		}
		theirs, err := people.wholePerson(ctx, c, other)
		if err != nil {
			return err
		}
		after, problems := before.MergeWith(theirs, choice)
		if err := after.Validate(a.Today(m.MergedAt)); err != nil {
			for f, key := range birge.AsError(err).Fields {
				problems.Add(f, key)
			}
		}
		if len(problems) > 0 {
			return &birge.Error{Kind: birge.KindInvalid, Key: "merge.conflict", Fields: problems}
		}
		// Only a live record is merged away: of two merges of her at once, one fails here.
		// Before the kept record is written: when it takes her IIN, she must have let go
		// of it first (one IIN, one live record: migration 0014).
		res, err := c.exec(ctx, `UPDATE people SET merged_into = ? WHERE id = ? AND merged_into IS NULL
			AND anonymized_at IS NULL`, keep.ID, other.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return &birge.Error{Kind: birge.KindInvalid, Key: "merge.merged_away", Fields: birge.Problems{"other_id": "merge.merged_away"}}
		}
		after.UpdatedAt = m.MergedAt
		if err := people.writeWholePerson(ctx, c, after); err != nil {
			return err
		}
		moves, err := people.moveLinks(ctx, c, a, keep.ID, other.ID, m.MergedAt)
		if err != nil {
			return err
		}
		snapshot, err := people.sealSnapshot(ctx, c, before)
		if err != nil {
			return err
		}
		moved, err := json.Marshal(moves)
		if err != nil {
			return err
		}
		if err := c.row(ctx, `INSERT INTO person_merges (org_id, kept_id, merged_id, kept_before, moved, merged_by, merged_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, keep.OrgID, keep.ID, other.ID, snapshot,
			string(moved), nullID(a.UserID), m.MergedAt).Scan(&m.ID); err != nil {
			return err
		}
		was, err := people.wholeFields(ctx, c, before)
		if err != nil {
			return err
		}
		is, err := people.wholeFields(ctx, c, after)
		if err != nil {
			return err
		}
		changes := people.personDiff(was, is)
		changes["merged_id"] = birge.Change{After: other.ID}
		if taken := birge.MergeTaken(before, after, theirs); taken != nil {
			changes["from_other"] = birge.Change{After: taken}
		}
		return people.s.auditMany(ctx, c, a, []event{
			{action: birge.ActionMerge, entity: birge.EntityPerson, entityID: keep.ID, orgID: keep.OrgID, centerID: keep.CenterID, changes: changes},
			{action: birge.ActionMerge, entity: birge.EntityPerson, entityID: other.ID, orgID: other.OrgID, centerID: other.CenterID,
				changes: map[string]birge.Change{"merged_into": {After: keep.ID}}}})
	})
	return m, err
}

// lockPeople takes the row locks of people a merge or an undo reads and then rewrites,
// before reading them, so that two at once on PostgreSQL run one after the other rather
// than both writing what they read before the other's change (SQLite's write lock does
// this already). The smaller id first, so that two merges of the same two people
// cannot wait for each other.
func lockPeople(ctx context.Context, c q, ids ...int64) error {
	slices.Sort(ids)
	for _, id := range ids {
		if _, err := c.exec(ctx, `UPDATE people SET merged_into = merged_into WHERE id = ?`, id); err != nil {
			return err
		}
	}
	return nil
}

// mergeablePerson loads a person the actor may edit, for a merge: not found when out of
// sight, forbidden when only in sight. A record merged away or anonymised already is
// refused with that reason, named on field when it is the request's, rather than "not
// found", to those who may see her centre.
func (people *People) mergeablePerson(ctx context.Context, c q, a *birge.Actor, id int64, field string) (personRow, error) {
	var org, center int64
	var mergedInto sql.NullInt64
	var anonymized sql.NullTime
	err := c.row(ctx, `SELECT org_id, center_id, merged_into, anonymized_at FROM people WHERE id = ?`, id).
		Scan(&org, &center, &mergedInto, &anonymized)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Can(birge.PermPersonView, org, center)) {
		return personRow{}, birge.ErrNotFound
	}
	if err != nil {
		return personRow{}, err
	}
	if !a.Can(birge.PermPersonManage, org, center) {
		return personRow{}, birge.ErrForbidden
	}
	key := ""
	switch {
	case mergedInto.Valid:
		key = "merge.merged_away"
	case anonymized.Valid:
		key = "merge.anonymized"
	}
	if key != "" {
		e := &birge.Error{Kind: birge.KindInvalid, Key: key}
		if field != "" {
			e.Fields = birge.Problems{field: key}
		}
		return personRow{}, e
	}
	return people.visiblePerson(ctx, c, a, id)
}

// wholePerson is a person as stored with every field open, whatever the actor may see:
// the identity number in full, and all her categories, sensitive ones included. A merge
// must carry over what its actor may not see, and its undo must put it all back.
func (people *People) wholePerson(ctx context.Context, c q, r personRow) (birge.Person, error) {
	p := r.Person
	number, err := people.s.seal.open(r.idSealed)
	if err != nil {
		return p, err
	}
	p.IIN, p.PIN = identityOf(r.idKind, number)
	if p.Phones, err = people.queryStrings(ctx, c, `SELECT phone FROM person_phones WHERE person_id = ? ORDER BY position`, p.ID); err != nil {
		return p, err
	}
	if p.Categories, err = people.queryStrings(ctx, c, `SELECT code FROM person_categories WHERE person_id = ? ORDER BY code`, p.ID); err != nil {
		return p, err
	}
	sensitive, err := people.openSensitive(r.sensitiveSealed)
	p.Categories = append(p.Categories, sensitive...)
	return p, err
}

// writeWholePerson saves a person in wholePerson's form over her row: the sensitive
// categories sealed, the others indexed.
func (people *People) writeWholePerson(ctx context.Context, c q, p birge.Person) error {
	plain, sensitive, err := people.splitWhole(ctx, c, p)
	if err != nil {
		return err
	}
	p.Categories = plain
	return people.writePerson(ctx, c, p, sensitive)
}

// wholeFields are a whole person's fields as the audit log records them.
func (people *People) wholeFields(ctx context.Context, c q, p birge.Person) (map[string]any, error) {
	plain, sensitive, err := people.splitWhole(ctx, c, p)
	p.Categories = plain
	return personFields(p, sensitive), err
}

// splitWhole splits a whole person's categories by her organisation's list. She holds
// them all already, so a retired one stays.
func (people *People) splitWhole(ctx context.Context, c q, p birge.Person) (plain, sensitive []string, err error) {
	cats, err := people.s.orgCategories(ctx, c, p.OrgID)
	if err != nil {
		return nil, nil, err
	}
	plain, sensitive, _ = cats.Split(p.Categories, p.Categories)
	return plain, sensitive, nil
}

// queryStrings runs a query for one text column.
func (people *People) queryStrings(ctx context.Context, c q, query string, args ...any) ([]string, error) {
	rows, err := c.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// moveLinks moves every row that points at the merged record to the kept one, and
// returns what it moved and dropped.
func (people *People) moveLinks(ctx context.Context, c q, a *birge.Actor, keep, other int64, now time.Time) (mergeMoves, error) {
	mv := mergeMoves{Rows: map[string][]int64{}}
	var err error
	if mv.Relations, err = people.dropRelations(ctx, c, keep, other); err != nil {
		return mv, err
	}
	for _, l := range movedOnMerge {
		rows, err := c.query(ctx, `SELECT id FROM `+l.table+` WHERE `+l.column+` = ? ORDER BY id`, other)
		if err != nil {
			return mv, err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return mv, err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return mv, err
		}
		if len(ids) == 0 {
			continue
		}
		if _, err := c.exec(ctx, `UPDATE `+l.table+` SET `+l.column+` = ? WHERE `+l.column+` = ?`, keep, other); err != nil {
			return mv, err
		}
		mv.Rows[l.table+"."+l.column] = ids
	}
	mv.Pairs, err = people.moveDuplicatePairs(ctx, c, a, keep, other, now)
	return mv, err
}

// dropRelations deletes the merged record's relations that would link the kept record
// to herself, or link her twice to someone, and returns them.
func (people *People) dropRelations(ctx context.Context, c q, keep, other int64) ([]relationRow, error) {
	dropped, err := relationsDropped(ctx, c, keep, other)
	if err != nil {
		return nil, err
	}
	for _, r := range dropped {
		if _, err := c.exec(ctx, `DELETE FROM relations WHERE id = ?`, r.ID); err != nil {
			return nil, err
		}
	}
	return dropped, nil
}

// relationsDropped returns the merged record's relations that a merge into keep drops:
// those that would link the kept record to herself, or link her twice to someone (the
// registry keeps one link per pair of people; hers stands). The merge screen counts
// them out of what moves.
func relationsDropped(ctx context.Context, c q, keep, other int64) ([]relationRow, error) {
	rows, err := c.query(ctx, `SELECT id, person_id, other_id, kind, created_at FROM relations
		WHERE person_id IN (?, ?) OR other_id IN (?, ?) ORDER BY id`, keep, other, keep, other)
	if err != nil {
		return nil, err
	}
	var all []relationRow
	for rows.Next() {
		var r relationRow
		if err := rows.Scan(&r.ID, &r.PersonID, &r.OtherID, &r.Kind, &r.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		r.CreatedAt = r.CreatedAt.UTC()
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// The relative at the far end of a relation, seen from id.
	relative := func(r relationRow, id int64) int64 { return r.PersonID + r.OtherID - id }
	involves := func(r relationRow, id int64) bool { return r.PersonID == id || r.OtherID == id }
	linked := map[int64]bool{keep: true} // a link to the kept record would be to herself
	for _, r := range all {
		if !involves(r, other) {
			linked[relative(r, keep)] = true
		}
	}
	var dropped []relationRow
	for _, r := range all {
		if !involves(r, other) {
			continue
		}
		if rel := relative(r, other); linked[rel] {
			dropped = append(dropped, r)
		} else {
			linked[rel] = true
		}
	}
	return dropped, nil
}

// UndoMerge undoes a merge into personID: the kept record is as it was before, the
// moved rows go back, and the merged record is live again. Only the newest merge into a
// record that nobody has edited since can be undone; anything else would lose what was
// done after it.
func (people *People) UndoMerge(ctx context.Context, a *birge.Actor, personID, mergeID int64) error {
	return people.s.tx(ctx, func(c q) error {
		var keptID, mergedID int64
		err := c.row(ctx, `SELECT kept_id, merged_id FROM person_merges WHERE id = ?`, mergeID).Scan(&keptID, &mergedID)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && keptID != personID) {
			return birge.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := lockPeople(ctx, c, keptID, mergedID); err != nil {
			return err
		}
		var sealed, moved string
		var mergedAt time.Time
		var undone sql.NullTime
		if err := c.row(ctx, `SELECT kept_before, moved, merged_at, undone_at FROM person_merges WHERE id = ?`,
			mergeID).Scan(&sealed, &moved, &mergedAt, &undone); err != nil {
			return err
		}
		kept, err := people.managedPerson(ctx, c, a, keptID)
		if err != nil {
			return err
		}
		var merged personRow
		if merged, err = scanPerson(c.row(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = ?`, mergedID)); err != nil {
			return err
		}
		if !a.Can(birge.PermPersonManage, merged.OrgID, merged.CenterID) {
			return birge.ErrForbidden
		}
		if key, err := people.undoRefusal(ctx, c, mergeID, kept, mergedID, mergedAt, undone.Valid); key != "" || err != nil {
			if err != nil {
				return err
			}
			return &birge.Error{Kind: birge.KindInvalid, Key: key}
		}
		plain, err := people.s.seal.open(sealed)
		if err != nil {
			return err
		}
		var before birge.Person
		if err := json.Unmarshal([]byte(plain), &before); err != nil {
			return err
		}
		var mv mergeMoves
		if err := json.Unmarshal([]byte(moved), &mv); err != nil {
			return err
		}
		current, err := people.wholePerson(ctx, c, kept)
		if err != nil {
			return err
		}
		if err := people.writeWholePerson(ctx, c, before); err != nil {
			return err
		}
		if err := people.restoreLinks(ctx, c, keptID, mergedID, mv); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE people SET merged_into = NULL WHERE id = ?`, mergedID); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `UPDATE person_merges SET undone_at = ?, undone_by = ? WHERE id = ?`,
			people.s.now(), nullID(a.UserID), mergeID); err != nil {
			return err
		}
		was, err := people.wholeFields(ctx, c, current)
		if err != nil {
			return err
		}
		is, err := people.wholeFields(ctx, c, before)
		if err != nil {
			return err
		}
		changes := people.personDiff(was, is)
		changes["merged_id"] = birge.Change{Before: mergedID}
		return people.s.auditMany(ctx, c, a, []event{
			{action: birge.ActionUnmerge, entity: birge.EntityPerson, entityID: keptID, orgID: kept.OrgID, centerID: kept.CenterID, changes: changes},
			{action: birge.ActionUnmerge, entity: birge.EntityPerson, entityID: mergedID, orgID: merged.OrgID, centerID: merged.CenterID,
				changes: map[string]birge.Change{"merged_into": {Before: keptID}}}})
	})
}

// undoRefusal says why a merge cannot be undone, as a message key, or "" when it can:
// it was undone already, a later merge involves either record, or the kept record was
// edited after it (her updated_at is the merge's time until then).
func (people *People) undoRefusal(ctx context.Context, c q, mergeID int64, kept personRow, mergedID int64, mergedAt time.Time, undone bool) (string, error) {
	if undone {
		return "merge.undone", nil
	}
	var later int
	err := c.row(ctx, `SELECT COUNT(*) FROM person_merges WHERE id > ? AND undone_at IS NULL
		AND (kept_id IN (?, ?) OR merged_id IN (?, ?))`, mergeID, kept.ID, mergedID, kept.ID, mergedID).Scan(&later)
	switch {
	case err != nil:
		return "", err
	case later > 0:
		return "merge.not_latest", nil
	case !kept.UpdatedAt.Equal(mergedAt):
		return "merge.edited_since", nil
	}
	return "", nil
}

// restoreLinks undoes moveLinks.
func (people *People) restoreLinks(ctx context.Context, c q, keep, other int64, mv mergeMoves) error {
	if err := people.restoreDuplicatePairs(ctx, c, mv.Pairs); err != nil {
		return err
	}
	for _, l := range movedOnMerge {
		for _, id := range mv.Rows[l.table+"."+l.column] {
			if _, err := c.exec(ctx, `UPDATE `+l.table+` SET `+l.column+` = ? WHERE id = ? AND `+l.column+` = ?`,
				other, id, keep); err != nil {
				return err
			}
		}
	}
	for _, r := range mv.Relations {
		if _, err := c.exec(ctx, `INSERT INTO relations (id, person_id, other_id, kind, created_at) VALUES (?, ?, ?, ?, ?)`,
			r.ID, r.PersonID, r.OtherID, r.Kind, r.CreatedAt); err != nil {
			return err
		}
	}
	return nil
}

// PersonMerges lists the records merged into a person, newest first, leaving out
// merges undone.
func (people *People) Merges(ctx context.Context, a *birge.Actor, personID int64) ([]Merge, error) {
	kept, err := people.visiblePerson(ctx, people.s.read(), a, personID)
	if err != nil {
		return nil, err
	}
	rows, err := people.s.read().query(ctx, `SELECT m.id, m.merged_id, m.merged_at, p.org_id, p.center_id, p.family_name,
		p.given_name, p.patronymic FROM person_merges m JOIN people p ON p.id = m.merged_id
		WHERE m.kept_id = ? AND m.undone_at IS NULL ORDER BY m.id DESC`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Merge
	for rows.Next() {
		m := Merge{KeptID: personID}
		var p birge.Person
		if err := rows.Scan(&m.ID, &m.MergedID, &m.MergedAt, &p.OrgID, &p.CenterID, &p.FamilyName, &p.GivenName,
			&p.Patronymic); err != nil {
			return nil, err
		}
		m.MergedAt = m.MergedAt.UTC()
		if a.Can(birge.PermPersonView, p.OrgID, p.CenterID) {
			m.MergedName = p.FullName()
		}
		// A later merge into her would be listed first; one of her into someone else
		// would have hidden her. So only the first can be the newest.
		m.Undoable = len(out) == 0 && kept.UpdatedAt.Equal(m.MergedAt) &&
			a.Can(birge.PermPersonManage, kept.OrgID, kept.CenterID) && a.Can(birge.PermPersonManage, p.OrgID, p.CenterID)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MergedInto follows a record merged away to the live record she is now part of, for an
// actor who may see both; for anyone else, or a record not merged, she is not found.
func (people *People) MergedInto(ctx context.Context, a *birge.Actor, id int64) (int64, error) {
	var org, center int64
	var into sql.NullInt64
	err := people.s.read().row(ctx, `SELECT org_id, center_id, merged_into FROM people WHERE id = ?`, id).Scan(&org, &center, &into)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (!into.Valid || !a.Can(birge.PermPersonView, org, center))) {
		return 0, birge.ErrNotFound
	}
	if err != nil {
		return 0, err
	}
	if _, err := people.visiblePerson(ctx, people.s.read(), a, into.Int64); err == nil {
		return into.Int64, nil
	} else if !errors.Is(err, birge.ErrNotFound) {
		return 0, err
	}
	return people.MergedInto(ctx, a, into.Int64) // merged on again: follow the chain
}
