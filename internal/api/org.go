package api

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
)

// ListOrgs returns the organisations the caller has a role in.
func (a *API) ListOrgs(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	all, err := a.store.ListOrgs(r.Context(), actor(r))
	if err != nil {
		return err
	}
	var items []birge.Organization
	for _, o := range all {
		if o.ID > after && len(items) <= limit {
			items = append(items, o)
		}
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(o birge.Organization) int64 { return o.ID }))
}

// GetOrg returns one organisation.
func (a *API) GetOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := a.store.GetOrg(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}

// CreateOrg adds an organisation.
func (a *API) CreateOrg(w http.ResponseWriter, r *http.Request) error {
	var o birge.Organization
	if err := decode(w, r, &o); err != nil {
		return err
	}
	o, err := a.store.CreateOrg(r.Context(), actor(r), birge.Organization{Names: o.Names, Country: o.Country, Website: o.Website})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

// UpdateOrg changes the fields present in the body.
func (a *API) UpdateOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := a.store.GetOrg(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	if err := decode(w, r, &o); err != nil {
		return err
	}
	o.ID = id
	o, err = a.store.UpdateOrg(r.Context(), actor(r), o)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, o)
}
