package birge

import (
	"errors"
	"slices"
	"time"
)

// Referral is a person sent on, from a centre, to another Birge centre or to an outside
// service of the organisation's directory (issue 11, decision 0026). What it carries to
// the receiving side is Name, Contact and Note; nothing of her case or screenings.
type Referral struct {
	ID          int64     `json:"id"`
	OrgID       int64     `json:"organization_id"` // read-only: the sender's
	FromCenter  int64     `json:"from_center_id"`  // read-only: the case's centre, or hers
	PersonID    int64     `json:"person_id"`
	CaseID      int64     `json:"case_id"`      // 0: from her record
	ToCenterID  int64     `json:"to_center_id"` // a Birge centre, or 0
	ServiceID   int64     `json:"service_id"`   // a service of the directory, or 0
	Name        string    `json:"name"`         // read-only: her name, as carried
	Contact     string    `json:"contact"`      // how the receiving side may reach her
	Note        string    `json:"note"`         // why, and what the receiving side should know
	Status      string    `json:"status"`
	FollowUpOn  string    `json:"follow_up_on"` // YYYY-MM-DD, or empty
	ChosenByHer bool      `json:"chosen_by_her"`
	CreatedBy   int64     `json:"created_by"` // read-only
	CreatedAt   time.Time `json:"created_at"` // read-only
	UpdatedAt   time.Time `json:"updated_at"` // read-only: the version
}

// Referral statuses: sent, then accepted or declined; an accepted one is completed.
const (
	ReferralSent      = "sent"
	ReferralAccepted  = "accepted"
	ReferralCompleted = "completed"
	ReferralDeclined  = "declined"
)

// ReferralStatuses are every status, in their order.
var ReferralStatuses = []string{ReferralSent, ReferralAccepted, ReferralCompleted, ReferralDeclined}

// referralMoves are the valid changes of status.
var referralMoves = map[string][]string{
	ReferralSent:     {ReferralAccepted, ReferralDeclined},
	ReferralAccepted: {ReferralCompleted, ReferralDeclined},
}

// ReferralMove reports whether a referral may go from one status to another.
func ReferralMove(from, to string) bool { return slices.Contains(referralMoves[from], to) }

// ReferralMoves are the statuses a referral may go to next.
func ReferralMoves(from string) []string { return referralMoves[from] }

// Open reports whether the referral still waits for something: sent or accepted.
func (r Referral) Open() bool { return r.Status == ReferralSent || r.Status == ReferralAccepted }

// Overdue reports whether its follow-up day has passed while it is still open.
func (r Referral) Overdue(today time.Time) bool {
	return r.Open() && r.FollowUpOn != "" && r.FollowUpOn < today.Format(time.DateOnly)
}

// Validate checks what the sender writes: exactly one destination, the texts it
// carries and the follow-up day. Whether the destination exists and she consented is the
// store's to check.
func (r *Referral) Validate() error {
	pr := Problems{}
	switch {
	case r.ToCenterID == 0 && r.ServiceID == 0:
		pr.Add("to_center_id", "referral.destination")
	case r.ToCenterID != 0 && r.ServiceID != 0:
		pr.Add("service_id", "referral.one_destination")
	}
	pr.Add("contact", CheckText(r.Contact, false, MaxShort, false))
	pr.Add("note", CheckText(r.Note, false, MaxLong, true))
	if r.FollowUpOn != "" {
		pr.Add("follow_up_on", checkDay(r.FollowUpOn))
	}
	return pr.Err()
}

// ValidateNew checks a referral about to be made: as Validate, and its follow-up day not
// before today (the sender's, Actor.Today), since a day already past would show the new
// referral overdue at once. An edit may keep a day that has since passed.
func (r *Referral) ValidateNew(today time.Time) error {
	pr := Problems{}
	var e *Error
	if errors.As(r.Validate(), &e) {
		pr = e.Fields
	}
	if r.FollowUpOn != "" && r.FollowUpOn < today.Format(time.DateOnly) {
		pr.Add("follow_up_on", "referral.follow_up_past")
	}
	return pr.Err()
}

// ServiceKinds are the kinds of outside service a directory lists.
var ServiceKinds = []string{"crisis_center", "shelter", "legal_aid", "police", "health", "other"}

// Service is an outside service in an organisation's directory, where its workers refer
// people: a crisis centre, a shelter, legal aid, the police, a clinic.
type Service struct {
	ID        int64     `json:"id"`
	OrgID     int64     `json:"organization_id"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Phone     string    `json:"phone"` // E.164, or empty
	Address   string    `json:"address"`
	Retired   bool      `json:"retired"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks a service and puts its phone in E.164; country is the organisation's.
func (s *Service) Validate(country string) error {
	pr := Problems{}
	pr.Add("name", CheckText(s.Name, true, MaxName, false))
	if !oneOf(s.Kind, ServiceKinds) {
		pr.Add("kind", "field.choose")
	}
	phone, key := NormalizePhone(s.Phone, country)
	if key != "" {
		pr.Add("phone", key)
	} else {
		s.Phone = phone
	}
	pr.Add("address", CheckText(s.Address, false, MaxLong, true))
	return pr.Err()
}
