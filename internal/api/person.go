package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListPeople finds people: q searches names in any script, phones and identity numbers.
func (a *API) ListPeople(w http.ResponseWriter, r *http.Request) error {
	f, err := PeopleFilter(r.URL.Query())
	if err != nil {
		return err
	}
	l, err := a.store.People.List(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	out := List[store.PersonSummary]{Items: l.Items, NextCursor: l.Next}
	if out.Items == nil {
		out.Items = []store.PersonSummary{}
	}
	return writeJSON(w, http.StatusOK, out)
}

// PeopleFilter reads the list's filters from a query string; the web page shares it.
func PeopleFilter(v url.Values) (store.PeopleFilter, error) {
	f := store.PeopleFilter{Q: v.Get("q"), Region: v.Get("region"), District: v.Get("district"),
		Category: v.Get("category"), Sex: v.Get("sex"), Cursor: v.Get("cursor")}
	p := birge.Problems{}
	num := func(name string, max int) int {
		s := v.Get(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > max {
			p.Add(name, "field.range")
		}
		return n
	}
	f.CenterID = int64(num("center_id", 1<<31-1))
	f.Program = int64(num("program", 1<<31-1))
	f.AgeFrom, f.AgeTo = num("age_from", 150), num("age_to", 150)
	f.Limit = 50
	if v.Get("limit") != "" {
		if f.Limit = num("limit", store.MaxPageSize); f.Limit == 0 {
			p.Add("limit", "api.limit")
		}
	}
	return f, p.Err()
}

// GetPerson returns one person, the identity number masked.
func (a *API) GetPerson(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.People.Get, func(x birge.Person) time.Time { return x.UpdatedAt })
}

// CreatePerson registers a person, with any consents given in the body.
func (a *API) CreatePerson(w http.ResponseWriter, r *http.Request) error {
	var p birge.Person
	if err := decode(w, r, &p); err != nil {
		return err
	}
	p.ID = 0
	p, err := a.store.People.Create(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

// personUpdate is the body of PATCH /people/{id}. Her identity number may be sent back
// masked as GET gave it, which keeps it.
type personUpdate struct {
	CenterID        *int64    `json:"center_id"`
	FamilyName      *string   `json:"family_name"`
	GivenName       *string   `json:"given_name"`
	Patronymic      *string   `json:"patronymic"`
	Sex             *string   `json:"sex"`
	BirthDate       *string   `json:"birth_date"`
	BirthYear       *int      `json:"birth_year"`
	IIN             *string   `json:"iin"`
	PIN             *string   `json:"pin"`
	Phones          *[]string `json:"phones"`
	Email           *string   `json:"email"`
	Country         *string   `json:"country"`
	Region          *string   `json:"region"`
	District        *string   `json:"district"`
	Settlement      *string   `json:"settlement"`
	Rural           *bool     `json:"rural"`
	Children        **int     `json:"children"` // null: not recorded
	IncomeBand      *string   `json:"income_band"`
	SpecialNeeds    *bool     `json:"special_needs"`
	MayCall         *bool     `json:"may_call"`
	CallTimes       *string   `json:"call_times"`
	MayLeaveMessage *bool     `json:"may_leave_message"`
	Categories      *[]string `json:"categories"`
}

func (u *personUpdate) apply(p *birge.Person) {
	set(&p.CenterID, u.CenterID)
	set(&p.FamilyName, u.FamilyName)
	set(&p.GivenName, u.GivenName)
	set(&p.Patronymic, u.Patronymic)
	set(&p.Sex, u.Sex)
	set(&p.BirthDate, u.BirthDate)
	set(&p.BirthYear, u.BirthYear)
	set(&p.IIN, u.IIN)
	set(&p.PIN, u.PIN)
	set(&p.Phones, u.Phones)
	set(&p.Email, u.Email)
	set(&p.Country, u.Country)
	set(&p.Region, u.Region)
	set(&p.District, u.District)
	set(&p.Settlement, u.Settlement)
	set(&p.Rural, u.Rural)
	set(&p.Children, u.Children)
	set(&p.IncomeBand, u.IncomeBand)
	set(&p.SpecialNeeds, u.SpecialNeeds)
	set(&p.MayCall, u.MayCall)
	set(&p.CallTimes, u.CallTimes)
	set(&p.MayLeaveMessage, u.MayLeaveMessage)
	set(&p.Categories, u.Categories)
}

// UpdatePerson changes the fields present in the body.
//
// The fields are laid over her record as it is when her row is locked, so two PATCHes at
// once both count: the second waits for the first and keeps its change. A client that
// names the version it edited (If-Match with the ETag of a GET) gets a 409 instead when
// it is no longer the current one.
func (a *API) UpdatePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return patch(w, r, &personUpdate{}, personVersion, func(apply func(*birge.Person) error) (birge.Person, error) {
		return a.store.People.Patch(r.Context(), actor(r), id, apply)
	})
}

func personVersion(p birge.Person) time.Time { return p.UpdatedAt }

// Duplicates lists likely duplicates of a candidate record, before it is saved.
func (a *API) Duplicates(w http.ResponseWriter, r *http.Request) error {
	var p birge.Person
	if err := decode(w, r, &p); err != nil {
		return err
	}
	dups, err := a.store.People.FindDuplicates(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": dups})
}

// AddRelation links a person to a relative: kind is what the other is to her.
func (a *API) AddRelation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var body struct {
		Kind    string `json:"kind"`
		OtherID int64  `json:"other_id"`
	}
	if err := decode(w, r, &body); err != nil {
		return err
	}
	rel, err := a.store.People.AddRelation(r.Context(), actor(r), id, body.OtherID, body.Kind)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rel)
}

// RemoveRelation unlinks a person from a relative, from either side.
func (a *API) RemoveRelation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rel, err := pathID(r, "relation")
	if err != nil {
		return err
	}
	if err := a.store.People.RemoveRelation(r.Context(), actor(r), id, rel); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
