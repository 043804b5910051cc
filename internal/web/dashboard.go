package web

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// maxDashboardFigures is how many centres' figures the dashboard links by name.
const maxDashboardFigures = 6

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
	// The family-case work starts here too: tomorrow's call list for the coordinator, the
	// week's calendar for whoever sees cases, and each centre's figures for those who may
	// read them (a few centres by name; beyond that the centres' pages carry the link).
	d["Tomorrow"] = !a.ScopeOf(birge.PermCaseManage).Empty()
	d["Calendar"] = !a.ScopeOf(birge.PermCaseView).Empty()
	var figures []birge.Center
	if !a.ScopeOf(birge.PermCaseFigures).Empty() && !a.ScopeOf(birge.PermCenterView).Empty() {
		centers, err := s.store.ListCenters(r.Context(), a, store.CenterFilter{})
		if err != nil {
			return err
		}
		for _, c := range centers {
			if a.Can(birge.PermCaseFigures, c.OrgID, c.ID) {
				figures = append(figures, c)
			}
		}
		if len(figures) > maxDashboardFigures {
			figures = nil
		}
		info := request.From(r.Context())
		i18n.Sort(info.P, figures, func(c birge.Center) string { return c.Names.In(info.Lang) })
	}
	d["Figures"] = figures
	return s.render(w, r, http.StatusOK, "dashboard/dashboard", nil, d)
}
