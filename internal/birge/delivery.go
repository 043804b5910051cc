package birge

import (
	"regexp"
	"time"
)

// Delivery is one service given to one woman: a consultation, a counselling session, a
// day of training, a grant paid. It is the one record every module writes when it serves
// her (decision 0019), so that every report counts services from one table.
type Delivery struct {
	ID        int64  `json:"id"`
	OrgID     int64  `json:"organization_id"`
	CenterID  int64  `json:"center_id"` // her centre when it was recorded
	PersonID  int64  `json:"person_id"`
	ProgramID *int64 `json:"program_id"` // the programme it was given in, if any
	Date      string `json:"date"`       // YYYY-MM-DD
	Time      string `json:"time"`       // HH:MM, or empty
	Kind      string `json:"kind"`       // a code of the organisation's delivery kinds
	// Quantity counts hours or sessions; a payment is Money instead.
	Quantity int64  `json:"quantity"`
	Unit     string `json:"unit"`
	Money    *Money `json:"money,omitempty"`
	StaffID  int64  `json:"staff_id"` // who gave it
	Note     string `json:"note"`
	// Source is "manual" for one recorded by hand, else the module that wrote it, whose
	// record is SourceID; only manual ones are edited or deleted as deliveries.
	Source    string    `json:"source"`
	SourceID  int64     `json:"source_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Money is an amount in minor units (tiyn, tyiyn, cents) of a currency: integers, so
// sums are exact.
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// SourceManual marks a delivery recorded by hand.
const SourceManual = "manual"

// DeliveryUnits are how a delivery is measured, in display order.
var DeliveryUnits = []string{"sessions", "hours", "money"}

// Currencies are those a payment may be made in.
var Currencies = []string{"KZT", "KGS", "UZS", "TJS", "USD", "EUR", "RUB"}

// MaxDeliveryQuantity bounds hours and sessions of one delivery (a typing slip, not a
// year of work, is what a larger number is).
const MaxDeliveryQuantity = 1000

// MaxMinorUnits bounds a payment: a thousand billion minor units.
const MaxMinorUnits = 1_000_000_000_000_000

var clock = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// Validate checks a delivery against its organisation's kinds: a day not after today
// (the user's day, Actor.Today), hours or sessions as a whole number from 1, a payment
// as a positive amount in a known currency.
func (d *Delivery) Validate(kinds DeliveryKindList, today time.Time) error {
	pr := Problems{}
	pr.Add("date", CheckPastDate(d.Date, today))
	if d.Time != "" && !clock.MatchString(d.Time) {
		pr.Add("time", "field.time")
	}
	if k, ok := kinds.Lookup(d.Kind); !ok || k.Retired {
		pr.Add("kind", "field.choose")
	}
	switch d.Unit {
	case "money":
		switch {
		case d.Money == nil:
			pr.Add("money", "field.required")
		case !oneOf(d.Money.Currency, Currencies):
			pr.Add("money.currency", "field.choose")
		case d.Money.Amount < 1 || d.Money.Amount > MaxMinorUnits:
			pr.Add("money.amount", "delivery.amount_range")
		}
		d.Quantity = 0
	case "hours", "sessions":
		if d.Quantity < 1 || d.Quantity > MaxDeliveryQuantity {
			pr.Add("quantity", "delivery.quantity_range")
		}
		d.Money = nil
	default:
		pr.Add("unit", "field.choose")
	}
	pr.Add("note", CheckText(d.Note, false, MaxLong, true))
	return pr.Err()
}

// Manual reports whether it was recorded by hand, and so is edited as a delivery.
func (d Delivery) Manual() bool { return d.Source == SourceManual }

// DeliveryKind is a kind of service in an organisation's list, like a category: a code,
// names in the four languages, retired when no longer offered.
type DeliveryKind struct {
	ID      int64  `json:"-"`
	OrgID   int64  `json:"-"`
	Code    string `json:"code"`
	Names   Names  `json:"names"`
	Retired bool   `json:"retired"`
}

// DeliveryKindList is an organisation's kinds in display order.
type DeliveryKindList []DeliveryKind

// Lookup finds a kind by code.
func (l DeliveryKindList) Lookup(code string) (DeliveryKind, bool) {
	for _, k := range l {
		if k.Code == code {
			return k, true
		}
	}
	return DeliveryKind{}, false
}

// DefaultDeliveryKinds are every organisation's kinds to begin with; their names are
// the catalog's delivery.kind.<code>.
var DefaultDeliveryKinds = []string{"consultation", "counselling_session", "mediation", "training_session",
	"legal_advice", "grant_payment"}
