package web

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
)

// dashboard is the staff home: the user's roles and, for those who may see them, how many
// centres and users are in their care. Module figures join it as modules arrive.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	roles, err := s.grantLabels(r, a.Grants)
	if err != nil {
		return err
	}
	d := map[string]any{"Roles": roles, "Centers": -1, "Users": -1, "Requests": -1}
	if !a.ScopeOf(birge.PermCenterView).Empty() {
		n, err := s.store.CountCenters(r.Context(), a)
		if err != nil {
			return err
		}
		d["Centers"] = n
	}
	if !a.ScopeOf(birge.PermUserView).Empty() {
		n, err := s.store.CountVisibleUsers(r.Context(), a)
		if err != nil {
			return err
		}
		d["Users"] = n
	}
	if !a.ScopeOf(birge.PermCaseManage).Empty() {
		// Requests from the public site wait for the coordinator: she sees how many first.
		n, err := s.store.CaseRequests.CountNew(r.Context(), a)
		if err != nil {
			return err
		}
		d["Requests"] = n
	}
	return s.render(w, r, http.StatusOK, "dashboard/dashboard", nil, d)
}
