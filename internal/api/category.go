package api

import (
	"net/http"

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

// UpdateCategory changes the fields present in the body: names, sensitive, retired.
func (a *API) UpdateCategory(w http.ResponseWriter, r *http.Request) error {
	org, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := a.store.GetCategory(r.Context(), actor(r), org, r.PathValue("category"))
	if err != nil {
		return err
	}
	code := c.Code
	if err := decode(w, r, &c); err != nil {
		return err
	}
	c.OrgID, c.Code = org, code // the path names the category; a code never changes
	c, err = a.store.UpdateCategory(r.Context(), actor(r), c)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}
