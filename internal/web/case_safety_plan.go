package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// safetyPlanShow is her safety plan on a flagged case, as a form to write it: to the
// case's assigned workers and the centre's supervisors, and each opening is in her
// access log.
func (s *Server) safetyPlanShow(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	k, err := s.store.Cases.Get(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	person, _ := strconv.ParseInt(r.URL.Query().Get("person_id"), 10, 64)
	if person == 0 && len(k.PartnerIDs) > 0 {
		person = k.PartnerIDs[0]
	}
	f := newForm()
	f.Values["person_id"] = strconv.FormatInt(person, 10)
	if k.Risk == birge.RiskNone {
		return &birge.Error{Kind: birge.KindConflict, Key: "safety_plan.not_flagged"}
	}
	p, err := s.store.SafetyPlans.Get(r.Context(), info.Actor, k.ID, person)
	switch {
	case errors.Is(err, birge.ErrNotFound): // none written yet: an empty form
	case err != nil:
		return err
	default:
		for name, v := range map[string]string{"safe_contacts": p.SafeContacts, "safe_place": p.SafePlace,
			"code_word": p.CodeWord, "documents_money": p.DocumentsMoney, "children_safety": p.ChildrenSafety} {
			f.Values[name] = v
		}
		f.Values["version"] = p.UpdatedAt.Format(time.RFC3339Nano)
	}
	return s.renderSafetyPlan(w, r, http.StatusOK, f, k)
}

// safetyPlanSave writes her plan and goes back to the case.
func (s *Server) safetyPlanSave(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	k, err := s.store.Cases.Get(r.Context(), info.Actor, pathInt(r, "id"))
	if err != nil {
		return err
	}
	p := birge.SafetyPlan{CaseID: k.ID, PersonID: f.int64("person_id"), SafeContacts: f.get("safe_contacts"),
		SafePlace: f.get("safe_place"), CodeWord: f.get("code_word"), DocumentsMoney: f.get("documents_money"),
		ChildrenSafety: f.get("children_safety")}
	p.UpdatedAt, _ = time.Parse(time.RFC3339Nano, f.get("version"))
	if _, err := s.store.SafetyPlans.Save(r.Context(), info.Actor, p); err != nil {
		if f.fail(err) {
			return s.renderSafetyPlan(w, r, http.StatusUnprocessableEntity, f, k)
		}
		return err
	}
	return redirect(w, r, "/cases/"+strconv.FormatInt(k.ID, 10), "flash.saved")
}

// renderSafetyPlan draws the plan's form for one partner of the case.
func (s *Server) renderSafetyPlan(w http.ResponseWriter, r *http.Request, status int, f *form, k birge.Case) error {
	rows, err := s.caseRows(r, []birge.Case{k}, nil)
	if err != nil {
		return err
	}
	var name string
	for _, p := range rows[0].Partners {
		if p.Value == f.get("person_id") {
			name = p.Label
		}
	}
	return s.render(w, r, status, "case/safety_plan", f, map[string]any{"Case": rows[0], "Name": name})
}

// caseSafety is what a case's page shows of its safety plans and referrals: which
// partners have a plan (read without opening one) and the referrals made from it.
type caseSafety struct {
	Plans     map[string]bool // by record number, as the page's partners are
	Referrals []referralRow
}

func (s *Server) caseSafety(r *http.Request, k birge.Case) (caseSafety, error) {
	a := request.From(r.Context()).Actor
	var out caseSafety
	written, err := s.store.SafetyPlans.Written(r.Context(), a, k.ID)
	if err != nil {
		return out, err
	}
	out.Plans = map[string]bool{}
	for id := range written {
		out.Plans[strconv.FormatInt(id, 10)] = true
	}
	list, err := s.store.Referrals.List(r.Context(), a, store.ReferralFilter{CaseID: k.ID})
	if err != nil {
		return out, err
	}
	out.Referrals, err = s.referralRows(r, list)
	return out, err
}
