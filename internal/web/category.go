package web

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// An organisation's categories are configured by its administrators (org.manage): a
// list with a form to add one, an edit form, and retiring and offering again.

// categoryOrg loads the organisation of the path for someone who may configure its
// categories: not found when out of sight, forbidden when only in sight.
func (s *Server) categoryOrg(r *http.Request) (birge.Organization, error) {
	a := request.From(r.Context()).Actor
	o, err := s.store.GetOrg(r.Context(), a, pathInt(r, "id"))
	if err == nil && !a.Can(birge.PermOrgManage, o.ID, 0) {
		return o, birge.ErrForbidden
	}
	return o, err
}

func (s *Server) categoryList(w http.ResponseWriter, r *http.Request) error {
	return s.renderCategories(w, r, http.StatusOK, newForm())
}

func (s *Server) renderCategories(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	o, err := s.categoryOrg(r)
	if err != nil {
		return err
	}
	cats, err := s.store.Categories(r.Context(), request.From(r.Context()).Actor, o.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "category/list", f, map[string]any{"Org": o, "Categories": cats})
}

func (s *Server) categoryCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	c := birge.Category{OrgID: pathInt(r, "id"), Code: f.get("code"), Names: namesFromForm(f), Sensitive: f.get("sensitive") != ""}
	if _, err := s.store.CreateCategory(r.Context(), request.From(r.Context()).Actor, c); err != nil {
		if f.fail(err) {
			return s.renderCategories(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, categoriesPath(c.OrgID), "flash.saved")
}

// pathCategory loads the category of the path for someone who may configure it.
func (s *Server) pathCategory(r *http.Request) (birge.Category, error) {
	o, err := s.categoryOrg(r)
	if err != nil {
		return birge.Category{}, err
	}
	return s.store.GetCategory(r.Context(), request.From(r.Context()).Actor, o.ID, r.PathValue("category"))
}

func (s *Server) categoryEdit(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCategory(r)
	if err != nil {
		return err
	}
	f := newForm()
	setNames(f, c.Names)
	if c.Sensitive {
		f.Values["sensitive"] = "on"
	}
	return s.render(w, r, http.StatusOK, "category/form", f, map[string]any{"Category": c})
}

// categoryUpdate saves the names (of the organisation's own categories) and the
// sensitive flag.
func (s *Server) categoryUpdate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.pathCategory(r)
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	if !c.Default {
		c.Names = namesFromForm(f)
	}
	c.Sensitive = f.get("sensitive") != ""
	if _, err := s.store.UpdateCategory(r.Context(), request.From(r.Context()).Actor, c); err != nil {
		if f.fail(err) {
			return s.render(w, r, http.StatusUnprocessableEntity, "category/form", f, map[string]any{"Category": c})
		}
		return err
	}
	return redirect(w, r, categoriesPath(c.OrgID), "flash.saved")
}

func (s *Server) categoryRetire(w http.ResponseWriter, r *http.Request) error {
	return s.setRetired(w, r, true)
}

func (s *Server) categoryRestore(w http.ResponseWriter, r *http.Request) error {
	return s.setRetired(w, r, false)
}

func (s *Server) setRetired(w http.ResponseWriter, r *http.Request, retired bool) error {
	c, err := s.pathCategory(r)
	if err != nil {
		return err
	}
	c.Retired = retired
	if _, err := s.store.UpdateCategory(r.Context(), request.From(r.Context()).Actor, c); err != nil {
		return err
	}
	return redirect(w, r, categoriesPath(c.OrgID), "flash.saved")
}

func categoriesPath(orgID int64) string {
	return "/organizations/" + strconv.FormatInt(orgID, 10) + "/categories"
}
