package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// duplicatePair is a suspicion that two live records of one organisation are the same
// woman, as the registry or an import found it.
type duplicatePair struct {
	personID, otherID int64
	reason            string // identity, phone or name_birth
}

// queueDuplicatePairs records suspicions in the caller's transaction. A pair known
// already is left as it is: still open, or decided — a pair judged distinct stays so.
func (people *People) queueDuplicatePairs(ctx context.Context, c q, pairs []duplicatePair) error {
	now := people.s.now()
	for _, p := range pairs {
		lo, hi := min(p.personID, p.otherID), max(p.personID, p.otherID)
		if lo == hi {
			continue
		}
		if _, err := c.exec(ctx, `INSERT INTO duplicate_pairs (org_id, person_id, other_id, reason, found_at)
			SELECT org_id, ?, ?, ?, ? FROM people WHERE id = ?
			ON CONFLICT (person_id, other_id) DO NOTHING`, lo, hi, p.reason, now, lo); err != nil {
			return err
		}
	}
	return nil
}

// queueDuplicatesOf queues the people a just-saved record looks like: she was saved
// although the form warned, or an edit made her look like someone. Each pair keeps the
// strongest reason.
func (people *People) queueDuplicatesOf(ctx context.Context, c q, p birge.Person) error {
	matches, err := people.matchPeople(ctx, c, p.OrgID, p)
	if err != nil {
		return err
	}
	pairs := make([]duplicatePair, len(matches))
	for i, m := range matches {
		pairs[i] = duplicatePair{personID: p.ID, otherID: m.ID, reason: m.reasons[0]}
	}
	return people.queueDuplicatePairs(ctx, c, pairs)
}

// DuplicatePair is an open suspicion in the queue, with both records as lists show them.
type DuplicatePair struct {
	ID      int64
	Reason  string
	FoundAt time.Time
	People  [2]PersonSummary
}

// DuplicateQueue is one page of the queue, newest first.
type DuplicateQueue struct {
	Items []DuplicatePair
	Next  int64 // cursor for the next page: show pairs with a smaller id; 0 on the last
}

// ListDuplicatePairs pages through the open suspicions whose two records the actor may
// both edit: only she can settle them, and a pair across a centre she cannot see would
// reveal that record.
func (people *People) DuplicatePairs(ctx context.Context, a *birge.Actor, before int64, limit int) (DuplicateQueue, error) {
	scope := a.ScopeOf(birge.PermPersonManage)
	if scope.Empty() {
		return DuplicateQueue{}, birge.ErrForbidden
	}
	if limit <= 0 || limit > MaxPageSize {
		limit = 50
	}
	w := where{}
	w.add("d.resolution = '' AND p.merged_into IS NULL AND p.anonymized_at IS NULL AND o.merged_into IS NULL AND o.anonymized_at IS NULL")
	w.scope("d.org_id", "p.center_id", scope) // the pair's organisation is both records'
	w.scope("d.org_id", "o.center_id", scope)
	if before > 0 {
		w.add("d.id < ?", before)
	}
	rows, err := people.s.read().query(ctx, `SELECT d.id, d.reason, d.found_at,
		p.id, p.center_id, p.family_name, p.given_name, p.patronymic, p.sex, p.birth_date, p.birth_year, p.settlement,
		o.id, o.center_id, o.family_name, o.given_name, o.patronymic, o.sex, o.birth_date, o.birth_year, o.settlement
		FROM duplicate_pairs d JOIN people p ON p.id = d.person_id JOIN people o ON o.id = d.other_id`+w.sql()+
		` ORDER BY d.id DESC LIMIT `+itoa(limit+1), w.args...)
	if err != nil {
		return DuplicateQueue{}, err
	}
	defer rows.Close()
	var out DuplicateQueue
	for rows.Next() {
		var d DuplicatePair
		var years [2]sql.NullInt64
		p, o := &d.People[0], &d.People[1]
		if err := rows.Scan(&d.ID, &d.Reason, &d.FoundAt,
			&p.ID, &p.CenterID, &p.FamilyName, &p.GivenName, &p.Patronymic, &p.Sex, &p.BirthDate, &years[0], &p.Settlement,
			&o.ID, &o.CenterID, &o.FamilyName, &o.GivenName, &o.Patronymic, &o.Sex, &o.BirthDate, &years[1], &o.Settlement); err != nil {
			return DuplicateQueue{}, err
		}
		d.FoundAt = d.FoundAt.UTC()
		p.BirthYear, o.BirthYear = int(years[0].Int64), int(years[1].Int64)
		out.Items = append(out.Items, d)
	}
	if len(out.Items) > limit {
		out.Items = out.Items[:limit]
		out.Next = out.Items[limit-1].ID
	}
	return out, rows.Err()
}

// DismissDuplicatePair records that the two records of an open pair are different women.
func (people *People) DismissDuplicatePair(ctx context.Context, a *birge.Actor, pairID int64) error {
	return people.s.tx(ctx, func(c q) error {
		var ids [2]int64
		var resolution string
		err := c.row(ctx, `SELECT person_id, other_id, resolution FROM duplicate_pairs WHERE id = ?`, pairID).
			Scan(&ids[0], &ids[1], &resolution)
		if errors.Is(err, sql.ErrNoRows) {
			return birge.ErrNotFound
		}
		if err != nil {
			return err
		}
		var pair [2]personRow
		for i, id := range ids {
			if pair[i], err = people.managedPerson(ctx, c, a, id); err != nil {
				return err
			}
		}
		if resolution != "" {
			return &birge.Error{Kind: birge.KindInvalid, Key: "duplicates.settled"}
		}
		if _, err := c.exec(ctx, `UPDATE duplicate_pairs SET resolution = 'distinct', resolved_at = ?, resolved_by = ?
			WHERE id = ?`, people.s.now(), nullID(a.UserID), pairID); err != nil {
			return err
		}
		evs := make([]event, 2)
		for i, p := range pair {
			evs[i] = event{action: birge.ActionNotDuplicate, entity: birge.EntityPerson, entityID: p.ID, orgID: p.OrgID, centerID: p.CenterID,
				changes: birge.Diff(nil, map[string]any{"other_id": pair[1-i].ID})}
		}
		return people.s.auditMany(ctx, c, a, evs)
	})
}

// pairRow is a row of duplicate_pairs as it was before a merge, for undo.
type pairRow struct {
	ID         int64      `json:"id"`
	OrgID      int64      `json:"org_id"`
	PersonID   int64      `json:"person_id"`
	OtherID    int64      `json:"other_id"`
	Reason     string     `json:"reason"`
	FoundAt    time.Time  `json:"found_at"`
	ResolvedAt *time.Time `json:"resolved_at"`
	ResolvedBy *int64     `json:"resolved_by"`
	Resolution string     `json:"resolution"`
}

// moveDuplicatePairs settles the pair of the two merged records as merged, and hands
// the merged record's other pairs to the kept one (a pair she has already is kept as it
// is). It returns every pair that named the merged record, as it was, for undo.
func (people *People) moveDuplicatePairs(ctx context.Context, c q, a *birge.Actor, keep, other int64, now time.Time) ([]pairRow, error) {
	rows, err := c.query(ctx, `SELECT id, org_id, person_id, other_id, reason, found_at, resolved_at, resolved_by,
		resolution FROM duplicate_pairs WHERE person_id = ? OR other_id = ? ORDER BY id`, other, other)
	if err != nil {
		return nil, err
	}
	var before []pairRow
	for rows.Next() {
		var r pairRow
		var at sql.NullTime
		var by sql.NullInt64
		if err := rows.Scan(&r.ID, &r.OrgID, &r.PersonID, &r.OtherID, &r.Reason, &r.FoundAt, &at, &by, &r.Resolution); err != nil {
			rows.Close()
			return nil, err
		}
		r.FoundAt = r.FoundAt.UTC()
		if at.Valid {
			t := at.Time.UTC()
			r.ResolvedAt = &t
		}
		if by.Valid {
			r.ResolvedBy = &by.Int64
		}
		before = append(before, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, r := range before {
		third := r.PersonID + r.OtherID - other // the pair's other end
		if third == keep {
			_, err = c.exec(ctx, `UPDATE duplicate_pairs SET resolution = 'merged', resolved_at = ?, resolved_by = ?
				WHERE id = ?`, now, nullID(a.UserID), r.ID)
		} else {
			lo, hi := min(keep, third), max(keep, third)
			var n int
			if err = c.row(ctx, `SELECT COUNT(*) FROM duplicate_pairs WHERE person_id = ? AND other_id = ?`, lo, hi).Scan(&n); err != nil {
				return nil, err
			}
			if n > 0 {
				_, err = c.exec(ctx, `DELETE FROM duplicate_pairs WHERE id = ?`, r.ID)
			} else {
				_, err = c.exec(ctx, `UPDATE duplicate_pairs SET person_id = ?, other_id = ? WHERE id = ?`, lo, hi, r.ID)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return before, nil
}

// restoreDuplicatePairs puts back the pairs a merge changed, as they were before it.
func (people *People) restoreDuplicatePairs(ctx context.Context, c q, pairs []pairRow) error {
	for _, r := range pairs {
		if _, err := c.exec(ctx, `DELETE FROM duplicate_pairs WHERE id = ?`, r.ID); err != nil {
			return err
		}
		var by any
		if r.ResolvedBy != nil {
			by = *r.ResolvedBy
		}
		var at any
		if r.ResolvedAt != nil {
			at = *r.ResolvedAt
		}
		if _, err := c.exec(ctx, `INSERT INTO duplicate_pairs (id, org_id, person_id, other_id, reason, found_at,
			resolved_at, resolved_by, resolution) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.OrgID, r.PersonID, r.OtherID, r.Reason, r.FoundAt, at, by, r.Resolution); err != nil {
			return err
		}
	}
	return nil
}
