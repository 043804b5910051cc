package web

import (
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

func (s *Server) caseNew(w http.ResponseWriter, r *http.Request) error {
	_, managed, err := s.caseCenters(r)
	if err != nil {
		return err
	}
	if len(managed) == 0 {
		return birge.ErrForbidden
	}
	f := newForm()
	f.Values["center_id"], f.Values["intake_date"], f.Values["came_from"] = strconv.FormatInt(managed[0].ID, 10), s.today(r), "self"
	// Back from registering someone (case_intake_register.go): what was typed, and her number.
	for _, k := range intakeKept {
		if v := r.URL.Query().Get(k); v != "" {
			f.Values[k] = v
		}
	}
	return s.renderCaseForm(w, r, http.StatusOK, f, birge.Case{})
}

func (s *Server) caseEdit(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	k, err := s.store.Cases.Get(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !s.store.Cases.MayManage(info.Actor, k.OrgID, k.CenterID) {
		return birge.ErrForbidden
	}
	return s.renderCaseForm(w, r, http.StatusOK, caseToForm(k), k)
}

// renderCaseForm draws the intake form (k.ID 0: the centre to choose) or the edit and
// assignment form of case k: partners and children by record number, reasons as ticked
// boxes, and on edit the status and the workers who may work in its centre.
func (s *Server) renderCaseForm(w http.ResponseWriter, r *http.Request, status int, f *form, k birge.Case) error {
	info := request.From(r.Context())
	_, managed, err := s.caseCenters(r)
	if err != nil {
		return err
	}
	var centers []option
	orgID := k.OrgID
	for _, c := range managed {
		centers = append(centers, option{strconv.FormatInt(c.ID, 10), c.Names.In(info.Lang)})
		if k.ID == 0 && (orgID == 0 || strconv.FormatInt(c.ID, 10) == f.get("center_id")) {
			orgID = c.OrgID
		}
	}
	reasons, err := s.store.Cases.Reasons(r.Context(), info.Actor, orgID)
	if err != nil {
		return err
	}
	var reasonOpts []option
	for _, kind := range reasons {
		if !kind.Retired || f.get("reason_"+kind.Code) != "" {
			reasonOpts = append(reasonOpts, option{kind.Code, kind.Names.In(info.Lang)})
		}
	}
	var workers []option
	if k.ID != 0 {
		list, err := s.store.Cases.Workers(r.Context(), info.Actor, k.OrgID, k.CenterID)
		if err != nil {
			return err
		}
		workers = []option{{"0", info.P.T("case.nobody")}}
		for _, u := range list {
			workers = append(workers, option{strconv.FormatInt(u.ID, 10), u.Name})
		}
	}
	moveError(f, "partner_ids", "partners")
	moveError(f, "child_ids", "children")
	return s.render(w, r, status, "case/form", f, map[string]any{"ID": k.ID, "Centers": centers,
		"Reasons": reasonOpts, "CameFrom": choices(info, "case.came_from.", birge.CaseCameFrom),
		"Statuses": choices(info, "case.status.", birge.CaseOpenStatuses), "Workers": workers,
		"Register": intakeRegisterLinks(f)})
}

func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	// One who takes in families nowhere has no form to be shown again.
	if _, managed, err := s.caseCenters(r); err != nil || len(managed) == 0 {
		if err != nil {
			return err
		}
		return birge.ErrForbidden
	}
	k := caseFromForm(f, birge.Case{CenterID: f.int64("center_id")})
	k, err = s.store.Cases.Create(r.Context(), request.From(r.Context()).Actor, k)
	if err != nil {
		if f.fail(err) {
			return s.renderCaseForm(w, r, http.StatusUnprocessableEntity, f, birge.Case{})
		}
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(k.ID, 10), "flash.saved")
}

func (s *Server) caseUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	old, err := s.store.Cases.Get(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if _, err := s.store.Cases.Update(r.Context(), a, caseFromForm(f, old)); err != nil {
		if f.fail(err) {
			return s.renderCaseForm(w, r, http.StatusUnprocessableEntity, f, old)
		}
		// Changed by someone else meanwhile: the form again, as it is now, saying so.
		if e := birge.AsError(err); e != nil && e.Kind == birge.KindConflict {
			if old, err = s.store.Cases.Get(r.Context(), a, old.ID); err != nil {
				return err
			}
			now := caseToForm(old)
			now.Error = e.Key
			return s.renderCaseForm(w, r, http.StatusConflict, now, old)
		}
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(old.ID, 10), "flash.saved")
}
