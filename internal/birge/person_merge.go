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

// Which record a merged field's value comes from (MergeChoice's values).
const (
	MergeKept  = "kept"
	MergeOther = "other"
)

// MergeChoice is what the coordinator picked on the comparison screen: for a field of
// MergeFields, which record's value the kept record takes. A field not named gets
// FillFrom's answer (hers where she has one), which is also the screen's default.
type MergeChoice map[string]string

// mergeField is a part of a record chosen as one: a birth date with its year, an
// address with its parts, the three safe-contact answers, so that no mix of the two
// records makes a combination neither holds.
type mergeField struct {
	name string
	of   func(p Person) []any
	take func(p *Person, o Person)
}

var mergeFields = []mergeField{
	{"family_name", func(p Person) []any { return []any{p.FamilyName} }, func(p *Person, o Person) { p.FamilyName = o.FamilyName }},
	{"given_name", func(p Person) []any { return []any{p.GivenName} }, func(p *Person, o Person) { p.GivenName = o.GivenName }},
	{"patronymic", func(p Person) []any { return []any{p.Patronymic} }, func(p *Person, o Person) { p.Patronymic = o.Patronymic }},
	{"sex", func(p Person) []any { return []any{p.Sex} }, func(p *Person, o Person) { p.Sex = o.Sex }},
	{"birth", func(p Person) []any { return []any{p.BirthDate, p.BirthYear} },
		func(p *Person, o Person) { p.BirthDate, p.BirthYear = o.BirthDate, o.BirthYear }},
	{"center", func(p Person) []any { return []any{p.CenterID} }, func(p *Person, o Person) { p.CenterID = o.CenterID }},
	{"place", func(p Person) []any { return []any{p.Country, p.Region, p.District, p.Settlement, p.Rural} },
		func(p *Person, o Person) {
			p.Country, p.Region, p.District, p.Settlement, p.Rural = o.Country, o.Region, o.District, o.Settlement, o.Rural
		}},
	{"email", func(p Person) []any { return []any{p.Email} }, func(p *Person, o Person) { p.Email = o.Email }},
	{"children", func(p Person) []any {
		if p.Children == nil {
			return []any{nil}
		}
		return []any{*p.Children}
	}, func(p *Person, o Person) { p.Children = o.Children }},
	{"income_band", func(p Person) []any { return []any{p.IncomeBand} }, func(p *Person, o Person) { p.IncomeBand = o.IncomeBand }},
	{"special_needs", func(p Person) []any { return []any{p.SpecialNeeds} }, func(p *Person, o Person) { p.SpecialNeeds = o.SpecialNeeds }},
	{"safe_contact", func(p Person) []any { return []any{p.MayCall, p.CallTimes, p.MayLeaveMessage} },
		func(p *Person, o Person) {
			p.MayCall, p.CallTimes, p.MayLeaveMessage = o.MayCall, o.CallTimes, o.MayLeaveMessage
		}},
}

// MergeFields are the fields a coordinator may choose one by one, in the screen's order.
// Phones and categories are not among them: both records' are kept. Nor is the identity
// number: two different numbers refuse the merge (FillFrom), one fills an empty one.
var MergeFields = func() []string {
	names := make([]string, len(mergeFields))
	for i, f := range mergeFields {
		names[i] = f.name
	}
	return names
}()

// MergeDiffers says, for each field of MergeFields, whether the two records differ in it.
func MergeDiffers(p, o Person) map[string]bool {
	out := map[string]bool{}
	for _, f := range mergeFields {
		out[f.name] = !slices.Equal(f.of(p), f.of(o))
	}
	return out
}

// MergeWith is what the kept record p becomes when o is merged into it: what FillFrom
// gives, then each chosen field from the record chosen. A choice of a field unknown or
// one where the two records agree, or of neither record, is refused on "choices.<field>";
// so is what FillFrom refuses. The result must still be validated, as after FillFrom.
func (p Person) MergeWith(o Person, choice MergeChoice) (Person, Problems) {
	out := p
	pr := out.FillFrom(o)
	differs := MergeDiffers(p, o)
	for name, side := range choice {
		field := "choices." + name
		i := slices.IndexFunc(mergeFields, func(f mergeField) bool { return f.name == name })
		switch {
		case i < 0:
			pr.Add(field, "merge.choice_unknown")
		case !differs[name]:
			pr.Add(field, "merge.choice_same")
		case side == MergeKept:
			mergeFields[i].take(&out, p)
		case side == MergeOther:
			mergeFields[i].take(&out, o)
		default:
			pr.Add(field, "field.choose")
		}
	}
	return out, pr
}

// MergeTaken lists the fields of MergeFields in which the kept record, was before the
// merge and is after it, took the other record's value: what the audit entry records.
func MergeTaken(was, is, other Person) []string {
	var out []string
	for _, f := range mergeFields {
		if now := f.of(is); !slices.Equal(now, f.of(was)) && slices.Equal(now, f.of(other)) {
			out = append(out, f.name)
		}
	}
	return out
}
