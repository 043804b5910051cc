package api

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
)

// CloseCase closes a case with its outcome: outcome, closed_on, satisfaction and, for an
// agreed separation, the agreement.
func (a *API) CloseCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var b struct {
		Outcome      string `json:"outcome"`
		ClosedOn     string `json:"closed_on"`
		Satisfaction *int   `json:"satisfaction"`
		Agreement    string `json:"agreement"`
	}
	if err := decode(w, r, &b); err != nil {
		return err
	}
	k, err := a.store.Cases.CloseWithOutcome(r.Context(), actor(r), id, birge.CaseClosing{Outcome: b.Outcome, ClosedOn: b.ClosedOn,
		Satisfaction: b.Satisfaction, Agreement: b.Agreement})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, k)
}

// ReopenCase takes a closed case back into work, with a reason.
func (a *API) ReopenCase(w http.ResponseWriter, r *http.Request) error {
	return caseWithReason(w, r, a.store.Cases.Reopen)
}
