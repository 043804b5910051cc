package store

import (
	"context"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Duplicate is a registered person who may be the same as a candidate record. For a
// record the actor may not open, only the centre to contact is given: PersonID is 0 and
// Name empty, so nothing about her leaks across centres.
type Duplicate struct {
	PersonID int64       `json:"person_id,omitempty"`
	Name     string      `json:"name,omitempty"`
	Visible  bool        `json:"visible"`
	CenterID int64       `json:"center_id"`
	Center   birge.Names `json:"center"`  // whom to contact
	Reasons  []string    `json:"reasons"` // identity, phone, name_birth
}

// maxDuplicates bounds the answer; more than a handful means the candidate is too vague.
const maxDuplicates = 20

// FindDuplicates lists people of the candidate's organisation, in every centre, who may
// be the same person: the same identity number, a shared phone, or the same birth date
// with a similar name (after transliteration). The candidate's own id is left out, so an
// edited record does not match itself.
func (people *People) FindDuplicates(ctx context.Context, a *birge.Actor, p birge.Person) ([]Duplicate, error) {
	if a.ScopeOf(birge.PermPersonManage).Empty() {
		return nil, birge.ErrForbidden // only those who register people need to know
	}
	ctr, err := people.s.getCenter(ctx, people.s.read(), p.CenterID)
	if err != nil || !a.Can(birge.PermPersonView, ctr.OrgID, ctr.ID) {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.choose"}}
	}
	if p.Country == "" {
		p.Country = ctr.Country
	}
	// Validation normalises phones and reads the identity number; a candidate with
	// problems elsewhere is still worth checking.
	_ = p.Validate(a.Today(people.s.now()))
	matches, err := people.matchPeople(ctx, people.s.read(), ctr.OrgID, p)
	if err != nil {
		return nil, err
	}
	out := []Duplicate{}
	for _, m := range matches {
		d := Duplicate{CenterID: m.CenterID, Reasons: m.reasons}
		if a.Can(birge.PermPersonView, ctr.OrgID, m.CenterID) {
			d.PersonID, d.Name, d.Visible = m.ID, m.FullName(), true
		}
		out = append(out, d)
	}
	// Name each match's centre, whom to contact; an organisation has a handful.
	names := map[int64]birge.Names{}
	for i, d := range out {
		if _, ok := names[d.CenterID]; !ok {
			c, err := people.s.getCenter(ctx, people.s.read(), d.CenterID)
			if err != nil {
				return nil, err
			}
			names[d.CenterID] = c.Names
		}
		out[i].Center = names[d.CenterID]
	}
	return out, nil
}

// match is a registered person who may be the same as a candidate, and why.
type match struct {
	birge.Person // id, centre and name only
	reasons      []string
}

// matchPeople finds up to maxDuplicates live people of organisation org, other than the
// candidate herself, with the same identity number, a shared phone, or the same birth
// date and a similar name. The candidate must have been validated, so that her phones
// are in E.164. It runs on c, so that a transaction saving her can queue what it finds.
func (people *People) matchPeople(ctx context.Context, c q, org int64, p birge.Person) ([]match, error) {
	// Each way of matching has its index; their ids are unioned first, so the people row
	// is read only for candidates. (One WHERE with ORs made SQLite walk the whole
	// organisation: 100 ms on a million people.)
	var ways []string
	var args []any
	lookup := ""
	if id, ok := personIdentity(p); ok {
		lookup = people.s.seal.lookup(string(id.Kind), id.Number)
	}
	if lookup != "" {
		ways, args = append(ways, "SELECT id FROM people WHERE id_lookup = ?"), append(args, lookup)
	}
	// samePhone is both a way and, selected, the reason: one query for all matches.
	samePhone := "0 = 1"
	var phoneArgs []any
	if len(p.Phones) > 0 {
		phones := "SELECT person_id FROM person_phones WHERE phone IN (" + placeholders(len(p.Phones)) + ")"
		samePhone = "p.id IN (" + phones + ")"
		for _, ph := range p.Phones {
			phoneArgs = append(phoneArgs, ph)
		}
		ways, args = append(ways, phones), append(args, phoneArgs...)
	}
	if p.BirthDate != "" {
		ways, args = append(ways, "SELECT id FROM people WHERE org_id = ? AND birth_date = ?"), append(args, org, p.BirthDate)
	}
	if len(ways) == 0 {
		return nil, nil
	}
	w := where{}
	w.add("p.id IN ("+strings.Join(ways, " UNION ")+")", args...)
	// The unary + keeps SQLite off the organisation index: the candidates drive.
	w.add("+p.org_id = ? AND p.id <> ? AND p.merged_into IS NULL AND p.anonymized_at IS NULL", org, p.ID)
	rows, err := c.query(ctx, `SELECT p.id, p.center_id, p.family_name, p.given_name, p.patronymic,
		p.birth_date, p.id_lookup, CASE WHEN `+samePhone+` THEN 1 ELSE 0 END FROM people p`+w.sql()+
		` ORDER BY p.id LIMIT 500`, append(phoneArgs, w.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []match
	for rows.Next() && len(out) < maxDuplicates {
		var m match
		var mLookup string
		var phoneMatch int
		if err := rows.Scan(&m.ID, &m.CenterID, &m.FamilyName, &m.GivenName, &m.Patronymic, &m.BirthDate,
			&mLookup, &phoneMatch); err != nil {
			return nil, err
		}
		if lookup != "" && mLookup == lookup {
			m.reasons = append(m.reasons, "identity")
		}
		if phoneMatch == 1 {
			m.reasons = append(m.reasons, "phone")
		}
		if p.BirthDate != "" && m.BirthDate == p.BirthDate && birge.SimilarNames(p.FullName(), m.FullName()) {
			m.reasons = append(m.reasons, "name_birth")
		}
		if len(m.reasons) > 0 {
			out = append(out, m)
		}
	}
	return out, rows.Err()
}
