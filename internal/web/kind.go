package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// An organisation's lists of kinds of service and of outcome, and the reasons families
// come to its family centres for, are configured by its
// administrators (org.manage), like its categories: a list with a form to add one, a
// form to rename one of its own, and retiring and offering again.

func kindsPath(orgID int64, list string) string {
	return "/organizations/" + strconv.FormatInt(orgID, 10) + "/kinds/" + list
}

func (s *Server) kindList(w http.ResponseWriter, r *http.Request) error {
	return s.renderKinds(w, r, http.StatusOK, newForm())
}

func (s *Server) renderKinds(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	o, err := s.categoryOrg(r) // the same permission: org.manage on the organisation
	if err != nil {
		return err
	}
	list := r.PathValue("list")
	kinds, err := s.store.Kinds.List(r.Context(), request.From(r.Context()).Actor, list, o.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "kind/list", f, map[string]any{"Org": o, "List": list, "Kinds": kinds,
		"Path": kindsPath(o.ID, list)})
}

func (s *Server) kindCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	orgID, list := pathInt(r, "id"), r.PathValue("list")
	k := birge.DeliveryKind{Code: f.get("code"), Names: namesFromForm(f)}
	if _, err := s.store.Kinds.Create(r.Context(), request.From(r.Context()).Actor, list, orgID, k); err != nil {
		if f.fail(err) {
			return s.renderKinds(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, kindsPath(orgID, list), "flash.saved")
}

// pathKind loads the kind of the path for someone who may configure the list.
func (s *Server) pathKind(r *http.Request) (birge.DeliveryKind, error) {
	kinds, err := s.store.Kinds.List(r.Context(), request.From(r.Context()).Actor, r.PathValue("list"), pathInt(r, "id"))
	if err != nil {
		return birge.DeliveryKind{}, err
	}
	k, ok := kinds.Lookup(r.PathValue("code"))
	if !ok {
		return k, birge.ErrNotFound
	}
	return k, nil
}

func (s *Server) kindEdit(w http.ResponseWriter, r *http.Request) error {
	k, err := s.pathKind(r)
	if err != nil {
		return err
	}
	f := newForm()
	setNames(f, k.Names)
	return s.renderKindForm(w, r, http.StatusOK, f, k)
}

func (s *Server) renderKindForm(w http.ResponseWriter, r *http.Request, status int, f *form, k birge.DeliveryKind) error {
	list := r.PathValue("list")
	defaults := map[string][]string{"deliveries": birge.DefaultDeliveryKinds, "outcomes": birge.DefaultOutcomeKinds,
		"cases": birge.DefaultCaseReasons}[list]
	return s.render(w, r, status, "kind/form", f, map[string]any{"Kind": k, "List": list,
		"Path": kindsPath(pathInt(r, "id"), list), "Default": slices.Contains(defaults, k.Code)})
}

// kindUpdate saves the names of one of the organisation's own kinds.
func (s *Server) kindUpdate(w http.ResponseWriter, r *http.Request) error {
	k, err := s.pathKind(r)
	if err != nil {
		return err
	}
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	k.Names = namesFromForm(f)
	return s.saveKind(w, r, f, k)
}

func (s *Server) kindRetire(w http.ResponseWriter, r *http.Request) error {
	return s.setKindRetired(w, r, true)
}
func (s *Server) kindRestore(w http.ResponseWriter, r *http.Request) error {
	return s.setKindRetired(w, r, false)
}

func (s *Server) setKindRetired(w http.ResponseWriter, r *http.Request, retired bool) error {
	k, err := s.pathKind(r)
	if err != nil {
		return err
	}
	k.Retired = retired
	return s.saveKind(w, r, newForm(), k)
}

func (s *Server) saveKind(w http.ResponseWriter, r *http.Request, f *form, k birge.DeliveryKind) error {
	orgID, list := pathInt(r, "id"), r.PathValue("list")
	if _, err := s.store.Kinds.Update(r.Context(), request.From(r.Context()).Actor, list, orgID, k); err != nil {
		if f.fail(err) {
			return s.renderKindForm(w, r, http.StatusUnprocessableEntity, f, k)
		}
		return err
	}
	return redirect(w, r, kindsPath(orgID, list), "flash.saved")
}
