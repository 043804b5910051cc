package birge

import (
	"encoding/json"
	"regexp"
	"testing"
)

// TestCheckAnswers: each answer is read by its field's type and refused by its own
// field when it is not one; required ones are asked only on submitting, a file field's
// by an attachment.
func TestCheckAnswers(t *testing.T) {
	c := Call{Budget: Money{Currency: "KGS"}, Form: []CallField{
		{Code: "idea", Type: "longtext", Required: true},
		{Code: "school", Type: "text"},
		{Code: "jobs", Type: "number", Required: true},
		{Code: "income", Type: "money"},
		{Code: "since", Type: "date"},
		{Code: "village", Type: "choice", Options: []CallOption{{Code: "yes"}, {Code: "no"}}},
		{Code: "photos", Type: "file", Required: true},
	}}
	raw := func(s string) map[string]json.RawMessage {
		var m map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	for _, x := range []struct {
		body  string
		field string // "": no problem
		key   string
	}{
		{`{"idea": "Наабайкана\nжана дүкөн", "jobs": 3, "income": {"amount": 5000000, "currency": "KGS"}, "since": "2025-04-01", "village": "yes"}`, "", ""},
		{`{"school": "Мектеп\n№ 5"}`, "answers.school", "field.single_line"},
		{`{"jobs": 2.5}`, "answers.jobs", "field.range"},
		{`{"jobs": "three"}`, "answers.jobs", "field.type"},
		{`{"income": {"amount": 100, "currency": "USD"}}`, "answers.income", "call.currency_other"},
		{`{"income": 100}`, "answers.income", "field.type"},
		{`{"since": "01.04.2025"}`, "answers.since", "field.date"},
		{`{"village": "maybe"}`, "answers.village", "field.choose"},
		{`{"photos": "a.png"}`, "answers.photos", "application.file_apart"},
		{`{"nickname": "Ая"}`, "answers", "application.unknown_field"},
		{`{"idea": null, "school": "  "}`, "", ""},
	} {
		_, pr := CheckAnswers(c, raw(x.body), nil, false)
		switch {
		case x.field == "" && len(pr) > 0:
			t.Errorf("%s: %v", x.body, pr)
		case x.field != "" && pr[x.field] != x.key:
			t.Errorf("%s: %v, want %s on %s", x.body, pr, x.key, x.field)
		}
	}
	got, _ := CheckAnswers(c, raw(`{"jobs": 3, "income": {"amount": 5000000, "currency": "KGS"}, "school": " "}`), nil, false)
	if got["jobs"] != int64(3) || got["income"] != (Money{5000000, "KGS"}) || len(got) != 2 {
		t.Errorf("read as %v", got)
	}
	_, pr := CheckAnswers(c, raw(`{"idea": "Наабайкана"}`), nil, true)
	if pr["answers.jobs"] != "field.required" || pr["answers.photos"] != "field.required" || pr["answers.idea"] != "" {
		t.Errorf("submitting without the required: %v", pr)
	}
	if _, pr := CheckAnswers(c, raw(`{"idea": "Наабайкана", "jobs": 1}`), map[string]int{"photos": 1}, true); len(pr) > 0 {
		t.Errorf("submitting with a photo: %v", pr)
	}
}

func TestNewReference(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		r := NewReference("business_grant")
		if !regexp.MustCompile(`^BG-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$`).MatchString(r) || seen[r] {
			t.Fatalf("reference %q", r)
		}
		seen[r] = true
	}
	if r := NewReference("scholarship"); r[:3] != "SC-" || CleanReference(" sc-ab2c-3def ") != "SC-AB2C-3DEF" {
		t.Errorf("%q", r)
	}
}
