package web

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// visibleCenters lists the centres the user may see, sorted in their alphabet, for pages
// that show centres alongside something else: none, rather than an error, for a role
// that sees no centres.
func (s *Server) visibleCenters(r *http.Request, f store.CenterFilter) ([]birge.Center, error) {
	info := request.From(r.Context())
	if info.Actor.ScopeOf(birge.PermCenterView).Empty() {
		return nil, nil
	}
	centers, err := s.store.ListCenters(r.Context(), info.Actor, f)
	i18n.Sort(info.P, centers, func(c birge.Center) string { return c.Names.In(info.Lang) })
	return centers, err
}

func (s *Server) centerList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	centers, err := s.store.ListCenters(r.Context(), info.Actor, store.CenterFilter{})
	if err != nil {
		return err
	}
	i18n.Sort(info.P, centers, func(c birge.Center) string { return c.Names.In(info.Lang) })
	orgs, err := s.manageableOrgs(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "center/list", nil, map[string]any{
		"Centers": centers, "CanCreate": len(orgs) > 0})
}

func (s *Server) centerShow(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	c, err := s.store.GetCenter(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	o, err := s.store.GetOrg(r.Context(), info.Actor, c.OrgID)
	if err != nil {
		return err
	}
	district := c.District
	if d, ok := geo.LookupDistrict(c.District); ok {
		district = d.Names.In(info.Lang)
	}
	return s.render(w, r, http.StatusOK, "center/show", nil, map[string]any{
		"Center": c, "Org": o, "Region": regionName(c.Region, info.Lang), "District": district,
		"CanEdit":    info.Actor.Can(birge.PermCenterManage, c.OrgID, c.ID),
		"CanDelete":  info.Actor.Can(birge.PermCenterManage, c.OrgID, 0),
		"CanUsers":   info.Actor.Can(birge.PermUserView, c.OrgID, c.ID),
		"CanFigures": info.Actor.Can(birge.PermCaseFigures, c.OrgID, c.ID)})
}

// manageableOrgs are the organisations where the actor may create centres.
func (s *Server) manageableOrgs(r *http.Request) ([]birge.Organization, error) {
	a := request.From(r.Context()).Actor
	orgs, err := s.store.ListOrgs(r.Context(), a)
	var out []birge.Organization
	for _, o := range orgs {
		if a.Can(birge.PermCenterManage, o.ID, 0) {
			out = append(out, o)
		}
	}
	return out, err
}

func (s *Server) centerNew(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.manageableOrgs(r)
	if err != nil {
		return err
	}
	if len(orgs) == 0 {
		return birge.ErrForbidden
	}
	f := newForm()
	f.Values["org_id"] = r.URL.Query().Get("org")
	f.Values["country"], f.Values["time_zone"], f.Values["type"] = orgs[0].Country, "Asia/Almaty", "family_center"
	if orgs[0].Country == "KG" {
		f.Values["time_zone"] = "Asia/Bishkek"
	}
	return s.renderCenterForm(w, r, http.StatusOK, f, 0)
}

func (s *Server) centerEdit(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	c, err := s.store.GetCenter(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !a.Can(birge.PermCenterManage, c.OrgID, c.ID) {
		return birge.ErrForbidden
	}
	f := newForm()
	setNames(f, c.Names)
	for k, v := range map[string]string{"org_id": strconv.FormatInt(c.OrgID, 10), "type": c.Type, "country": c.Country,
		"region": c.Region, "district": c.District, "district_text": c.District, "address": c.Address,
		"phone": c.Phone, "time_zone": c.TimeZone} {
		f.Values[k] = v
	}
	return s.renderCenterForm(w, r, http.StatusOK, f, c.ID)
}

// renderCenterForm draws the centre form. It works without JavaScript: regions and
// districts are listed for both countries and checked against each other on save.
func (s *Server) renderCenterForm(w http.ResponseWriter, r *http.Request, status int, f *form, id int64) error {
	info := request.From(r.Context())
	p := info.P
	var orgOpts []option
	if id == 0 {
		orgs, err := s.manageableOrgs(r)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			orgOpts = append(orgOpts, option{strconv.FormatInt(o.ID, 10), o.Names.In(info.Lang)})
		}
	}
	var types, zones []option
	for _, t := range birge.CenterTypes {
		types = append(types, option{t, p.T("center.type." + t)})
	}
	for _, c := range geo.Countries {
		for _, z := range birge.TimeZones[c] {
			zones = append(zones, option{z, p.T("tz." + z)})
		}
	}
	regions, districts := placeOptions(p)
	return s.render(w, r, status, "center/form", f, map[string]any{"ID": id, "Orgs": orgOpts, "Types": types,
		"Zones": zones, "Countries": countryOptions(p), "Regions": regions, "Districts": districts})
}

func centerFromForm(f *form) birge.Center {
	c := birge.Center{OrgID: f.int64("org_id"), Names: namesFromForm(f), Type: f.get("type"),
		Country: f.get("country"), Region: f.get("region"), District: f.get("district"),
		Address: f.get("address"), Phone: f.get("phone"), TimeZone: f.get("time_zone")}
	if c.Country == "KG" {
		c.District = f.get("district_text")
	}
	return c
}

func (s *Server) centerCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	c, err := s.store.CreateCenter(r.Context(), request.From(r.Context()).Actor, centerFromForm(f))
	if err != nil {
		if f.fail(err) {
			centerErrorsToForm(f)
			return s.renderCenterForm(w, r, http.StatusUnprocessableEntity, f, 0)
		}
		return err
	}
	return redirect(w, r, "/centers/"+strconv.FormatInt(c.ID, 10), "flash.saved")
}

func (s *Server) centerUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	c := centerFromForm(f)
	c.ID = pathInt(r, "id")
	if _, err := s.store.UpdateCenter(r.Context(), request.From(r.Context()).Actor, c); err != nil {
		if f.fail(err) {
			centerErrorsToForm(f)
			return s.renderCenterForm(w, r, http.StatusUnprocessableEntity, f, c.ID)
		}
		return err
	}
	return redirect(w, r, "/centers/"+strconv.FormatInt(c.ID, 10), "flash.saved")
}

// centerErrorsToForm shows a district error beside the field the user typed in.
func centerErrorsToForm(f *form) {
	if e, ok := f.Errors["district"]; ok && f.get("country") == "KG" {
		f.Errors["district_text"] = e
	}
	if e, ok := f.Errors["organization_id"]; ok {
		f.Errors["org_id"] = e
	}
}

func (s *Server) centerDelete(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.DeleteCenter(r.Context(), request.From(r.Context()).Actor, pathInt(r, "id")); err != nil {
		return err
	}
	return redirect(w, r, "/centers", "flash.deleted")
}
