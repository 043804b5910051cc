package birge

import (
	"math"
	"time"
)

// Trainings (issue 12), attendance and completion (decision 0031): one mark per woman and
// training session, made on a phone, perhaps offline, and the course's completion rule
// applied to what the marks add up to.

// Attendance marks.
const (
	MarkPresent = "present"
	MarkLate    = "late"
	MarkAbsent  = "absent"
)

// Marks are every mark, in the order the register offers them.
var Marks = []string{MarkPresent, MarkLate, MarkAbsent}

// Attended reports whether a mark counts as attending: present or late. An attended mark
// is a service given (her delivery); an absence is not.
func Attended(mark string) bool { return mark == MarkPresent || mark == MarkLate }

// MarkSkew is how far ahead of the server's clock a mark's time may be: a phone's clock
// a few minutes fast is forgiven, a mark from tomorrow is not.
const MarkSkew = 5 * time.Minute

// TrainingMark is a woman's mark in a session's register, as sent by a phone: MarkedAt
// is when the trainer tapped it (the newest wins, whatever order phones sync in).
type TrainingMark struct {
	PersonID int64     `json:"person_id"`
	Mark     string    `json:"mark"`
	Reason   string    `json:"reason"`
	MarkedAt time.Time `json:"marked_at"`
}

// Validate checks a mark's own fields against the server's now; whether she is enrolled
// is the store's to check.
func (m *TrainingMark) Validate(now time.Time) Problems {
	pr := Problems{}
	if m.PersonID == 0 {
		pr.Add("person_id", "field.required")
	}
	if !oneOf(m.Mark, Marks) {
		pr.Add("mark", "field.choose")
	}
	pr.Add("reason", CheckText(m.Reason, false, MaxLong, true))
	switch {
	case m.MarkedAt.IsZero():
		pr.Add("marked_at", "field.required")
	case m.MarkedAt.After(now.Add(MarkSkew)):
		pr.Add("marked_at", "training.marked_ahead")
	}
	return pr
}

// Newer reports whether mark m wins over mark o: the later marked_at, and at the same
// instant (two phones in the same second) the greater mark, then reason, so that every
// order of syncs keeps the same one.
func (m TrainingMark) Newer(o TrainingMark) bool {
	switch {
	case !m.MarkedAt.Equal(o.MarkedAt):
		return m.MarkedAt.After(o.MarkedAt)
	case m.Mark != o.Mark:
		return m.Mark > o.Mark
	}
	return m.Reason > o.Reason
}

// RegisterLine is a woman of a session's register and her mark, if any.
type RegisterLine struct {
	EnrollmentID int64      `json:"enrollment_id"`
	PersonID     int64      `json:"person_id"`
	PersonName   string     `json:"person_name"`
	Status       string     `json:"status"` // her enrolment's
	Mark         string     `json:"mark"`   // "" while unmarked
	Reason       string     `json:"reason"`
	MarkedAt     *time.Time `json:"marked_at"`
	MarkedBy     string     `json:"marked_by"` // the user's name
}

// TrainingRegister is a session's register: every woman enrolled in its cohort (and any
// who left after being marked) with her mark, by name.
type TrainingRegister struct {
	SessionID int64          `json:"session_id"`
	CohortID  int64          `json:"cohort_id"`
	StartsAt  time.Time      `json:"starts_at"`
	EndsAt    time.Time      `json:"ends_at"`
	Lines     []RegisterLine `json:"items"`
	// Conflicts are the marks a sync sent that were older than the ones kept.
	Conflicts []MarkConflict `json:"conflicts"`
}

// MarkConflict is a mark not written because a newer one, different, was kept: the
// trainer is shown what the register says now and who said it.
type MarkConflict struct {
	PersonID   int64     `json:"person_id"`
	PersonName string    `json:"person_name"`
	Sent       string    `json:"sent"`
	SentAt     time.Time `json:"sent_at"`
	Kept       string    `json:"kept"`
	KeptAt     time.Time `json:"kept_at"`
	KeptBy     string    `json:"kept_by"`
}

// Completion is what applying a course's completion rule found for one woman: her
// attendance (sessions held up to the day, those she attended), what the rule asks, and
// the reasons she did not complete (none when she did). It is kept with her enrolment as
// JSON and read in the reader's language.
type Completion struct {
	Held          int      `json:"sessions_held"`
	Attended      int      `json:"sessions_attended"`
	MinAttendance float64  `json:"min_attendance"`
	Project       bool     `json:"project"` // the rule asks for a final project
	Reasons       []string `json:"reasons"` // "attendance", "project"
}

// Reasons she did not complete.
const (
	ShortOfAttendance = "attendance"
	ProjectNotPassed  = "project"
)

// Share is her attendance as a share of the sessions held (0 when none was held).
func (c Completion) Share() float64 {
	if c.Held == 0 {
		return 0
	}
	return float64(c.Attended) / float64(c.Held)
}

// Percent is a share as a whole percentage, rounded down so that 79.9 % never reads 80 %.
func Percent(share float64) int { return int(math.Floor(share*100 + 1e-9)) }

// Judge applies the rule to her attendance and project: completed when both hold.
func (r CompletionRule) Judge(held, attended int, projectPassed bool) Completion {
	c := Completion{Held: held, Attended: attended, MinAttendance: r.MinAttendance, Project: r.Project, Reasons: []string{}}
	// attended/held ≥ min, compared without dividing (and forgiving the float's last bit).
	if float64(attended) < r.MinAttendance*float64(held)-1e-9 || (held == 0 && r.MinAttendance > 0) {
		c.Reasons = append(c.Reasons, ShortOfAttendance)
	}
	if r.Project && !projectPassed {
		c.Reasons = append(c.Reasons, ProjectNotPassed)
	}
	return c
}

// Completed reports whether she met the rule.
func (c Completion) Completed() bool { return len(c.Reasons) == 0 }
