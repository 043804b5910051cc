package birge

import (
	"reflect"
	"testing"
)

// The kept record's values stand; what she lacks comes from the other; yes/no answers,
// above all may-we-call, are never taken from the other record.
func TestFillFrom(t *testing.T) {
	two := 2
	kept := Person{GivenName: "Айжан", Country: "KZ", Region: "KZ15", Phones: []string{"+77011234567"},
		Categories: []string{"rural"}, MayCall: false, Settlement: "Ақтөбе"}
	other := Person{FamilyName: "Zhumabaeva", GivenName: "Aizhan", Sex: "female", BirthDate: "1985-03-15", BirthYear: 1985,
		IIN: "850315401231", Country: "KZ", Region: "KZ15", District: "KZ151000", Settlement: "Бадамша",
		Phones: []string{"+77771002030", "+77011234567"}, Categories: []string{"dv_survivor", "rural"}, Email: "a@example.kz",
		Children: &two, IncomeBand: "low", MayCall: true, CallTimes: "10:00–12:00", MayLeaveMessage: true, Rural: true}
	before := other
	if pr := kept.FillFrom(other); len(pr) != 0 {
		t.Fatalf("problems %v", pr)
	}
	want := Person{FamilyName: "Zhumabaeva", GivenName: "Айжан", Sex: "female", BirthDate: "1985-03-15", BirthYear: 1985,
		IIN: "850315401231", Country: "KZ", Region: "KZ15", District: "KZ151000", Settlement: "Ақтөбе",
		Phones: []string{"+77011234567", "+77771002030"}, Categories: []string{"rural", "dv_survivor"}, Email: "a@example.kz",
		Children: &two, IncomeBand: "low"}
	if !reflect.DeepEqual(kept, want) {
		t.Errorf("filled:\n%+v\nwant\n%+v", kept, want)
	}
	if !reflect.DeepEqual(other, before) {
		t.Errorf("the other record changed: %+v", other)
	}

	// An approximate year gives way to a date; a region of another country is not taken.
	p := Person{BirthYear: 1990, Country: "KG"}
	p.FillFrom(Person{BirthDate: "1989-12-31", BirthYear: 1989, Country: "KZ", Region: "KZ15"})
	if p.BirthDate != "1989-12-31" || p.BirthYear != 1989 || p.Region != "" {
		t.Errorf("birth and region: %+v", p)
	}
	// Two different identity numbers are refused on the kept record's field.
	for _, c := range []struct {
		kept, other Person
		field       string
	}{
		{Person{IIN: "850315401231"}, Person{IIN: "921107404560"}, "iin"},
		{Person{PIN: "11506199300123"}, Person{IIN: "921107404560"}, "pin"},
		{Person{IIN: "850315401231"}, Person{IIN: "850315401231"}, ""},
		{Person{IIN: "850315401231"}, Person{}, ""},
	} {
		pr := c.kept.FillFrom(c.other)
		if c.field == "" && len(pr) != 0 || c.field != "" && pr[c.field] != "merge.identity_differs" {
			t.Errorf("%s + %s: %v", c.kept.IIN+c.kept.PIN, c.other.IIN, pr)
		}
	}
}

// Chosen fields come from the record chosen, as a whole (a birth date with its year,
// the safe-contact answers together); fields not chosen are FillFrom's; a choice of a
// field unknown, or of one where the records agree, or of neither record, is refused.
func TestMergeWith(t *testing.T) {
	kept := Person{FamilyName: "Жұмабаева", GivenName: "Айжан", BirthYear: 1985, MayCall: false}
	other := Person{FamilyName: "Zhumabaeva", GivenName: "Айжан", BirthDate: "1985-03-15", BirthYear: 1985,
		Email: "a@example.kz", MayCall: true, CallTimes: "10:00–12:00"}
	got, pr := kept.MergeWith(other, MergeChoice{"family_name": MergeOther, "safe_contact": MergeOther, "email": MergeKept})
	if len(pr) != 0 {
		t.Fatalf("problems %v", pr)
	}
	if got.FamilyName != "Zhumabaeva" || !got.MayCall || got.CallTimes != "10:00–12:00" || got.Email != "" ||
		got.BirthDate != "1985-03-15" || kept.FamilyName != "Жұмабаева" {
		t.Errorf("merged: %+v (kept now %+v)", got, kept)
	}
	if taken := MergeTaken(kept, got, other); !reflect.DeepEqual(taken, []string{"family_name", "birth", "safe_contact"}) {
		t.Errorf("taken from the other: %v", taken)
	}
	_, pr = kept.MergeWith(other, MergeChoice{"given_name": MergeOther, "iin": MergeOther, "email": "both"})
	want := Problems{"choices.given_name": "merge.choice_same", "choices.iin": "merge.choice_unknown", "choices.email": "field.choose"}
	if !reflect.DeepEqual(pr, want) {
		t.Errorf("refusals %v, want %v", pr, want)
	}
}
