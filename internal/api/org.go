package api

import (
	"net/http"
	"time"

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
	return getByID(w, r, a.store.GetOrg, func(x birge.Organization) time.Time { return x.UpdatedAt })
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

// orgUpdate is the body of PATCH /organizations/{id}.
type orgUpdate struct {
	namesUpdate
	Country *string `json:"country"`
	Website *string `json:"website"`
}

func (u *orgUpdate) apply(o *birge.Organization) {
	u.namesUpdate.apply(&o.Names)
	set(&o.Country, u.Country)
	set(&o.Website, u.Website)
}

// UpdateOrg changes the fields present in the body.
func (a *API) UpdateOrg(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &orgUpdate{}, func(o birge.Organization) time.Time { return o.UpdatedAt }, readThenWrite(
		func() (birge.Organization, error) { return a.store.GetOrg(ctx, act, id) },
		func(o birge.Organization) (birge.Organization, error) { return a.store.UpdateOrg(ctx, act, o) }))
}
