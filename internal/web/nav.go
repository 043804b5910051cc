package web

import (
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// navItem is one entry of the staff navigation.
type navItem struct {
	Href, Label string
	Current     bool
}

// navFor lists what the actor may open: a link to a page they cannot use is noise, and
// the store refuses it anyway.
func navFor(a *birge.Actor, path string) []navItem {
	items := []navItem{{Href: "/dashboard", Label: "nav.dashboard"}}
	if a.InstallationAdmin() || !a.ScopeOf(birge.PermOrgManage).Empty() {
		items = append(items, navItem{Href: "/organizations", Label: "nav.organizations"})
	}
	if !a.ScopeOf(birge.PermPersonView).Empty() {
		items = append(items, navItem{Href: "/people", Label: "nav.people"})
	}
	if !a.ScopeOf(birge.PermProgramView).Empty() {
		items = append(items, navItem{Href: "/programs", Label: "nav.programs"})
	}
	if !a.ScopeOf(birge.PermCaseView).Empty() {
		items = append(items, navItem{Href: "/cases", Label: "nav.cases"}, navItem{Href: "/calendar", Label: "nav.calendar"},
			navItem{Href: "/referrals", Label: "nav.referrals"})
	}
	if !a.ScopeOf(birge.PermCallView).Empty() {
		items = append(items, navItem{Href: "/calls", Label: "nav.calls"})
	} else if !a.ScopeOf(birge.PermCallFigures).Empty() {
		// Analysts see the figures of calls, never a call's applicants.
		items = append(items, navItem{Href: "/calls/figures", Label: "nav.call_figures"})
	}
	if !a.ScopeOf(birge.PermCallManage).Empty() {
		items = append(items, navItem{Href: "/awards/follow-ups", Label: "nav.follow_ups"})
	}
	if !a.ScopeOf(birge.PermCallFigures).Empty() {
		items = append(items, navItem{Href: "/fairness", Label: "fairness.title"})
	}
	if !a.ScopeOf(birge.PermApplicationReview).Empty() {
		items = append(items, navItem{Href: "/reviews", Label: "nav.reviews"})
	}
	if !a.ScopeOf(birge.PermTrainingView).Empty() {
		items = append(items, navItem{Href: "/cohorts", Label: "nav.trainings"}, navItem{Href: "/followups", Label: "nav.followups"})
	}
	if !a.ScopeOf(birge.PermTrainingFigures).Empty() {
		items = append(items, navItem{Href: "/trainings/figures", Label: "nav.training_figures"})
	}
	if !a.ScopeOf(birge.PermTrainingAttend).Empty() {
		items = append(items, navItem{Href: "/training-sessions/today", Label: "nav.today"})
	}
	if !a.ScopeOf(birge.PermFundingView).Empty() {
		items = append(items, navItem{Href: "/funding", Label: "nav.funding"})
	}
	if !a.ScopeOf(birge.PermCenterView).Empty() {
		items = append(items, navItem{Href: "/centers", Label: "nav.centers"})
	}
	if !a.ScopeOf(birge.PermUserView).Empty() {
		items = append(items, navItem{Href: "/users", Label: "nav.users"})
	}
	if !a.ScopeOf(birge.PermAuditView).Empty() {
		items = append(items, navItem{Href: "/audit", Label: "nav.audit"})
	}
	items = append(items, navItem{Href: "/account", Label: "nav.account"})
	for i := range items {
		items[i].Current = path == items[i].Href || strings.HasPrefix(path, items[i].Href+"/")
	}
	return items
}
