package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// servicesPath is an organisation's directory of outside services.
func servicesPath(orgID int64) string {
	return "/organizations/" + strconv.FormatInt(orgID, 10) + "/services"
}

// serviceList shows an organisation's directory and the form to add a service, to those
// who manage the organisation.
func (s *Server) serviceList(w http.ResponseWriter, r *http.Request) error {
	return s.renderServices(w, r, http.StatusOK, newForm())
}

func (s *Server) renderServices(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	info := request.From(r.Context())
	o, err := s.categoryOrg(r) // the same permission: org.manage on the organisation
	if err != nil {
		return err
	}
	list, err := s.store.Services.List(r.Context(), info.Actor, o.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, status, "service/list", f, map[string]any{"Org": o, "Services": list,
		"Path": servicesPath(o.ID), "Kinds": choices(info, "service.kind.", birge.ServiceKinds)})
}

// serviceFromForm reads a service's form.
func serviceFromForm(f *form, v birge.Service) birge.Service {
	v.Name, v.Kind, v.Phone, v.Address = f.get("name"), f.get("kind"), f.get("phone"), f.get("address")
	v.Retired = f.get("retired") != ""
	v.UpdatedAt, _ = time.Parse(time.RFC3339Nano, f.get("version"))
	return v
}

func (s *Server) serviceCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	o, err := s.categoryOrg(r)
	if err != nil {
		return err
	}
	orgID := o.ID
	v := serviceFromForm(f, birge.Service{OrgID: orgID})
	if _, err := s.store.Services.Create(r.Context(), request.From(r.Context()).Actor, v); err != nil {
		if f.fail(err) {
			return s.renderServices(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, servicesPath(orgID), "flash.saved")
}

// pathService loads the service of the path, of the path's organisation, for one who
// manages it.
func (s *Server) pathService(r *http.Request) (birge.Organization, birge.Service, error) {
	o, err := s.categoryOrg(r)
	if err != nil {
		return o, birge.Service{}, err
	}
	v, err := s.store.Services.Get(r.Context(), request.From(r.Context()).Actor, pathInt(r, "service"))
	if err == nil && v.OrgID != o.ID {
		err = birge.ErrNotFound
	}
	return o, v, err
}

func (s *Server) serviceEdit(w http.ResponseWriter, r *http.Request) error {
	o, v, err := s.pathService(r)
	if err != nil {
		return err
	}
	f := newForm()
	for k, val := range map[string]string{"name": v.Name, "kind": v.Kind, "phone": v.Phone, "address": v.Address,
		"version": v.UpdatedAt.Format(time.RFC3339Nano)} {
		f.Values[k] = val
	}
	if v.Retired {
		f.Values["retired"] = "on"
	}
	return s.renderServiceForm(w, r, http.StatusOK, f, o, v)
}

func (s *Server) serviceUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	o, v, err := s.pathService(r)
	if err != nil {
		return err
	}
	if _, err := s.store.Services.Update(r.Context(), request.From(r.Context()).Actor, serviceFromForm(f, v)); err != nil {
		if f.fail(err) {
			return s.renderServiceForm(w, r, http.StatusUnprocessableEntity, f, o, v)
		}
		return err
	}
	return redirect(w, r, servicesPath(o.ID), "flash.saved")
}

func (s *Server) renderServiceForm(w http.ResponseWriter, r *http.Request, status int, f *form, o birge.Organization, v birge.Service) error {
	info := request.From(r.Context())
	return s.render(w, r, status, "service/form", f, map[string]any{"Org": o, "Service": v,
		"Path": servicesPath(o.ID), "Kinds": choices(info, "service.kind.", birge.ServiceKinds)})
}
