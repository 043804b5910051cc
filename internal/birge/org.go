package birge

import "time"

// Organization is a legal body that runs centres: an NGO, a public association, an akimat
// department. Every record in Birge belongs to one.
type Organization struct {
	ID int64 `json:"id"`
	Names
	Country   string    `json:"country"` // KZ or KG
	Website   string    `json:"website"` // shown on public pages
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks an organisation before it is saved.
func (o *Organization) Validate() error {
	p := Problems{}
	o.Names.check(p)
	if o.Country != "KZ" && o.Country != "KG" {
		p.Add("country", "field.choose")
	}
	p.Add("website", CheckURL(o.Website))
	return p.Err()
}
