package birge

import (
	"slices"
	"time"
)

// Session is an appointment of a family case (issue 11, decision 0025): one worker, a
// room of the case's centre, a start and an end, the people of the case who come, and
// once it has happened, whether they came.
type Session struct {
	ID         int64     `json:"id"`
	CaseID     int64     `json:"case_id"`
	OrgID      int64     `json:"-"`
	CenterID   int64     `json:"center_id"` // read-only: the case's
	Type       string    `json:"type"`
	WorkerID   int64     `json:"worker_id"`
	Room       string    `json:"room"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Attendance string    `json:"attendance"` // empty until marked
	PersonIDs  []int64   `json:"person_ids"` // who comes: people of the case
	CreatedBy  int64     `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Session types and attendances.
const (
	SessionIndividual = "individual"
	SessionCouple     = "couple"
	SessionMediation  = "mediation"
	SessionFamily     = "family"
	SessionChild      = "child"

	AttendanceCame            = "came"
	AttendanceNoShow          = "no_show"
	AttendanceCancelledClient = "cancelled_client"
	AttendanceCancelledCenter = "cancelled_center"
)

// SessionTypes are every type of session, in display order.
var SessionTypes = []string{SessionIndividual, SessionCouple, SessionMediation, SessionFamily, SessionChild}

// SessionAttendances are every attendance a session may be marked with.
var SessionAttendances = []string{AttendanceCame, AttendanceNoShow, AttendanceCancelledClient, AttendanceCancelledCenter}

// MaxSessionLength bounds one session: a longer one is a typing slip (an end on the
// wrong day), not an appointment.
const MaxSessionLength = 8 * time.Hour

// MaxSessionNote bounds one private note.
const MaxSessionNote = MaxLong

// JointSession reports whether a type of session brings the partners (or the family)
// together: those the safety gate refuses on a flagged case.
func JointSession(typ string) bool {
	return typ == SessionCouple || typ == SessionMediation || typ == SessionFamily
}

// SessionRefused is the safety gate, the one rule of it (decisions 0024, 0025): no
// session that brings the partners together — a couple, mediation or family session, or
// any session both partners are booked into — may be scheduled before each partner has
// been screened privately and separately, nor on a flagged case (a screening above none,
// not lifted by Override), so that no survivor of violence is brought into a room with
// the one she fears by the software. Sessions of one partner, or of the children, stay
// allowed. people are those booked, or nil when only the type is known (the form's
// choices). The error's message says why, in the user's language.
func SessionRefused(k Case, typ string, people []int64) error {
	partners := 0
	for _, id := range people {
		if slices.Contains(k.PartnerIDs, id) {
			partners++
		}
	}
	if !JointSession(typ) && partners < 2 {
		return nil
	}
	if k.Flagged {
		return &Error{Kind: KindConflict, Key: "session.flagged"}
	}
	for _, id := range k.PartnerIDs {
		if !slices.Contains(k.ScreenedIDs, id) {
			return &Error{Kind: KindConflict, Key: "session.unscreened"}
		}
	}
	return nil
}

// Blocks reports whether the session holds its worker's and its room's time: a
// cancelled one frees them.
func (s Session) Blocks() bool {
	return s.Attendance != AttendanceCancelledClient && s.Attendance != AttendanceCancelledCenter
}

// Validate checks a session's own fields: a known type, a worker, a room (may be empty,
// one line), a start before its end and no longer than MaxSessionLength, someone
// coming, a known attendance. Whether the worker, the people and the times are free is
// the store's to check.
func (s *Session) Validate() error {
	pr := Problems{}
	if !oneOf(s.Type, SessionTypes) {
		pr.Add("type", "field.choose")
	}
	if s.WorkerID == 0 {
		pr.Add("worker_id", "field.required")
	}
	pr.Add("room", CheckText(s.Room, false, MaxShort, false))
	switch {
	case s.StartsAt.IsZero():
		pr.Add("starts_at", "field.required")
	case s.EndsAt.IsZero():
		pr.Add("ends_at", "field.required")
	case !s.EndsAt.After(s.StartsAt):
		pr.Add("ends_at", "session.ends_before")
	case s.EndsAt.Sub(s.StartsAt) > MaxSessionLength:
		pr.Add("ends_at", "session.too_long")
	}
	switch {
	case len(s.PersonIDs) == 0:
		pr.Add("person_ids", "field.required")
	case s.Type == SessionIndividual && len(s.PersonIDs) > 1:
		pr.Add("person_ids", "session.individual_one")
	}
	for i, id := range s.PersonIDs {
		if slices.Contains(s.PersonIDs[:i], id) {
			pr.Add("person_ids", "case.same_person")
		}
	}
	if s.Attendance != "" && !oneOf(s.Attendance, SessionAttendances) {
		pr.Add("attendance", "field.choose")
	}
	return pr.Err()
}

// SessionDeliveryKind is the kind of service an attended session is, of the
// organisation's delivery kinds (DefaultDeliveryKinds): a mediation is "mediation", a
// couple's or family's session "counselling_session", an individual or child session a
// "consultation".
func SessionDeliveryKind(typ string) string {
	switch typ {
	case SessionMediation:
		return "mediation"
	case SessionCouple, SessionFamily:
		return "counselling_session"
	}
	return "consultation"
}

// SessionNote is a worker's private note of a session, read only by its author and the
// centre's supervisors.
type SessionNote struct {
	ID        int64     `json:"id"`
	SessionID int64     `json:"session_id"`
	AuthorID  int64     `json:"author_id"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// ValidateSessionNote checks a note's text.
func ValidateSessionNote(body string) error {
	pr := Problems{}
	pr.Add("body", CheckText(body, true, MaxSessionNote, true))
	return pr.Err()
}
