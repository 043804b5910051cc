package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListCenters returns the centres the caller may see; organization_id narrows the list.
func (a *API) ListCenters(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	f := store.CenterFilter{After: after, Limit: limit + 1}
	if s := r.URL.Query().Get("organization_id"); s != "" {
		if f.OrgID, err = strconv.ParseInt(s, 10, 64); err != nil {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"organization_id": "field.type"}}
		}
	}
	items, err := a.store.ListCenters(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(c birge.Center) int64 { return c.ID }))
}

// GetCenter returns one centre.
func (a *API) GetCenter(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.GetCenter, func(x birge.Center) time.Time { return x.UpdatedAt })
}

// CreateCenter adds a centre to an organisation.
func (a *API) CreateCenter(w http.ResponseWriter, r *http.Request) error {
	var c birge.Center
	if err := decode(w, r, &c); err != nil {
		return err
	}
	c.ID = 0
	c, err := a.store.CreateCenter(r.Context(), actor(r), c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// centerUpdate is the body of PATCH /centers/{id}; a centre never moves to another
// organisation.
type centerUpdate struct {
	namesUpdate
	Type     *string `json:"type"`
	Country  *string `json:"country"`
	Region   *string `json:"region"`
	District *string `json:"district"`
	Address  *string `json:"address"`
	Phone    *string `json:"phone"`
	TimeZone *string `json:"time_zone"`
}

func (u *centerUpdate) apply(c *birge.Center) {
	u.namesUpdate.apply(&c.Names)
	set(&c.Type, u.Type)
	set(&c.Country, u.Country)
	set(&c.Region, u.Region)
	set(&c.District, u.District)
	set(&c.Address, u.Address)
	set(&c.Phone, u.Phone)
	set(&c.TimeZone, u.TimeZone)
}

// UpdateCenter changes the fields present in the body.
func (a *API) UpdateCenter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &centerUpdate{}, func(c birge.Center) time.Time { return c.UpdatedAt }, readThenWrite(
		func() (birge.Center, error) { return a.store.GetCenter(ctx, act, id) },
		func(c birge.Center) (birge.Center, error) { return a.store.UpdateCenter(ctx, act, c) }))
}

// DeleteCenter removes a centre nothing refers to.
func (a *API) DeleteCenter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.DeleteCenter(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
