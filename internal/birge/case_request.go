package birge

import (
	"slices"
	"time"
)

// A case request is a woman asking for a consultation on the public site, without an
// account (issue 11, decision 0028). It is an intake waiting at the office she chose:
// not a person of the registry until the office's coordinator takes it in, since she
// may be there already. Everything she wrote is sealed; only the office, the day, her
// language and what became of it stay readable.
type CaseRequest struct {
	ID       int64  `json:"id"`
	OrgID    int64  `json:"organization_id"`
	CenterID int64  `json:"center_id"`
	Lang     string `json:"lang"` // the language she wrote in, to answer her in it
	// What she wrote: her name, a phone, how we may contact her, what she wants to talk
	// about (codes of the organisation's reasons) and her own words.
	Name            string   `json:"name"`
	Phone           string   `json:"phone"` // E.164 once saved
	Contact         string   `json:"contact"`
	CallTimes       string   `json:"call_times"`
	MayLeaveMessage bool     `json:"may_leave_message"`
	Reasons         []string `json:"reasons"`
	Message         string   `json:"message"`
	// What the office did with it.
	Status    string     `json:"status"`
	CaseID    int64      `json:"case_id"`   // the case it became, once accepted
	PersonID  int64      `json:"person_id"` // who she is in the registry, once accepted
	DecidedBy int64      `json:"decided_by"`
	DecidedAt *time.Time `json:"decided_at"`
	CreatedAt time.Time  `json:"created_at"`
}

// How she lets the office contact her: a call (at the times she gives), or not at all —
// then she comes to the office in person, and the office must not call or write.
const (
	ContactCall = "call"
	ContactNone = "none"
)

// CaseRequestContacts are the choices of the form, in its order.
var CaseRequestContacts = []string{ContactCall, ContactNone}

// Case request statuses.
const (
	RequestNew      = "new"
	RequestAccepted = "accepted"
	RequestDeclined = "declined"
)

// CaseRequestStatuses are every status, in their order.
var CaseRequestStatuses = []string{RequestNew, RequestAccepted, RequestDeclined}

// A public form can be sent by anyone, many times: the address it comes from may send
// FreeRequests a day; past that each further one waits twice as long as the one before
// (LoginDelay, up to a minute), and past MaxRequestsAddress it waits for the day to end.
// A whole village may share one mobile address, so the numbers are not small.
const (
	FreeRequests       = 5
	MaxRequestsAddress = 30
)

// RequestWait is how long an address that sent f must wait before it sends another.
func RequestWait(now time.Time, f Failures) time.Duration {
	f = f.Current(now)
	if f.Count >= MaxRequestsAddress {
		return f.Last.Add(ThrottleWindow).Sub(now)
	}
	return f.wait(now, FreeRequests)
}

// Validate checks a request against the office's country (for the phone) and the
// organisation's reasons. She gives a name; a phone unless she asked not to be
// contacted; the rest is hers to leave out.
func (r *CaseRequest) Validate(country string, reasons KindList) error {
	pr := Problems{}
	pr.Add("name", CheckText(r.Name, true, MaxName, false))
	if !oneOf(r.Contact, CaseRequestContacts) {
		pr.Add("contact", "field.choose")
	}
	phone, key := NormalizePhone(r.Phone, country)
	switch {
	case key != "":
		pr.Add("phone", key)
	case phone == "" && r.Contact == ContactCall:
		pr.Add("phone", "request.phone_required")
	default:
		r.Phone = phone
	}
	pr.Add("call_times", CheckText(r.CallTimes, false, MaxShort, false))
	if r.Contact == ContactNone {
		// Not to be contacted is not to be called at any time, nor left a message.
		r.CallTimes, r.MayLeaveMessage = "", false
	}
	for i, code := range r.Reasons {
		if k, ok := reasons.Lookup(code); !ok || k.Retired || slices.Contains(r.Reasons[:i], code) {
			pr.Add("reasons", "field.choose")
		}
	}
	pr.Add("message", CheckText(r.Message, false, MaxLong, true))
	return pr.Err()
}

// MentionsViolence reports whether she ticked violence among her reasons.
func (q CaseRequest) MentionsViolence() bool { return slices.Contains(q.Reasons, CaseReasonViolence) }
