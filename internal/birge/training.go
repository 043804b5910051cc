package birge

import (
	"math"
	"slices"
	"time"

	"github.com/birge-org/birge/internal/geo"
)

// Trainings (issue 12, decision 0029), first slice: an organisation's course catalogue,
// cohorts of a course with their training sessions, and enrolment of women from the
// registry with a waiting list.

// Course is a training of an organisation's catalogue: entrepreneurship, computer
// literacy… Its completion rule says what a woman must do to complete it.
type Course struct {
	ID    int64 `json:"id"`
	OrgID int64 `json:"organization_id"`
	Names
	Descriptions
	Hours          int            `json:"hours"`
	Online         bool           `json:"online"`
	ProgramID      int64          `json:"program_id"` // 0: none
	CompletionRule CompletionRule `json:"completion_rule"`
	FollowupMonths []int          `json:"followup_months"` // months after completion her follow-ups fall due (decision 0033)
	Retired        bool           `json:"retired"`
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// CompletionRule is what completing a course takes: a share of its sessions attended
// (0–1) and, when Project, a final project passed.
type CompletionRule struct {
	MinAttendance float64 `json:"min_attendance"`
	Project       bool    `json:"project"`
}

// MaxCourseHours bounds a course's hours (a year of full days).
const MaxCourseHours = 2000

// Validate checks a course's own fields; whether its programme is the organisation's is
// the store's to check.
func (c *Course) Validate() error {
	pr := Problems{}
	c.Names.check(pr)
	for _, lang := range Langs {
		pr.Add("description_"+lang, CheckText(Names(c.Descriptions).get(lang), false, MaxLong, true))
	}
	if c.Hours < 1 || c.Hours > MaxCourseHours {
		pr.Add("hours", "training.hours_range")
	}
	if r := c.CompletionRule.MinAttendance; math.IsNaN(r) || r < 0 || r > 1 {
		pr.Add("completion_rule", "training.share_range")
	}
	if c.FollowupMonths == nil {
		c.FollowupMonths = slices.Clone(DefaultFollowupMonths)
	}
	pr.Add("followup_months", CheckFollowupMonths(c.FollowupMonths))
	return pr.Err()
}

// Cohort is one run of a course: at a centre (or, with none, at a village venue), by
// its trainers, in one language, for at most Capacity women, from StartsOn to EndsOn.
// The eligibility rule is optional, each part on its own: at least one of the
// categories, one of the regions, an age on the first day, living in a village.
type Cohort struct {
	ID         int64    `json:"id"`
	OrgID      int64    `json:"organization_id"`
	CourseID   int64    `json:"course_id"`
	CenterID   int64    `json:"center_id"` // 0: none, the venue says where
	Venue      string   `json:"venue"`
	TrainerIDs []int64  `json:"trainer_ids"`
	Language   string   `json:"language"`
	Capacity   int      `json:"capacity"`
	StartsOn   string   `json:"starts_on"` // YYYY-MM-DD
	EndsOn     string   `json:"ends_on"`
	Categories []string `json:"eligible_categories"` // any of them; none: anyone
	Regions    []string `json:"eligible_regions"`    // any of them; none: anywhere
	MinAge     int      `json:"min_age"`             // 0: no lower bound
	MaxAge     int      `json:"max_age"`             // 0: no upper bound
	RuralOnly  bool     `json:"rural_only"`
	// The public sign-up (decision 0034): offered on the public site when PublicSignup,
	// until SignupUntil (YYYY-MM-DD; empty: the day before StartsOn).
	PublicSignup bool      `json:"public_signup"`
	SignupUntil  string    `json:"signup_until"`
	Enrolled     int       `json:"enrolled"` // read-only: places taken (pending, enrolled, completed)
	Waiting      int       `json:"waiting"`  // read-only: on the waiting list
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// MaxCohortCapacity bounds the places of a cohort.
const MaxCohortCapacity = 500

// Validate checks a cohort's own fields. Its course, centre, trainers and categories are
// the store's to check (it knows them).
func (c *Cohort) Validate() error {
	pr := Problems{}
	if c.TrainerIDs == nil {
		c.TrainerIDs = []int64{}
	}
	if c.Categories == nil {
		c.Categories = []string{}
	}
	if c.Regions == nil {
		c.Regions = []string{}
	}
	pr.Add("venue", CheckText(c.Venue, c.CenterID == 0, MaxShort, false))
	if !oneOf(c.Language, Langs) {
		pr.Add("language", "field.choose")
	}
	if c.Capacity < 1 || c.Capacity > MaxCohortCapacity {
		pr.Add("capacity", "training.capacity_range")
	}
	start, err := time.Parse(time.DateOnly, c.StartsOn)
	if err != nil {
		pr.Add("starts_on", "field.date")
	}
	end, err := time.Parse(time.DateOnly, c.EndsOn)
	switch {
	case err != nil:
		pr.Add("ends_on", "field.date")
	case pr["starts_on"] == "" && end.Before(start):
		pr.Add("ends_on", "program.ends_before_start")
	}
	for i, id := range c.TrainerIDs {
		if slices.Contains(c.TrainerIDs[:i], id) {
			pr.Add("trainer_ids", "training.same_trainer")
		}
	}
	for i, code := range c.Regions {
		if _, ok := geo.LookupRegion(code); !ok || slices.Contains(c.Regions[:i], code) {
			pr.Add("eligible_regions", "field.choose")
		}
	}
	if c.SignupUntil != "" {
		until, err := time.Parse(time.DateOnly, c.SignupUntil)
		if err != nil {
			pr.Add("signup_until", "field.date")
		} else if pr["ends_on"] == "" && until.After(end) {
			pr.Add("signup_until", "signup.until_after_end")
		}
	}
	if c.MinAge < 0 || c.MinAge > 120 {
		pr.Add("min_age", "training.age_range")
	}
	if c.MaxAge < 0 || c.MaxAge > 120 || (c.MaxAge != 0 && c.MaxAge < c.MinAge) {
		pr.Add("max_age", "training.age_range")
	}
	return pr.Err()
}

// Eligible checks a woman against the cohort's rule, each part by its own field with
// the reason she does not meet it: her categories (the plain ones: a rule never names a
// sensitive one), her region, her age on the cohort's first day, whether she is rural.
func (c *Cohort) Eligible(p Person, categories []string) Problems {
	pr := Problems{}
	if len(c.Categories) > 0 && !slices.ContainsFunc(categories, func(code string) bool { return slices.Contains(c.Categories, code) }) {
		pr.Add("eligible_categories", "training.not_in_category")
	}
	if len(c.Regions) > 0 && !slices.Contains(c.Regions, p.Region) {
		pr.Add("eligible_regions", "training.not_in_region")
	}
	if c.MinAge != 0 || c.MaxAge != 0 {
		start, err := time.Parse(time.DateOnly, c.StartsOn)
		switch age, ok := ageOn(p.BirthDate, start); {
		case !ok || err != nil:
			pr.Add("min_age", "training.age_unknown")
		case c.MinAge != 0 && age < c.MinAge:
			pr.Add("min_age", "training.too_young")
		case c.MaxAge != 0 && age > c.MaxAge:
			pr.Add("max_age", "training.too_old")
		}
	}
	if c.RuralOnly && !p.Rural {
		pr.Add("rural_only", "training.not_rural")
	}
	return pr
}

// TrainingSession is one meeting of a cohort, from StartsAt to EndsAt, at a venue (the
// cohort's when empty).
type TrainingSession struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"organization_id"`
	CohortID  int64     `json:"cohort_id"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Venue     string    `json:"venue"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// MaxTrainingSessionHours bounds one session.
const MaxTrainingSessionHours = 12

// Validate checks a session's times and venue.
func (s *TrainingSession) Validate() error {
	pr := Problems{}
	switch {
	case s.StartsAt.IsZero():
		pr.Add("starts_at", "field.required")
	case s.EndsAt.IsZero():
		pr.Add("ends_at", "field.required")
	case !s.EndsAt.After(s.StartsAt) || s.EndsAt.Sub(s.StartsAt) > MaxTrainingSessionHours*time.Hour:
		pr.Add("ends_at", "training.session_length")
	}
	pr.Add("venue", CheckText(s.Venue, false, MaxShort, false))
	return pr.Err()
}

// SessionPattern generates a cohort's weekly sessions: every Weekday (0 Sunday … 6
// Saturday) between the cohort's first and last day, from Start ("15:04") for Minutes,
// in the actor's zone.
type SessionPattern struct {
	Weekday int    `json:"weekday"`
	Start   string `json:"start"`
	Minutes int    `json:"minutes"`
	Venue   string `json:"venue"`
}

// MaxGeneratedSessions bounds what one pattern generates (two years of weeks).
const MaxGeneratedSessions = 104

// Sessions are the pattern's sessions between two days (YYYY-MM-DD, both included) in
// loc, or the problems of the pattern by field.
func (p SessionPattern) Sessions(from, to string, loc *time.Location) ([]TrainingSession, error) {
	pr := Problems{}
	if p.Weekday < 0 || p.Weekday > 6 {
		pr.Add("weekday", "field.choose")
	}
	clock, err := time.Parse("15:04", p.Start)
	if err != nil {
		pr.Add("start", "training.time")
	}
	if p.Minutes < 15 || p.Minutes > MaxTrainingSessionHours*60 {
		pr.Add("minutes", "training.session_length")
	}
	pr.Add("venue", CheckText(p.Venue, false, MaxShort, false))
	first, err1 := time.ParseInLocation(time.DateOnly, from, loc)
	last, err2 := time.ParseInLocation(time.DateOnly, to, loc)
	if err1 != nil || err2 != nil {
		pr.Add("weekday", "training.cohort_dates")
	}
	if err := pr.Err(); err != nil {
		return nil, err
	}
	var out []TrainingSession
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		if int(d.Weekday()) != p.Weekday {
			continue
		}
		start := time.Date(d.Year(), d.Month(), d.Day(), clock.Hour(), clock.Minute(), 0, 0, loc)
		out = append(out, TrainingSession{StartsAt: start.UTC(), EndsAt: start.Add(time.Duration(p.Minutes) * time.Minute).UTC(), Venue: p.Venue})
	}
	switch {
	case len(out) == 0:
		return nil, &Error{Kind: KindInvalid, Key: "error.invalid", Fields: Problems{"weekday": "training.no_sessions"}}
	case len(out) > MaxGeneratedSessions:
		return nil, &Error{Kind: KindInvalid, Key: "error.invalid", Fields: Problems{"weekday": "training.too_many_sessions"}}
	}
	return out, nil
}

// Enrollment statuses. Pending, enrolled and completed take a place of the cohort;
// waiting is the waiting list, in order of Position; dropped frees the place, with a
// reason.
const (
	EnrollmentPending   = "pending"
	EnrollmentEnrolled  = "enrolled"
	EnrollmentWaiting   = "waiting"
	EnrollmentCompleted = "completed"
	EnrollmentDropped   = "dropped"
)

// EnrollmentStatuses are every status, in their order.
var EnrollmentStatuses = []string{EnrollmentPending, EnrollmentEnrolled, EnrollmentWaiting, EnrollmentCompleted, EnrollmentDropped}

// TakesPlace reports whether an enrolment in status takes one of the cohort's places.
func TakesPlace(status string) bool {
	return status == EnrollmentPending || status == EnrollmentEnrolled || status == EnrollmentCompleted
}

// Enrollment is a woman of the registry in a cohort.
type Enrollment struct {
	ID            int64        `json:"id"`
	OrgID         int64        `json:"organization_id"`
	CohortID      int64        `json:"cohort_id"`
	PersonID      int64        `json:"person_id"`
	PersonName    string       `json:"person_name"` // read-only
	Status        string       `json:"status"`
	Position      int          `json:"position"` // read-only: her place on the waiting list, 0 off it
	Reason        string       `json:"reason"`   // why she dropped out
	Childcare     bool         `json:"childcare"`
	SpecialNeeds  bool         `json:"special_needs"`      // an accommodation for special needs (hers or her child's)
	Accommodation string       `json:"accommodation"`      // what she asked for, in her words
	ProjectPassed bool         `json:"project_passed"`     // her final project passed (decision 0031)
	CompletedOn   string       `json:"completed_on"`       // read-only: the day the rule found her completed, "" if not
	Completion    *Completion  `json:"completion_note"`    // read-only: what the completion rule last found, null before
	Source        string       `json:"source"`             // read-only: staff, signup (the public form) or import
	MovedUp       []Enrollment `json:"moved_up,omitempty"` // read-only: who left the waiting list for the place this change freed
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
}

// Validate checks an enrolment's own fields: a known status, a reason when dropped
// (and only then), the accommodation asked for.
func (e *Enrollment) Validate() error {
	pr := Problems{}
	if !oneOf(e.Status, EnrollmentStatuses) {
		pr.Add("status", "field.choose")
	}
	if e.Status == EnrollmentDropped {
		pr.Add("reason", CheckText(e.Reason, true, MaxLong, true))
	} else if e.Reason != "" {
		pr.Add("reason", "training.reason_only_dropped")
	}
	pr.Add("accommodation", CheckText(e.Accommodation, false, MaxLong, true))
	return pr.Err()
}
