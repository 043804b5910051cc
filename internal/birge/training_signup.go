package birge

import (
	"slices"
	"strings"
	"time"
)

// Trainings, the public sign-up (issue 12, decision 0034): a woman signs up for a cohort
// on the public site, with no account; staff confirm her.

// Where an enrolment came from. A sign-up is pending until staff confirm it; one that
// waits for a place moves up to pending, never straight to enrolled.
const (
	SourceStaff  = "staff"
	SourceSignup = "signup"
	SourceImport = "import"
)

// SignupCloses is the last day a cohort takes sign-ups: its own deadline, or the day
// before it starts.
func (c Cohort) SignupCloses() string {
	if c.SignupUntil != "" {
		return c.SignupUntil
	}
	start, err := time.Parse(time.DateOnly, c.StartsOn)
	if err != nil {
		return ""
	}
	return start.AddDate(0, 0, -1).Format(time.DateOnly)
}

// OpenForSignup reports whether the public site offers the cohort on day today
// (YYYY-MM-DD, in its centre's zone): staff offered it, it has a centre to register
// her at, and its sign-up has not closed.
func (c Cohort) OpenForSignup(today string) bool {
	return c.PublicSignup && c.CenterID != 0 && today <= c.SignupCloses()
}

// Full reports whether every place of the cohort is taken.
func (c Cohort) Full() bool { return c.Enrolled >= c.Capacity }

// Signup is what a woman types in the public sign-up form. She gives her name and a
// phone; her identity number if she wishes; what the cohort's rule asks about (her birth
// date, region, village, categories); the childcare or accommodation she needs; and,
// when the cohort is full, whether she will wait for a place.
type Signup struct {
	FamilyName    string   `json:"family_name"`
	GivenName     string   `json:"given_name"`
	Patronymic    string   `json:"patronymic"`
	Phone         string   `json:"phone"`
	IIN           string   `json:"iin"`
	BirthDate     string   `json:"birth_date"`
	Region        string   `json:"region"`
	Rural         bool     `json:"rural"`
	Categories    []string `json:"categories"`
	Childcare     bool     `json:"childcare"`
	SpecialNeeds  bool     `json:"special_needs"`
	Accommodation string   `json:"accommodation"`
	Wait          bool     `json:"wait"` // she will wait for a place when the cohort is full
}

// SignupResult is what she is told: the status of her enrolment (pending, or waiting).
// It depends only on the form and on whether the cohort was full — never on whether the
// registry already knew her.
type SignupResult struct {
	Status string `json:"status"`
}

// eligibilityField names the form's field for each part of a cohort's rule.
var eligibilityField = map[string]string{"eligible_categories": "categories", "eligible_regions": "region",
	"min_age": "birth_date", "max_age": "birth_date", "rural_only": "rural"}

// Person is the record she typed, to be found or registered at a centre of country, or
// the problems of the form by its fields. Her eligibility is checked against what she
// typed alone — the form must not reveal what the registry holds — each rule she does
// not meet beside the field it reads.
func (s *Signup) Person(c *Cohort, centerID int64, country string, today time.Time) (Person, error) {
	p := Person{CenterID: centerID, Country: country, FamilyName: s.FamilyName, GivenName: s.GivenName,
		Patronymic: s.Patronymic, IIN: s.IIN, BirthDate: s.BirthDate, Region: s.Region, Rural: s.Rural,
		Phones: []string{}}
	pr := Problems{}
	if s.Phone == "" {
		pr.Add("phone", "field.required")
	} else {
		p.Phones = []string{s.Phone}
	}
	for i, code := range s.Categories {
		if !slices.Contains(c.Categories, code) || slices.Contains(s.Categories[:i], code) {
			pr.Add("categories", "field.choose")
		}
	}
	pr.Add("accommodation", CheckText(s.Accommodation, false, MaxLong, true))
	if err := p.Validate(today); err != nil {
		for f, key := range AsError(err).Fields {
			if f == "phones" {
				f = "phone"
			}
			pr.Add(f, key)
		}
	}
	if len(pr) == 0 {
		// The same reasons as staff see, in words addressed to her (signup.too_old…).
		for f, key := range c.Eligible(p, s.Categories) {
			pr.Add(eligibilityField[f], "signup."+strings.TrimPrefix(key, "training."))
		}
	}
	if len(pr) > 0 {
		return p, &Error{Kind: KindInvalid, Key: "error.invalid", Fields: pr}
	}
	p.Categories = slices.Clone(s.Categories)
	return p, nil
}

// PublicCourse is a course as the public site shows it, with its cohorts open for
// sign-up: what she needs to choose one, and nothing of who is in it.
type PublicCourse struct {
	ID    int64 `json:"id"`
	OrgID int64 `json:"organization_id"`
	Names
	Descriptions
	Hours   int            `json:"hours"`
	Online  bool           `json:"online"`
	Cohorts []PublicCohort `json:"cohorts"`
}

// PublicCohort is a cohort open for sign-up: where and when, in which language, the
// places left, and its rule of who may sign up.
type PublicCohort struct {
	ID          int64       `json:"id"`
	CourseID    int64       `json:"course_id"`
	CenterID    int64       `json:"center_id"`
	Center      Names       `json:"center"`
	Region      string      `json:"region"` // the centre's
	Venue       string      `json:"venue"`
	Language    string      `json:"language"`
	StartsOn    string      `json:"starts_on"`
	EndsOn      string      `json:"ends_on"`
	SignupUntil string      `json:"signup_until"` // the last day to sign up
	Capacity    int         `json:"capacity"`
	PlacesLeft  int         `json:"places_left"`
	Full        bool        `json:"full"` // she may still join the waiting list
	Categories  []PublicTag `json:"eligible_categories"`
	Regions     []string    `json:"eligible_regions"`
	MinAge      int         `json:"min_age"`
	MaxAge      int         `json:"max_age"`
	RuralOnly   bool        `json:"rural_only"`
}

// PublicTag is a category a cohort's rule names, with its names.
type PublicTag struct {
	Code string `json:"code"`
	Names
}
