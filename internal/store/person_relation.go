package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// relations lists whom a person is linked to, with the names of those the actor may
// see; a relative out of sight is shown by kind only.
func (people *People) relations(ctx context.Context, a *birge.Actor, personID int64) ([]birge.Relation, error) {
	rows, err := people.s.read().query(ctx, `SELECT r.id, r.person_id, r.other_id, r.kind FROM relations r
		WHERE r.person_id = ? OR r.other_id = ?`, personID, personID)
	if err != nil {
		return nil, err
	}
	var out []birge.Relation
	for rows.Next() {
		var rel birge.Relation
		var from, to int64
		if err := rows.Scan(&rel.ID, &from, &to, &rel.Kind); err != nil {
			rows.Close()
			return nil, err
		}
		rel.OtherID, rel.Kind = relationFrom(personID, from, to, rel.Kind)
		out = append(out, rel)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i], err = people.nameRelative(ctx, a, out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// relationFrom reads a stored relation (from's kind is to) from personID's side: who
// the other is, and what the other is to her.
func relationFrom(personID, from, to int64, kind string) (int64, string) {
	if to == personID { // stored from the other side: read it backwards
		return from, birge.RelationKinds[kind]
	}
	return to, kind
}

// nameRelative fills in the relative's name when the actor may see her, and hides who
// she is (OtherID 0) when not. An anonymised relative the actor could see keeps her
// number, without a name.
func (people *People) nameRelative(ctx context.Context, a *birge.Actor, rel birge.Relation) (birge.Relation, error) {
	other, err := people.visiblePerson(ctx, people.s.read(), a, rel.OtherID)
	if errors.Is(err, birge.ErrNotFound) {
		rel.Name = ""
		rel.Anonymised, err = people.anonymisedInSight(ctx, a, rel.OtherID)
		if !rel.Anonymised {
			rel.OtherID = 0
		}
		return rel, err
	}
	rel.Name = other.FullName()
	return rel, err
}

// AddRelation links two people: kind is what other is to person. The actor must manage
// the person and see the other; another who is out of sight, unknown, already linked
// to her or herself is refused on other_id alike, so the answer never tells whether
// someone exists in a centre the actor cannot see. Both people's histories record it.
func (people *People) AddRelation(ctx context.Context, a *birge.Actor, personID, otherID int64, kind string) (birge.Relation, error) {
	rel := birge.Relation{OtherID: otherID, Kind: kind}
	err := people.s.tx(ctx, func(c q) error {
		p, err := people.managedPerson(ctx, c, a, personID)
		if err != nil {
			return err
		}
		pr := birge.Problems{}
		if _, ok := birge.RelationKinds[kind]; !ok {
			pr.Add("kind", "field.choose")
		}
		other, err := people.visiblePerson(ctx, c, a, otherID)
		switch {
		case errors.Is(err, birge.ErrNotFound):
			pr.Add("other_id", "field.choose")
		case err != nil:
			return err
		case otherID == personID:
			pr.Add("other_id", "person.relation_self")
		default:
			var n int
			if err := c.row(ctx, `SELECT COUNT(*) FROM relations WHERE (person_id = ? AND other_id = ?)
				OR (person_id = ? AND other_id = ?)`, personID, otherID, otherID, personID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				pr.Add("other_id", "relation.exists")
			}
		}
		if err := pr.Err(); err != nil {
			return err
		}
		if err := c.row(ctx, `INSERT INTO relations (person_id, other_id, kind, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			personID, otherID, kind, people.s.now()).Scan(&rel.ID); err != nil {
			return err
		}
		rel.Name = other.FullName()
		return people.auditRelation(ctx, c, a, true, p.Person, other.Person, kind)
	})
	return rel, err
}

// RemoveRelation unlinks a person from a relative. Managing the person is enough: the
// link is part of her record even when the relative is registered where the actor cannot
// see (the page shows such a link by its kind only).
func (people *People) RemoveRelation(ctx context.Context, a *birge.Actor, personID, relationID int64) error {
	return people.s.tx(ctx, func(c q) error {
		p, err := people.managedPerson(ctx, c, a, personID)
		if err != nil {
			return err
		}
		var from, to int64
		var kind string
		err = c.row(ctx, `SELECT person_id, other_id, kind FROM relations WHERE id = ? AND (person_id = ? OR other_id = ?)`,
			relationID, personID, personID).Scan(&from, &to, &kind)
		if errors.Is(err, sql.ErrNoRows) {
			return birge.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM relations WHERE id = ?`, relationID); err != nil {
			return err
		}
		otherID, kind := relationFrom(personID, from, to, kind)
		other, err := scanPerson(c.row(ctx, `SELECT `+personColumns+` FROM people p WHERE p.id = ?`, otherID))
		if err != nil {
			return err
		}
		return people.auditRelation(ctx, c, a, false, p.Person, other.Person, kind)
	})
}

// auditRelation records a link made (added) or undone in both people's histories, each
// entry saying who the other is and what she is to the one it is about. Both entries are
// appended in one call: the two people may belong to different organisations, whose
// chains auditMany locks in one order, so two links made at once cannot deadlock.
func (people *People) auditRelation(ctx context.Context, c q, a *birge.Actor, added bool, p, other birge.Person, kind string) error {
	var evs []event
	for _, side := range []struct {
		of, other birge.Person
		kind      string
	}{{p, other, kind}, {other, p, birge.RelationKinds[kind]}} {
		link := map[string]any{"other_id": side.other.ID, "kind": side.kind}
		ev := event{action: birge.ActionRelation, entity: birge.EntityPerson, entityID: side.of.ID, orgID: side.of.OrgID,
			centerID: side.of.CenterID, changes: birge.Diff(nil, link)}
		if !added {
			ev.action, ev.changes = birge.ActionRelationRemoved, birge.Diff(link, nil)
		}
		evs = append(evs, ev)
	}
	return people.s.auditMany(ctx, c, a, evs)
}
