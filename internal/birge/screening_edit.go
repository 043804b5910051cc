package birge

import (
	"strconv"
)

// ScreeningDomains are the seven kinds of abuse a question asks about, in the order the
// questionnaire's editor offers them (issue 11; decision 0024).
var ScreeningDomains = []string{"psychological_abuse", "coercive_control", "threats_severe_violence",
	"physical_violence", "severe_physical_violence", "sexual_violence", "stalking"}

// MaxQuestions bounds one questionnaire: a screening is asked aloud, in one sitting.
const MaxQuestions = 40

// ValidateQuestions checks a new version of an organisation's questionnaire (decision
// 0028): every question with a code that can go into an answer's key, unique in the
// version; one of the seven domains; its text in the four languages; and at least one
// lethality question, since without one no answer could ever be danger. Each problem
// is named by the question's place, "questions.2.text_ky", so the form shows it beside
// that very field.
func ValidateQuestions(qs []Question) error {
	pr := Problems{}
	if len(qs) == 0 {
		pr.Add("questions", "screening_edit.none")
	}
	if len(qs) > MaxQuestions {
		pr.Add("questions", "screening_edit.too_many")
	}
	seen := map[string]bool{}
	lethal := false
	for i, q := range qs {
		at := "questions." + strconv.Itoa(i) + "."
		switch {
		case !categoryCode.MatchString(q.Code):
			pr.Add(at+"code", "categories.code_format")
		case seen[q.Code]:
			pr.Add(at+"code", "kinds.code_taken")
		}
		seen[q.Code] = true
		if !oneOf(q.Domain, ScreeningDomains) {
			pr.Add(at+"domain", "field.choose")
		}
		for lang, text := range map[string]string{"kk": q.TextKK, "ru": q.TextRU, "ky": q.TextKY, "en": q.TextEN} {
			pr.Add(at+"text_"+lang, CheckText(text, true, MaxLong, false))
		}
		lethal = lethal || q.Lethality
	}
	if len(qs) > 0 && !lethal {
		pr.Add("questions", "screening_edit.no_lethality")
	}
	return pr.Err()
}
