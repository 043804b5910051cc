package api

import (
	"net/http"
	"strconv"

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
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.store.GetCenter(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
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

// UpdateCenter changes the fields present in the body.
func (a *API) UpdateCenter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.store.GetCenter(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	if err := decode(w, r, &c); err != nil {
		return err
	}
	c.ID = id
	c, err = a.store.UpdateCenter(r.Context(), actor(r), c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
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
