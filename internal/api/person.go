package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListPeople finds people: q searches names in any script, phones and identity numbers.
func (a *API) ListPeople(w http.ResponseWriter, r *http.Request) error {
	f, err := PeopleFilter(r.URL.Query())
	if err != nil {
		return err
	}
	l, err := a.store.ListPeople(r.Context(), actor(r), f)
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
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := a.store.GetPerson(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	w.Header().Set("ETag", personETag(p))
	return writeJSON(w, http.StatusOK, p)
}

// CreatePerson registers a person, with any consents given in the body.
func (a *API) CreatePerson(w http.ResponseWriter, r *http.Request) error {
	var p birge.Person
	if err := decode(w, r, &p); err != nil {
		return err
	}
	p.ID = 0
	p, err := a.store.CreatePerson(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

// UpdatePerson changes the fields present in the body. The masked identity number read
// from GET may be sent back unchanged.
//
// The fields are laid over her record as it is when her row is locked, so two PATCHes at
// once both count: the second waits for the first and keeps its change. A client that
// names the version it edited — If-Match with the ETag of a GET, or updated_at in the
// body — gets a 409 instead when it is no longer the current one.
func (a *API) UpdatePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	ifMatch := r.Header.Get("If-Match")
	p, err := a.store.PatchPerson(r.Context(), actor(r), id, func(p *birge.Person) error {
		if ifMatch != "" && ifMatch != "*" && ifMatch != personETag(*p) {
			return errChangedMeanwhile
		}
		return decodeBytes(body, p)
	})
	if err != nil {
		return err
	}
	w.Header().Set("ETag", personETag(p))
	return writeJSON(w, http.StatusOK, p)
}

// errChangedMeanwhile is the answer to a PATCH on a version that is not the current one.
var errChangedMeanwhile = &birge.Error{Kind: birge.KindConflict, Key: "person.changed_meanwhile"}

// personETag names a version of her record: every edit gives her a later updated_at.
func personETag(p birge.Person) string {
	return `"` + strconv.FormatInt(p.UpdatedAt.UnixMicro(), 10) + `"`
}

// Duplicates lists likely duplicates of a candidate record, before it is saved.
func (a *API) Duplicates(w http.ResponseWriter, r *http.Request) error {
	var p birge.Person
	if err := decode(w, r, &p); err != nil {
		return err
	}
	dups, err := a.store.FindDuplicates(r.Context(), actor(r), p)
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
	rel, err := a.store.AddRelation(r.Context(), actor(r), id, body.OtherID, body.Kind)
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
	if err := a.store.RemoveRelation(r.Context(), actor(r), id, rel); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
