package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/birge-org/birge/internal/birge"
)

// safetyPlanPerson reads the case and the partner (person_id) a safety plan is asked for.
func safetyPlanPerson(r *http.Request) (caseID, personID int64, err error) {
	if caseID, err = pathID(r, "id"); err != nil {
		return 0, 0, err
	}
	personID, perr := strconv.ParseInt(r.URL.Query().Get("person_id"), 10, 64)
	if perr != nil || personID <= 0 {
		return 0, 0, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"person_id": "field.required"}}
	}
	return caseID, personID, nil
}

// GetSafetyPlan returns her safety plan on a case, to its assigned workers and the
// centre's supervisors only; each read is in her access log.
func (a *API) GetSafetyPlan(w http.ResponseWriter, r *http.Request) error {
	caseID, personID, err := safetyPlanPerson(r)
	if err != nil {
		return err
	}
	p, err := a.store.SafetyPlans.Get(r.Context(), actor(r), caseID, personID)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p, p.UpdatedAt)
}

// safetyPlanBody is what a safety plan is given; the rest the store sets.
type safetyPlanBody struct {
	SafeContacts   string `json:"safe_contacts"`
	SafePlace      string `json:"safe_place"`
	CodeWord       string `json:"code_word"`
	DocumentsMoney string `json:"documents_money"`
	ChildrenSafety string `json:"children_safety"`
}

// PutSafetyPlan writes her safety plan on a flagged case whole, new or over the one
// there; If-Match, when given, must name the plan's current version.
func (a *API) PutSafetyPlan(w http.ResponseWriter, r *http.Request) error {
	caseID, personID, err := safetyPlanPerson(r)
	if err != nil {
		return err
	}
	var b safetyPlanBody
	if err := decode(w, r, &b); err != nil {
		return err
	}
	p := birge.SafetyPlan{CaseID: caseID, PersonID: personID, SafeContacts: b.SafeContacts, SafePlace: b.SafePlace,
		CodeWord: b.CodeWord, DocumentsMoney: b.DocumentsMoney, ChildrenSafety: b.ChildrenSafety}
	if m := r.Header.Get("If-Match"); m != "" && m != "*" {
		v, err := a.store.SafetyPlans.Version(r.Context(), actor(r), caseID, personID)
		if errors.Is(err, birge.ErrNotFound) {
			return errChangedMeanwhile // a version of a plan that is not there
		}
		if err != nil {
			return err
		}
		if etag(v) != m {
			return errChangedMeanwhile
		}
		p.UpdatedAt = v
	}
	p, err = a.store.SafetyPlans.Save(r.Context(), actor(r), p)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, p, p.UpdatedAt)
}
