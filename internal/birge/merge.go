package birge

import "slices"

// FillFrom completes p, the record kept when two records of one woman are merged, with
// what the other record o knows and p does not. Where p has a value it stands. Yes/no
// answers always have one, so p's stand too — above all the safe-contact answers (may we
// call, when, may we leave a message): taking the other record's "yes" could put her in
// danger. Phones and categories are joined, p's first.
//
// Two different identity numbers mean two people, or a typo nobody can settle here: the
// merge is refused on p's identity field. The result must be validated again, since a
// birth date or sex taken from o may contradict p's identity number, or the phones
// together may be too many.
func (p *Person) FillFrom(o Person) Problems {
	pr := Problems{}
	switch mine, theirs := p.IIN+p.PIN, o.IIN+o.PIN; {
	case mine == "":
		p.IIN, p.PIN = o.IIN, o.PIN
	case theirs != "" && (p.IIN != o.IIN || p.PIN != o.PIN):
		field := "iin"
		if p.PIN != "" {
			field = "pin"
		}
		pr.Add(field, "merge.identity_differs")
	}
	fill(&p.FamilyName, o.FamilyName)
	fill(&p.Patronymic, o.Patronymic)
	fill(&p.Sex, o.Sex)
	switch {
	case p.BirthDate == "" && o.BirthDate != "": // a date is better than an approximate year
		p.BirthDate, p.BirthYear = o.BirthDate, o.BirthYear
	case p.BirthDate == "" && p.BirthYear == 0:
		p.BirthYear = o.BirthYear
	}
	fill(&p.Email, o.Email)
	switch {
	case p.Region == "" && p.Country == o.Country:
		p.Region, p.District = o.Region, o.District
	case p.Region == o.Region:
		fill(&p.District, o.District)
	}
	fill(&p.Settlement, o.Settlement)
	if p.Children == nil {
		p.Children = o.Children
	}
	fill(&p.IncomeBand, o.IncomeBand)
	p.Phones = union(p.Phones, o.Phones)
	p.Categories = union(p.Categories, o.Categories)
	return pr
}

func fill(dst *string, src string) {
	if *dst == "" {
		*dst = src
	}
}

// union is a new slice of a's items, then b's that a lacks.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, s := range b {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
