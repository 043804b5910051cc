package birge

import (
	"slices"
	"time"
)

// A screening is one partner of a case asked, alone, about violence in the family before
// any joint session (issue 11, decision 0024). The answers are hers and sealed; the
// result, none to danger, flags the case.

// Screening results, from the least to the most serious.
const (
	RiskNone       = "none"
	RiskConcerning = "concerning"
	RiskSevere     = "severe"
	RiskDanger     = "danger"
)

// Risks are the results in order of seriousness.
var Risks = []string{RiskNone, RiskConcerning, RiskSevere, RiskDanger}

// HigherRisk returns the more serious of two results.
func HigherRisk(a, b string) string {
	if slices.Index(Risks, b) > slices.Index(Risks, a) {
		return b
	}
	return a
}

// Question is one yes/no question of a questionnaire, in the four languages.
type Question struct {
	Code      string `json:"code"`
	Domain    string `json:"domain"`
	Lethality bool   `json:"lethality"` // a yes means danger
	TextKK    string `json:"text_kk"`
	TextRU    string `json:"text_ru"`
	TextKY    string `json:"text_ky"`
	TextEN    string `json:"text_en"`
}

// Questionnaire is a version of an organisation's questions; each screening keeps the
// version it was answered on.
type Questionnaire struct {
	VersionID int64      `json:"version_id"`
	Questions []Question `json:"questions"`
}

// severeDomains are those where a yes alone makes the result severe; a yes in any other
// domain makes it concerning.
var severeDomains = []string{"threats_severe_violence", "physical_violence", "severe_physical_violence", "sexual_violence"}

// Fear thresholds: how afraid she is, 0 to 10, raises the result by itself.
const (
	FearConcerning = 4
	FearSevere     = 7
	MaxFear        = 10
)

// ScreeningResult is the result of her answers on a questionnaire: danger on any
// lethality indicator, severe on a yes in a severe domain or great fear, concerning on
// any other yes or some fear, else none. Answers to questions not in the questionnaire
// count for nothing.
func ScreeningResult(qs []Question, answers map[string]bool, fear int) string {
	r := RiskNone
	switch {
	case fear >= FearSevere:
		r = RiskSevere
	case fear >= FearConcerning:
		r = RiskConcerning
	}
	for _, q := range qs {
		if !answers[q.Code] {
			continue
		}
		switch {
		case q.Lethality:
			return RiskDanger
		case slices.Contains(severeDomains, q.Domain):
			r = HigherRisk(r, RiskSevere)
		default:
			r = HigherRisk(r, RiskConcerning)
		}
	}
	return r
}

// Screening is one partner's screening in a case. Answers and Fear are hers alone: only
// those who see the case's screenings read them.
type Screening struct {
	ID         int64           `json:"id"`
	CaseID     int64           `json:"case_id"`
	PersonID   int64           `json:"person_id"`
	Alone      bool            `json:"alone"`
	Answers    map[string]bool `json:"answers"`
	Fear       int             `json:"fear"`
	VersionID  int64           `json:"version_id"`
	Result     string          `json:"result"`
	ScreenedBy int64           `json:"screened_by"`
	ScreenedAt time.Time       `json:"screened_at"`
}

// Validate checks a screening against its questionnaire and case: she is a partner, she
// was alone, every question answered, fear in 0–10.
func (s *Screening) Validate(qs []Question, partners []int64) error {
	pr := Problems{}
	if !slices.Contains(partners, s.PersonID) {
		pr.Add("person_id", "field.choose")
	}
	if !s.Alone {
		pr.Add("alone", "screening.not_alone")
	}
	// "answers" says that some are missing; "answers.<code>" names each one, so that a form
	// marks the very questions left out, as the API's errors do.
	for _, q := range qs {
		if _, ok := s.Answers[q.Code]; !ok {
			pr.Add("answers", "screening.unanswered")
			pr.Add("answers."+q.Code, "screening.unanswered_one")
		}
	}
	for code := range s.Answers {
		if !slices.ContainsFunc(qs, func(q Question) bool { return q.Code == code }) {
			pr.Add("answers", "screening.unknown_question")
		}
	}
	if s.Fear < 0 || s.Fear > MaxFear {
		pr.Add("fear", "screening.fear_range")
	}
	return pr.Err()
}

// CaseOverride is the flag of a case lifted: by whom, when and why.
type CaseOverride struct {
	Reason string    `json:"reason"`
	By     int64     `json:"by"`
	At     time.Time `json:"at"`
}

// ValidateOverrideReason checks the written reason for lifting a case's flag.
func ValidateOverrideReason(reason string) error {
	pr := Problems{}
	pr.Add("reason", CheckText(reason, true, MaxLong, true))
	return pr.Err()
}
