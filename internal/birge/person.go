package birge

import (
	"slices"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/geo"
)

// Person is someone an organisation serves: a woman, a child, a partner. Names are kept
// exactly as typed, in any script; identity numbers travel in the clear only between the
// form (or API) and the store, which seals them.
type Person struct {
	ID         int64  `json:"id"`
	OrgID      int64  `json:"organization_id"`
	CenterID   int64  `json:"center_id"`
	FamilyName string `json:"family_name"`
	GivenName  string `json:"given_name"`
	Patronymic string `json:"patronymic"`
	Sex        string `json:"sex"`        // female, male or "" when not recorded
	BirthDate  string `json:"birth_date"` // YYYY-MM-DD, or "" when unknown
	BirthYear  int    `json:"birth_year,omitempty"`
	// IIN and PIN carry the number written; read back, they are masked unless revealed.
	IIN        string   `json:"iin"`
	PIN        string   `json:"pin"`
	Phones     []string `json:"phones"` // E.164 once saved
	Email      string   `json:"email"`
	Country    string   `json:"country"`
	Region     string   `json:"region"`
	District   string   `json:"district"`
	Settlement string   `json:"settlement"`
	Rural      bool     `json:"rural"`
	// Household.
	Children     *int   `json:"children"`
	IncomeBand   string `json:"income_band"`
	SpecialNeeds bool   `json:"special_needs"` // a child's disability or special educational needs
	// Safe contact: whether and when we may call, and whether we may leave a message.
	MayCall         bool   `json:"may_call"`
	CallTimes       string `json:"call_times"`
	MayLeaveMessage bool   `json:"may_leave_message"`
	// Categories holds codes; sensitive ones only for those allowed to see them.
	Categories []string   `json:"categories"`
	Consents   []Consent  `json:"consents"`
	Relations  []Relation `json:"relations"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// FullName is the name in the order forms and lists show it: family, given, patronymic.
func (p Person) FullName() string {
	return strings.Join(strings.Fields(p.FamilyName+" "+p.GivenName+" "+p.Patronymic), " ")
}

// IncomeBands are the household income bands, lowest first.
var IncomeBands = []string{"below_subsistence", "low", "middle", "high"}

// Sexes are the values of Person.Sex.
var Sexes = []string{"female", "male"}

// MaxPhones bounds the phone numbers kept for one person.
const MaxPhones = 5

// Validate checks a person before saving (her categories are checked against her
// organisation's list by CategoryList.Split), normalises phones to E.164 (read in the
// person's Country when typed without a country code), and fills the birth date and sex
// from an identity number when the form left them empty. today is the user's day
// (Actor.Today): a birth date may be today, never later.
func (p *Person) Validate(today time.Time) error {
	pr := Problems{}
	pr.Add("family_name", CheckText(p.FamilyName, false, MaxName, false))
	pr.Add("given_name", CheckText(p.GivenName, true, MaxName, false))
	pr.Add("patronymic", CheckText(p.Patronymic, false, MaxName, false))
	if p.Sex != "" && !oneOf(p.Sex, Sexes) {
		pr.Add("sex", "field.choose")
	}
	p.checkBirth(pr, today)
	p.checkIdentity(pr, today)
	p.checkPhones(pr)
	if p.Email = strings.TrimSpace(p.Email); p.Email != "" {
		pr.Add("email", CheckEmail(p.Email))
	}
	p.checkAddress(pr)
	if p.Children != nil && (*p.Children < 0 || *p.Children > 30) {
		pr.Add("children", "field.range")
	}
	if p.IncomeBand != "" && !oneOf(p.IncomeBand, IncomeBands) {
		pr.Add("income_band", "field.choose")
	}
	pr.Add("call_times", CheckText(p.CallTimes, false, MaxShort, false))
	return pr.Err()
}

func (p *Person) checkBirth(pr Problems, today time.Time) {
	if p.BirthDate != "" {
		d, err := time.Parse(time.DateOnly, p.BirthDate)
		switch {
		case err != nil:
			pr.Add("birth_date", "field.date")
		case d.After(today) || d.Year() < 1900:
			pr.Add("birth_date", "person.birth_date_range")
		default:
			p.BirthYear = d.Year()
		}
	}
	if p.BirthYear != 0 && (p.BirthYear < 1900 || p.BirthYear > today.Year()) {
		pr.Add("birth_year", "person.birth_date_range")
	}
}

// checkIdentity validates the IIN or PIN and derives what the record left blank.
func (p *Person) checkIdentity(pr Problems, today time.Time) {
	if p.IIN != "" && p.PIN != "" {
		pr.Add("pin", "person.one_identity")
		return
	}
	field, parse := "iin", ParseIIN
	number := p.IIN
	if p.PIN != "" {
		field, parse, number = "pin", ParsePIN, p.PIN
	}
	if number == "" {
		return
	}
	id, key := parse(number)
	if key == "" && id.BirthDate.After(today) {
		key = field + ".date" // born later than the user's today
	}
	if key != "" {
		pr.Add(field, key)
		return
	}
	if field == "iin" {
		p.IIN = id.Number
	} else {
		p.PIN = id.Number
	}
	if _, bad := pr["birth_date"]; bad {
		return
	}
	for f, k := range id.CheckAgainst(p.birthDate(), p.Sex) {
		pr.Add(f, k)
	}
	if p.BirthDate == "" {
		p.BirthDate, p.BirthYear = id.BirthDate.Format(time.DateOnly), id.BirthDate.Year()
	}
	if p.Sex == "" {
		p.Sex = id.Sex
	}
}

func (p *Person) birthDate() time.Time {
	d, _ := time.Parse(time.DateOnly, p.BirthDate)
	return d
}

func (p *Person) checkPhones(pr Problems) {
	var out []string
	for _, raw := range p.Phones {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		e164, key := NormalizePhone(raw, p.Country)
		if key != "" {
			pr.Add("phones", key)
			continue
		}
		if !slices.Contains(out, e164) {
			out = append(out, e164)
		}
	}
	if len(out) > MaxPhones {
		pr.Add("phones", "person.too_many_phones")
	}
	p.Phones = out
}

func (p *Person) checkAddress(pr Problems) {
	if p.Country != "KZ" && p.Country != "KG" {
		pr.Add("country", "field.choose")
		return
	}
	if p.Region != "" {
		if r, ok := geo.LookupRegion(p.Region); !ok || r.Country != p.Country {
			pr.Add("region", "field.choose")
		}
	}
	if p.Country == "KZ" && p.District != "" {
		if d, ok := geo.LookupDistrict(p.District); !ok || d.Region != p.Region {
			pr.Add("district", "center.district_outside_region")
		}
	} else {
		pr.Add("district", CheckText(p.District, false, MaxShort, false))
	}
	pr.Add("settlement", CheckText(p.Settlement, false, MaxShort, false))
}

// Consent is a person's agreement to one use of her data, as recorded by staff.
type Consent struct {
	ID          int64  `json:"id"`
	Purpose     string `json:"purpose"`
	Channel     string `json:"channel"`
	GivenOn     string `json:"given_on"` // YYYY-MM-DD
	RecordedBy  string `json:"recorded_by"`
	WithdrawnOn string `json:"withdrawn_on,omitempty"`
}

// ConsentPurposes are what consent is asked for, each separately.
var ConsentPurposes = []string{"services", "data_sharing", "referral", "story", "contact"}

// ConsentChannels are how consent was given.
var ConsentChannels = []string{"paper", "verbal", "online", "phone"}

// Validate checks a consent before it is recorded.
func (c *Consent) Validate(today time.Time) error {
	pr := Problems{}
	if !oneOf(c.Purpose, ConsentPurposes) {
		pr.Add("purpose", "field.choose")
	}
	if !oneOf(c.Channel, ConsentChannels) {
		pr.Add("channel", "field.choose")
	}
	pr.Add("given_on", CheckPastDate(c.GivenOn, today))
	return pr.Err()
}

// CheckPastDate accepts a YYYY-MM-DD day that is not after today, the user's day as
// Actor.Today gives it.
func CheckPastDate(s string, today time.Time) string {
	d, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		return "field.date"
	case d.After(today):
		return "person.date_future"
	}
	return ""
}

// Active reports whether the consent holds today.
func (c Consent) Active() bool { return c.WithdrawnOn == "" }

// Relation links a person to another: Kind says what the other is to her.
type Relation struct {
	ID      int64  `json:"id"`
	OtherID int64  `json:"other_id"`
	Kind    string `json:"kind"` // spouse, child, parent, guardian, ward
	Name    string `json:"name,omitempty"`
	// Anonymised: the other was anonymised on her request; she keeps her number, not her name.
	Anonymised bool `json:"anonymised,omitempty"`
}

// RelationKinds are the kinds of relation, with the inverse of each.
var RelationKinds = map[string]string{
	"spouse": "spouse", "child": "parent", "parent": "child", "guardian": "ward", "ward": "guardian",
}

// ImportRow is one row of a file of people: the person read from its cells, the centre
// it names (an id or a name, "" for the import's default) and what was wrong with cells
// that could not be read at all.
type ImportRow struct {
	Line     int // in the file, the header being line 1
	Person   Person
	Center   string
	Problems Problems
}

// ageOn is her age in whole years on day, from a birth date YYYY-MM-DD; false when the
// birth date is unknown or after day. Competitions and trainings check ages with it.
func ageOn(birth string, day time.Time) (int, bool) {
	b, err := time.Parse(time.DateOnly, birth)
	if err != nil || b.After(day) {
		return 0, false
	}
	age := day.Year() - b.Year()
	if day.Month() < b.Month() || day.Month() == b.Month() && day.Day() < b.Day() {
		age--
	}
	return age, true
}
