package api

import (
	"net/http"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// ListCategories returns an organisation's categories in display order, retired ones
// too.
func (a *API) ListCategories(w http.ResponseWriter, r *http.Request) error {
	org, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cats, err := a.store.Categories(r.Context(), actor(r), org)
	if err != nil {
		return err
	}
	if cats == nil {
		cats = birge.CategoryList{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": cats})
}

// CreateCategory adds a category of the organisation's own.
func (a *API) CreateCategory(w http.ResponseWriter, r *http.Request) error {
	org, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var c birge.Category
	if err := decode(w, r, &c); err != nil {
		return err
	}
	c, err = a.store.CreateCategory(r.Context(), actor(r), birge.Category{OrgID: org, Code: c.Code, Names: c.Names, Sensitive: c.Sensitive})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// GetCategory returns one category of an organisation, with its version as the ETag.
func (a *API) GetCategory(w http.ResponseWriter, r *http.Request) error {
	org, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.store.GetCategory(r.Context(), actor(r), org, r.PathValue("category"))
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, c, c.UpdatedAt)
}

// categoryUpdate is the body of PATCH /organizations/{id}/categories/{category}; the path
// names the category, and its code never changes.
type categoryUpdate struct {
	namesUpdate
	Sensitive *bool `json:"sensitive"`
	Retired   *bool `json:"retired"`
}

func (u *categoryUpdate) apply(c *birge.Category) {
	u.namesUpdate.apply(&c.Names)
	set(&c.Sensitive, u.Sensitive)
	set(&c.Retired, u.Retired)
}

// UpdateCategory changes the fields present in the body: names, sensitive, retired.
func (a *API) UpdateCategory(w http.ResponseWriter, r *http.Request) error {
	org, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act, code := r.Context(), actor(r), r.PathValue("category")
	return patch(w, r, &categoryUpdate{}, func(c birge.Category) time.Time { return c.UpdatedAt }, readThenWrite(
		func() (birge.Category, error) { return a.store.GetCategory(ctx, act, org, code) },
		func(c birge.Category) (birge.Category, error) { return a.store.UpdateCategory(ctx, act, c) }))
}
