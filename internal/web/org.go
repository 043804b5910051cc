package web

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

func (s *Server) orgList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	orgs, err := s.store.ListOrgs(r.Context(), info.Actor)
	if err != nil {
		return err
	}
	i18n.Sort(info.P, orgs, func(o birge.Organization) string { return o.Names.In(info.Lang) })
	return s.render(w, r, http.StatusOK, "org/list", nil, map[string]any{
		"Orgs": orgs, "CanCreate": info.Actor.InstallationAdmin()})
}

func (s *Server) orgShow(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	o, err := s.store.GetOrg(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	centers, err := s.visibleCenters(r, store.CenterFilter{OrgID: o.ID})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "org/show", nil, map[string]any{"Org": o, "Centers": centers,
		"CanEdit":         info.Actor.Can(birge.PermOrgManage, o.ID, 0),
		"CanCreateCenter": info.Actor.Can(birge.PermCenterManage, o.ID, 0)})
}

func (s *Server) orgNew(w http.ResponseWriter, r *http.Request) error {
	if !request.From(r.Context()).Actor.InstallationAdmin() {
		return birge.ErrForbidden
	}
	f := newForm()
	f.Values["country"] = "KZ"
	return s.renderOrgForm(w, r, http.StatusOK, f, 0)
}

func (s *Server) orgEdit(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	o, err := s.store.GetOrg(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !a.Can(birge.PermOrgManage, o.ID, 0) {
		return birge.ErrForbidden
	}
	f := newForm()
	setNames(f, o.Names)
	f.Values["country"], f.Values["website"] = o.Country, o.Website
	return s.renderOrgForm(w, r, http.StatusOK, f, o.ID)
}

func (s *Server) renderOrgForm(w http.ResponseWriter, r *http.Request, status int, f *form, id int64) error {
	return s.render(w, r, status, "org/form", f, map[string]any{"ID": id, "Countries": countryOptions(request.From(r.Context()).P)})
}

func orgFromForm(f *form) birge.Organization {
	return birge.Organization{Names: namesFromForm(f), Country: f.get("country"), Website: f.get("website")}
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	o, err := s.store.CreateOrg(r.Context(), request.From(r.Context()).Actor, orgFromForm(f))
	if err != nil {
		if f.fail(err) {
			return s.renderOrgForm(w, r, http.StatusUnprocessableEntity, f, 0)
		}
		return err
	}
	return redirect(w, r, "/organizations/"+strconv.FormatInt(o.ID, 10), "flash.saved")
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	o := orgFromForm(f)
	o.ID = pathInt(r, "id")
	if _, err := s.store.UpdateOrg(r.Context(), request.From(r.Context()).Actor, o); err != nil {
		if f.fail(err) {
			return s.renderOrgForm(w, r, http.StatusUnprocessableEntity, f, o.ID)
		}
		return err
	}
	return redirect(w, r, "/organizations/"+strconv.FormatInt(o.ID, 10), "flash.saved")
}

// pathInt reads a numeric path parameter; a malformed one reads as 0, which no record has.
func pathInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.PathValue(name), 10, 64)
	return n
}

func namesFromForm(f *form) birge.Names {
	return birge.Names{KK: f.get("name_kk"), RU: f.get("name_ru"), KY: f.get("name_ky"), EN: f.get("name_en")}
}

func setNames(f *form, n birge.Names) {
	f.Values["name_kk"], f.Values["name_ru"], f.Values["name_ky"], f.Values["name_en"] = n.KK, n.RU, n.KY, n.EN
}

func countryOptions(p *i18n.Printer) []option {
	return []option{{"KZ", p.T("country.KZ")}, {"KG", p.T("country.KG")}}
}
