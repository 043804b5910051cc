package web

import (
	"context"
	"net/url"
	"testing"

	"github.com/birge-org/birge/internal/birge"
)

// referralFixtures adds what the safety plan, referral and directory lines need: the
// Kargaly wife's consent to referral, a crisis centre in FPC's directory, her safety plan
// on a flagged case, and two referrals the Kargaly case worker sent from it to Aktobe.
func referralFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	wife := fx.ids["person:kargaly-wife"]
	if _, err := s.st.People.AddConsent(ctx, sys, wife, birge.Consent{Purpose: "referral", Channel: "paper",
		GivenOn: "2026-11-02"}); err != nil {
		t.Fatal(err)
	}
	sv, err := s.st.Services.Create(ctx, sys, birge.Service{OrgID: fx.ids["org:fpc"], Name: "Ақтөбе дағдарыс орталығы",
		Kind: "crisis_center", Phone: "8 701 123 45 67"})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["service:fpc"] = sv.ID
	if _, err := s.st.SafetyPlans.Save(ctx, sys, birge.SafetyPlan{CaseID: fx.ids["case:kargaly-flagged"], PersonID: wife,
		SafePlace: "Әпкесінің үйі", CodeWord: "алма"}); err != nil {
		t.Fatal(err)
	}
	_, secret := s.token("caseworker@birge.example", "referrals")
	worker, err := s.st.ActorByToken(ctx, secret, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"web", "api"} {
		r, err := s.st.Referrals.Create(ctx, worker, birge.Referral{PersonID: wife, CaseID: fx.ids["case:kargaly-flagged"],
			ToCenterID: fx.ids["center:aktobe"], Contact: "+77011234567", Note: "Кеңес керек", ChosenByHer: true,
			FollowUpOn: "2026-12-01"})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["referral:"+key] = r.ID
	}
}

// serviceForm is a service of the directory on its form.
func serviceForm(*fixture) any {
	return url.Values{"name": {"Заң көмегі орталығы"}, "kind": {"legal_aid"}, "phone": {"8 701 765 43 21"},
		"address": {"Ақтөбе, Абай даңғылы, 2"}}
}
