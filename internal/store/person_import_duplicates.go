package store

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// maxDuplicatesPerRow bounds what one row reports: a shared office phone matches many.
const maxDuplicatesPerRow = 3

// duplicates reports rows that share a phone or a birth date and a similar name with
// another row or with someone registered in the organisation. Bad rows are left out:
// they will be fixed first.
func (ck *importCheck) duplicates(ctx context.Context, rows []birge.ImportRow, people []birge.Person) error {
	found := map[int][]ImportDuplicate{} // by row index
	// add records that row i may be other: another row (-its index-1) or a person (id).
	add := func(i int, other int64, d ImportDuplicate) {
		for k, have := range found[i] {
			if have.other == other {
				found[i][k].Reasons = append(found[i][k].Reasons, d.Reasons...)
				return
			}
		}
		ck.pairs = append(ck.pairs, importPair{row: i, other: other, reason: d.Reasons[0]})
		if len(found[i]) < maxDuplicatesPerRow {
			d.other = other
			found[i] = append(found[i], d)
		}
	}

	// Within the file.
	byPIN := map[string]int{}
	byPhone := map[string]int{}
	byBirth := map[string][]int{}
	tokens := make([][]string, len(people))
	for i, p := range people {
		if ck.bad[i] {
			continue
		}
		if id, ok := personIdentity(p); ok && id.Kind == birge.IdentityPIN {
			l := ck.seal.lookup(string(id.Kind), id.Number)
			if first, ok := byPIN[l]; ok {
				add(i, -int64(first)-1, ImportDuplicate{Line: rows[i].Line, OtherLine: rows[first].Line, Reasons: []string{"identity"}})
			} else {
				byPIN[l] = i
			}
		}
		for _, ph := range p.Phones {
			if first, ok := byPhone[ph]; ok {
				add(i, -int64(first)-1, ImportDuplicate{Line: rows[i].Line, OtherLine: rows[first].Line, Reasons: []string{"phone"}})
			} else {
				byPhone[ph] = i
			}
		}
		if p.BirthDate == "" {
			continue
		}
		tokens[i] = birge.NameTokens(p.FullName())
		for _, j := range byBirth[p.BirthDate] {
			if birge.SimilarTokens(tokens[i], tokens[j]) {
				add(i, -int64(j)-1, ImportDuplicate{Line: rows[i].Line, OtherLine: rows[j].Line, Reasons: []string{"name_birth"}})
			}
		}
		byBirth[p.BirthDate] = append(byBirth[p.BirthDate], i)
	}

	// Against the registry. A match the importer may not open names only its centre.
	match := func(i int, id, center int64, name, reason string) error {
		names, err := ck.centerNames(ctx, center)
		if err != nil {
			return err
		}
		d := ImportDuplicate{Line: rows[i].Line, Reasons: []string{reason}, Center: &names}
		if ck.a.Can(birge.PermPersonView, ck.org, center) {
			d.PersonID, d.Name = id, name
		}
		add(i, id, d)
		return nil
	}
	err := ck.inBatches(ctx, slices.Collect(maps.Keys(byPIN)), `SELECT id_lookup, id, org_id, center_id, family_name, given_name, patronymic
		FROM people WHERE id_lookup IN (%s) AND merged_into IS NULL AND anonymized_at IS NULL`,
		func(scan func(...any) error) error {
			var l string
			var m birge.Person
			if err := scan(&l, &m.ID, &m.OrgID, &m.CenterID, &m.FamilyName, &m.GivenName, &m.Patronymic); err != nil || m.OrgID != ck.org {
				return err
			}
			return match(byPIN[l], m.ID, m.CenterID, m.FullName(), "identity")
		})
	if err != nil {
		return err
	}
	// CROSS JOIN makes SQLite start from the phones; PostgreSQL reads it as a plain join.
	err = ck.inBatches(ctx, slices.Collect(maps.Keys(byPhone)), `SELECT ph.phone, p.id, p.org_id, p.center_id, p.family_name, p.given_name, p.patronymic
		FROM person_phones ph CROSS JOIN people p WHERE p.id = ph.person_id AND ph.phone IN (%s)
		AND p.merged_into IS NULL AND p.anonymized_at IS NULL`, func(scan func(...any) error) error {
		var ph string
		var m birge.Person
		if err := scan(&ph, &m.ID, &m.OrgID, &m.CenterID, &m.FamilyName, &m.GivenName, &m.Patronymic); err != nil || m.OrgID != ck.org {
			return err
		}
		return match(byPhone[ph], m.ID, m.CenterID, m.FullName(), "phone")
	})
	if err != nil {
		return err
	}
	err = ck.inBatches(ctx, slices.Collect(maps.Keys(byBirth)), `SELECT birth_date, id, org_id, center_id, name_key, family_name, given_name, patronymic
		FROM people WHERE org_id = ? AND birth_date IN (%s) AND merged_into IS NULL AND anonymized_at IS NULL`,
		func(scan func(...any) error) error {
			var m birge.Person
			var key string
			if err := scan(&m.BirthDate, &m.ID, &m.OrgID, &m.CenterID, &key, &m.FamilyName, &m.GivenName, &m.Patronymic); err != nil || m.OrgID != ck.org {
				return err
			}
			theirs := strings.Fields(key)
			for _, i := range byBirth[m.BirthDate] {
				if birge.SimilarTokens(tokens[i], theirs) {
					if err := match(i, m.ID, m.CenterID, m.FullName(), "name_birth"); err != nil {
						return err
					}
				}
			}
			return nil
		}, ck.org)
	if err != nil {
		return err
	}
	for i := range people {
		if ds := found[i]; len(ds) > 0 {
			ck.rep.DuplicateRows++
			if len(ck.rep.Duplicates) < maxReported {
				ck.rep.Duplicates = append(ck.rep.Duplicates, ds...)
			}
		}
	}
	return nil
}
