package birge

import "testing"

// TestScreeningResult: each domain alone, every lethality indicator, and fear by itself.
func TestScreeningResult(t *testing.T) {
	want := map[string]string{"psychological_abuse": RiskConcerning, "coercive_control": RiskConcerning,
		"stalking": RiskConcerning, "threats_severe_violence": RiskSevere, "physical_violence": RiskSevere,
		"severe_physical_violence": RiskSevere, "sexual_violence": RiskSevere}
	domains := map[string]bool{}
	for _, q := range DefaultQuestions {
		got := ScreeningResult(DefaultQuestions, map[string]bool{q.Code: true}, 0)
		switch {
		case q.Lethality && got != RiskDanger:
			t.Errorf("%s: %s, want danger", q.Code, got)
		case !q.Lethality && got != want[q.Domain]:
			t.Errorf("%s (%s): %s, want %s", q.Code, q.Domain, got, want[q.Domain])
		}
		domains[q.Domain] = true
		if q.TextKK == "" || q.TextRU == "" || q.TextKY == "" || q.TextEN == "" {
			t.Errorf("%s: a language missing", q.Code)
		}
	}
	if len(domains) != len(want) {
		t.Errorf("domains %v, want the seven", domains)
	}
	for fear, r := range map[int]string{0: RiskNone, 3: RiskNone, 4: RiskConcerning, 6: RiskConcerning, 7: RiskSevere, 10: RiskSevere} {
		if got := ScreeningResult(DefaultQuestions, map[string]bool{}, fear); got != r {
			t.Errorf("fear %d: %s, want %s", fear, got, r)
		}
	}
	// A lethality indicator outweighs everything; an unknown code counts for nothing.
	if got := ScreeningResult(DefaultQuestions, map[string]bool{"insults": true, "strangling": true}, 0); got != RiskDanger {
		t.Errorf("insults and strangling: %s", got)
	}
	if got := ScreeningResult(DefaultQuestions, map[string]bool{"astrology": true}, 0); got != RiskNone {
		t.Errorf("unknown question: %s", got)
	}
}

// TestScreeningValidate: not alone is refused with its own message; each mistake by field.
func TestScreeningValidate(t *testing.T) {
	all := map[string]bool{}
	for _, q := range DefaultQuestions {
		all[q.Code] = false
	}
	for field, s := range map[string]Screening{
		"alone":     {PersonID: 1, Answers: all},
		"person_id": {PersonID: 3, Alone: true, Answers: all},
		"answers":   {PersonID: 1, Alone: true, Answers: map[string]bool{"insults": true}},
		"fear":      {PersonID: 1, Alone: true, Answers: all, Fear: 11},
	} {
		e := AsError(s.Validate(DefaultQuestions, []int64{1, 2}))
		if e == nil || e.Fields[field] == "" || (field != "answers" && len(e.Fields) != 1) {
			t.Errorf("%s: %v", field, e)
		}
	}
	// Each question left out is named, so that the form marks it; the one answered is not.
	e := AsError((&Screening{PersonID: 1, Alone: true, Answers: map[string]bool{"insults": true}}).Validate(DefaultQuestions, []int64{1}))
	if e.Fields["answers.insults"] != "" || len(e.Fields) != len(DefaultQuestions) {
		t.Errorf("per question: %v", e.Fields)
	}
	for _, q := range DefaultQuestions[1:] {
		if q.Code != "insults" && e.Fields["answers."+q.Code] != "screening.unanswered_one" {
			t.Errorf("%s not named: %v", q.Code, e.Fields)
		}
	}
	if e := AsError((&Screening{PersonID: 1, Answers: all}).Validate(DefaultQuestions, []int64{1})); e.Fields["alone"] != "screening.not_alone" {
		t.Errorf("not alone: %v", e.Fields)
	}
}
