package birge

import (
	"slices"
	"time"
)

// Program is what an organisation runs for the women it serves: Mama Pro's
// AEIF-funded business training, a family centre's counselling of survivors. Deliveries,
// outcomes and funding will hang from it; participants are who takes part.
type Program struct {
	ID    int64 `json:"id"`
	OrgID int64 `json:"organization_id"`
	Names
	Descriptions
	Kind       string    `json:"kind"`
	CenterIDs  []int64   `json:"center_ids"` // where it runs; none: the whole organisation
	StartsOn   string    `json:"starts_on"`  // YYYY-MM-DD
	EndsOn     string    `json:"ends_on"`    // YYYY-MM-DD or empty while open-ended
	Status     string    `json:"status"`
	Categories []string  `json:"categories"`  // target groups: codes of the organisation's list
	SDGTargets []string  `json:"sdg_targets"` // the SDG 5 targets it serves
	Sensitive  bool      `json:"sensitive"`   // who takes part is seen only with person.sensitive
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Descriptions holds a text in each of the four languages, like Names.
type Descriptions struct {
	KK string `json:"description_kk"`
	RU string `json:"description_ru"`
	KY string `json:"description_ky"`
	EN string `json:"description_en"`
}

// In returns the description in lang, with the fallbacks of Names.In.
func (d Descriptions) In(lang string) string { return Names(d).In(lang) }

// ProgramKinds are the kinds of programme, in display order.
var ProgramKinds = []string{"counselling", "training", "grants", "scholarships", "leadership", "other"}

// ProgramStatuses are a programme's states, in display order.
var ProgramStatuses = []string{"planned", "active", "closed"}

// SDGTargets are the targets of Sustainable Development Goal 5 (gender equality).
var SDGTargets = []string{"5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "5.a", "5.b", "5.c"}

// Validate checks a programme against its organisation's categories (the one check of
// CategoryList.Split, held being the target groups it had, so a retired one may stay) and
// puts its lists in a stable order. Centres are checked by the store, which knows them.
func (p *Program) Validate(list CategoryList, held []string) error {
	pr := Problems{}
	p.Names.check(pr)
	for _, lang := range Langs {
		pr.Add("description_"+lang, CheckText(Names(p.Descriptions).get(lang), false, MaxLong, true))
	}
	if !oneOf(p.Kind, ProgramKinds) {
		pr.Add("kind", "field.choose")
	}
	if !oneOf(p.Status, ProgramStatuses) {
		pr.Add("status", "field.choose")
	}
	start, err := time.Parse(time.DateOnly, p.StartsOn)
	if err != nil {
		pr.Add("starts_on", "field.date")
	}
	if p.EndsOn != "" {
		end, err := time.Parse(time.DateOnly, p.EndsOn)
		switch {
		case err != nil:
			pr.Add("ends_on", "field.date")
		case pr["starts_on"] == "" && end.Before(start):
			pr.Add("ends_on", "program.ends_before_start")
		}
	}
	plain, sensitive, problem := list.Split(p.Categories, held)
	pr.Add("categories", problem)
	p.Categories = append(plain, sensitive...)
	slices.Sort(p.Categories)
	for _, t := range p.SDGTargets {
		if !oneOf(t, SDGTargets) {
			pr.Add("sdg_targets", "field.choose")
		}
	}
	p.SDGTargets = sortedUnique(p.SDGTargets)
	p.CenterIDs = sortedUnique(p.CenterIDs)
	return pr.Err()
}

func sortedUnique[T int64 | string](s []T) []T {
	out := slices.Clone(s)
	slices.Sort(out)
	out = slices.Compact(out)
	if out == nil {
		out = []T{}
	}
	return out
}

// Participant is a person taking part in a programme: from the day she joined to the day
// she left, and why.
type Participant struct {
	ID        int64     `json:"id"`
	ProgramID int64     `json:"program_id"`
	PersonID  int64     `json:"person_id"`
	JoinedOn  string    `json:"joined_on"`
	LeftOn    string    `json:"left_on"`
	Reason    string    `json:"reason"`
	CreatedAt time.Time `json:"created_at"`
}

// Validate checks a participation: days as YYYY-MM-DD, joined not after today (the
// user's day, Actor.Today), left not before joined, a reason only with a day of leaving.
func (pt *Participant) Validate(today time.Time) error {
	pr := Problems{}
	pr.Add("joined_on", CheckPastDate(pt.JoinedOn, today))
	if pt.LeftOn != "" {
		pr.Add("left_on", CheckPastDate(pt.LeftOn, today))
		if pr["joined_on"] == "" && pr["left_on"] == "" && pt.LeftOn < pt.JoinedOn {
			pr.Add("left_on", "program.left_before_joined")
		}
	}
	pr.Add("reason", CheckText(pt.Reason, false, MaxLong, false))
	if pt.Reason != "" && pt.LeftOn == "" {
		pr.Add("left_on", "field.required")
	}
	return pr.Err()
}

// Active reports whether she still takes part.
func (pt Participant) Active() bool { return pt.LeftOn == "" }
