package birge

import (
	"slices"
	"time"
)

// SafetyPlan is a survivor's safety plan on a flagged case (issue 11, decision 0026):
// who she can turn to, where she can go, a code word, her documents and money, and her
// children's safety. Every field is hers and sealed with her key; only those who see the
// case's screenings read it.
type SafetyPlan struct {
	ID             int64     `json:"id"`
	CaseID         int64     `json:"case_id"`
	PersonID       int64     `json:"person_id"`
	SafeContacts   string    `json:"safe_contacts"`
	SafePlace      string    `json:"safe_place"`
	CodeWord       string    `json:"code_word"`
	DocumentsMoney string    `json:"documents_money"`
	ChildrenSafety string    `json:"children_safety"`
	CreatedBy      int64     `json:"created_by"` // read-only
	CreatedAt      time.Time `json:"created_at"` // read-only
	UpdatedAt      time.Time `json:"updated_at"` // read-only: the version
}

// Validate checks a plan against its case's partners: she is one of them, something is
// written, and each field is text that can be stored.
func (p *SafetyPlan) Validate(partners []int64) error {
	pr := Problems{}
	if !slices.Contains(partners, p.PersonID) {
		pr.Add("person_id", "field.choose")
	}
	fields := map[string]string{"safe_contacts": p.SafeContacts, "safe_place": p.SafePlace,
		"code_word": p.CodeWord, "documents_money": p.DocumentsMoney, "children_safety": p.ChildrenSafety}
	empty := true
	for name, v := range fields {
		max := MaxLong
		if name == "code_word" {
			max = MaxShort
		}
		pr.Add(name, CheckText(v, false, max, name != "code_word"))
		empty = empty && Invisible(v)
	}
	if empty && len(pr) == 0 {
		pr.Add("safe_contacts", "safety_plan.empty")
	}
	return pr.Err()
}
