package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// erasedFields are what anonymisation erases from a person's record: everything that
// tells who she is or how to find her. The rest stays, so that every count in past and
// future reports is unchanged: her organisation and centre, sex, birth year, region,
// district, rural, children, income band, special needs, categories (the sealed
// sensitive set too), consents (purposes and dates) and relations.
var erasedFields = []string{"family_name", "given_name", "patronymic", "birth_date", "iin", "pin",
	"phones", "email", "settlement", "call_times"}

// AnonymisePerson erases a person's identity on her request, for an actor with
// person.rights on her centre. It cannot be undone: her name, identity number, phones,
// email, settlement, exact birth date and call times are erased from her record, from
// the records merged into it (duplicates of her, kept so that a merge can be undone)
// and from the search index, and their data keys are destroyed, so the values the audit
// log kept about her read as erased from now on. She no longer appears in lists, search
// or duplicates, and opening her record is not found.
func (people *People) Anonymise(ctx context.Context, a *birge.Actor, id int64) error {
	err := people.s.tx(ctx, func(c q) error {
		// Locked first, so that a merge into her committing meanwhile cannot leave a
		// copy of her unerased (PostgreSQL; SQLite's writer holds the lock already).
		if err := lockPeople(ctx, c, id); err != nil {
			return err
		}
		r, err := people.personWith(ctx, c, a, id, birge.PermPersonRights)
		if err != nil {
			return err
		}
		ids, err := herRecords(ctx, c, id)
		if err != nil {
			return err
		}
		in := ` IN (` + placeholders(len(ids)) + `)`
		now := people.s.now()
		if _, err := c.exec(ctx, `UPDATE people SET family_name = '', given_name = '', patronymic = '',
			name_key = '', sort_key = ?, birth_date = '', id_kind = '', id_sealed = '', id_lookup = '',
			email = '', settlement = '', call_times = '', anonymized_at = ?, updated_at = ?
			WHERE id`+in, append([]any{[]byte{}, now, now}, ids...)...); err != nil {
			return err
		}
		for _, l := range erasedWithHer {
			if _, err := c.exec(ctx, `DELETE FROM `+l.table+` WHERE `+l.column+in, ids...); err != nil {
				return err
			}
		}
		// Her categories stay, for the counts, but not the sort key made from her name.
		if _, err := c.exec(ctx, `UPDATE person_categories SET sort_key = ? WHERE person_id`+in,
			append([]any{[]byte{}}, ids...)...); err != nil {
			return err
		}
		// Her services and outcomes stay, for the counts, but not their notes and
		// evidence, which may name her (her evidence files went with her key above).
		for _, set := range []string{"deliveries SET note", "outcomes SET evidence"} {
			if _, err := c.exec(ctx, `UPDATE `+set+` = '' WHERE person_id`+in, ids...); err != nil {
				return err
			}
		}
		// Her referrals stay, for the counts, but not what they carried.
		if _, err := c.exec(ctx, `UPDATE referrals SET name = '', contact = '', note = '' WHERE person_id`+in, ids...); err != nil {
			return err
		}
		// Her enrolments stay, for the counts of trainings, but not why she dropped out
		// and what she asked for, which may say who she is.
		if _, err := c.exec(ctx, `UPDATE enrollments SET reason = '', accommodation = '' WHERE person_id`+in, ids...); err != nil {
			return err
		}
		// Her follow-ups stay, for the figures, but not the business she named and her
		// words; her links stop working.
		if _, err := c.exec(ctx, `UPDATE training_followups SET business_kind = '', comment = ''
			WHERE enrollment_id IN (SELECT id FROM enrollments WHERE person_id`+in+`)`, ids...); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM training_followup_links
			WHERE enrollment_id IN (SELECT id FROM enrollments WHERE person_id`+in+`)`, ids...); err != nil {
			return err
		}
		// Her marks stay, for attendance, but not why she was absent (decision 0031).
		if _, err := c.exec(ctx, `UPDATE training_marks SET reason = '' WHERE enrollment_id IN
			(SELECT id FROM enrollments WHERE person_id`+in+`)`, ids...); err != nil {
			return err
		}
		// Her applications stay, for the call's counts, but not what she typed in them nor
		// an officer's reason (her files went with her key above).
		if _, err := c.exec(ctx, `UPDATE applications SET applicant = '', answers = '{}', override_reason = ''
			WHERE person_id`+in+` OR key_person_id`+in, append(ids, ids...)...); err != nil {
			return err
		}
		// Her family's closings stay, for the case's history, but not the agreement and
		// the reason to reopen, which may name her (sealed with her key, gone above).
		if _, err := c.exec(ctx, `UPDATE case_closings SET agreement = '', reason = '' WHERE key_person_id`+in, ids...); err != nil {
			return err
		}
		// A record as it was before a merge into it, sealed so that the merge can be
		// undone, is who she was: forgotten, the merge can no longer be undone.
		if _, err := c.exec(ctx, `UPDATE person_merges SET kept_before = '' WHERE kept_id`+in, ids...); err != nil {
			return err
		}
		// Which fields were erased, without their values: an entry with no values needs
		// no key, so none is made again for her.
		events := make([]event, len(ids))
		for i, rec := range ids {
			erased := map[string]birge.Change{}
			for _, f := range erasedFields {
				erased[f] = birge.Change{}
			}
			events[i] = event{action: birge.ActionAnonymise, entity: birge.EntityPerson, entityID: rec.(int64), orgID: r.OrgID,
				centerID: r.CenterID, changes: erased}
		}
		return people.s.auditMany(ctx, c, a, events)
	})
	if err != nil {
		return err
	}
	people.dropOldPages(ctx)
	return nil
}

// herRecords returns a person's id and those of the records merged into hers, at any
// depth.
func herRecords(ctx context.Context, c q, id int64) ([]any, error) {
	ids := []any{id}
	for next := ids; len(next) > 0; {
		rows, err := c.query(ctx, `SELECT id FROM people WHERE merged_into IN (`+placeholders(len(next))+`)`, next...)
		if err != nil {
			return nil, err
		}
		next = nil
		for rows.Next() {
			var rec int64
			if err := rows.Scan(&rec); err != nil {
				rows.Close()
				return nil, err
			}
			next = append(next, rec)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = append(ids, next...)
	}
	return ids, nil
}

// dropOldPages asks SQLite to copy the write-ahead log into the database and truncate it,
// so the page images from before anonymisation, which still hold her name, leave the
// log file now rather than at the next automatic checkpoint. secure_delete (sqliteDSN)
// has zeroed them in the database itself. It is best effort: with a long read running
// the checkpoint gives up after the busy timeout, and the log is overwritten later.
// PostgreSQL keeps old row versions until vacuum; docs/operations.md says so.
func (people *People) dropOldPages(ctx context.Context) {
	if people.s.d.name == "sqlite" {
		people.s.wdb.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
}

// anonymisedInSight reports whether a person the actor could see has been anonymised:
// her relations stay, shown by kind and number, without a name.
func (people *People) anonymisedInSight(ctx context.Context, a *birge.Actor, id int64) (bool, error) {
	var org, center int64
	err := people.s.read().row(ctx, `SELECT org_id, center_id FROM people WHERE id = ? AND anonymized_at IS NOT NULL`, id).Scan(&org, &center)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil && a.Can(birge.PermPersonView, org, center), err
}
