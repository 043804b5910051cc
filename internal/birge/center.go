package birge

import (
	"time"

	"github.com/birge-org/birge/internal/geo"
)

// Center is an office of an organisation where people are served: the Family
// Preservation Centre in Aktobe, its Kargaly district office, a Mama Pro training centre.
type Center struct {
	ID    int64 `json:"id"`
	OrgID int64 `json:"organization_id"`
	Names
	Type      string    `json:"type"`
	Country   string    `json:"country"`
	Region    string    `json:"region"`   // geo region code
	District  string    `json:"district"` // geo district code (KZ) or free text (KG)
	Address   string    `json:"address"`
	Phone     string    `json:"phone"` // E.164
	TimeZone  string    `json:"time_zone"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CenterTypes are the kinds of centre, in display order.
var CenterTypes = []string{"family_center", "training_center", "office", "shelter", "consultation_point", "other"}

// TimeZones lists the zones a centre may keep its calendar in, per country. Kazakhstan
// moved to a single UTC+5 zone in March 2024; the tz database keeps its historic names.
var TimeZones = map[string][]string{
	"KZ": {"Asia/Almaty", "Asia/Aqtobe", "Asia/Aqtau", "Asia/Atyrau", "Asia/Oral", "Asia/Qostanay", "Asia/Qyzylorda"},
	"KG": {"Asia/Bishkek"},
}

// DefaultTimeZone is where times are shown until a user chooses: UTC+5, all of Kazakhstan.
const DefaultTimeZone = "Asia/Almaty"

// UserTimeZones are the zones a user may see times in: those of the centres, and those of
// neighbours and partners who work with them.
var UserTimeZones = append(append(append([]string{}, TimeZones["KZ"]...), TimeZones["KG"]...),
	"Asia/Tashkent", "Europe/Moscow", "UTC")

// Validate checks a centre before it is saved and puts its phone in E.164.
func (c *Center) Validate() error {
	p := Problems{}
	c.Names.check(p)
	if !oneOf(c.Type, CenterTypes) {
		p.Add("type", "field.choose")
	}
	if c.Country != "KZ" && c.Country != "KG" {
		p.Add("country", "field.choose")
	}
	region, ok := geo.LookupRegion(c.Region)
	if !ok || region.Country != c.Country {
		p.Add("region", "field.choose")
	}
	if c.Country == "KZ" {
		if d, ok := geo.LookupDistrict(c.District); c.District != "" && (!ok || d.Region != c.Region) {
			p.Add("district", "center.district_outside_region")
		}
	} else {
		p.Add("district", CheckText(c.District, false, MaxShort, false))
	}
	p.Add("address", CheckText(c.Address, false, MaxLong, true))
	phone, key := NormalizePhone(c.Phone, c.Country)
	if key != "" {
		p.Add("phone", key) // keep what was typed so the form can show it again
	} else {
		c.Phone = phone
	}
	if !oneOf(c.TimeZone, TimeZones[c.Country]) {
		p.Add("time_zone", "field.choose")
	}
	return p.Err()
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
