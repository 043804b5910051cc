package web

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
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
			FollowUpOn: "2027-01-20"})
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

// flaggedAktobeCase is an Aktobe family whose wife was screened severe.
func flaggedAktobeCase(t *testing.T, s *site) (birge.Case, birge.Person) {
	ctx, sys := context.Background(), birge.System("t")
	aktobe := s.center("Aktobe family centre").ID
	her, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: aktobe, GivenName: "Динара", FamilyName: "Сапарова", Sex: "female"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: aktobe, PartnerIDs: []int64{her.ID}, IntakeDate: "2026-11-02",
		Reasons: []string{"violence"}, CameFrom: "self"})
	if err != nil {
		t.Fatal(err)
	}
	yes := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		yes[q.Code] = q.Code == "beating"
	}
	if _, err := s.st.Screenings.Create(ctx, sys, k.ID, birge.Screening{PersonID: her.ID, Alone: true, Answers: yes}); err != nil {
		t.Fatal(err)
	}
	return k, her
}

// TestSafetyPlanAndReferralPages: on a flagged case the Aktobe coordinator (Russian) is
// led to the safety plan and to referrals; she writes the plan (its opening in the
// woman's access log); a referral to another Birge centre without her consent is refused
// beside the field, saying why, and nothing is sent; one to a crisis centre of the
// directory is sent and shown on the case. The Kargaly case worker refers her own client
// to Aktobe (with consent): the coordinator sees the name and the note on her list, not
// the case.
func TestSafetyPlanAndReferralPages(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ru := i18n.For("ru")
	ctx, sys := context.Background(), birge.System("t")
	k, her := flaggedAktobeCase(t, s)
	page := "/cases/" + strconv.FormatInt(k.ID, 10)
	herID := strconv.FormatInt(her.ID, 10)
	c := s.login("coordinator@birge.example")
	res := s.get(c, page)
	if !strings.Contains(res.Body, ru.T("safety_plan.heading")) || !strings.Contains(res.Body, page+"/safety-plan?person_id="+herID) ||
		!strings.Contains(res.Body, "/referrals/new?case_id=") {
		t.Fatalf("the flagged case does not lead to the plan and referrals:\n%s", res.Body)
	}
	if res := s.get(c, page+"/safety-plan?person_id="+herID); res.StatusCode != 200 || !strings.Contains(res.Body, ru.T("safety_plan.code_word")) {
		t.Fatalf("the plan's form: %d", res.StatusCode)
	}
	if res := s.postForm(c, page+"/safety-plan", url.Values{"person_id": {herID}, "code_word": {"двух\nстрочное"}}, nil); res.StatusCode != 422 ||
		!strings.Contains(res.Body, `id="e-code_word"`) {
		t.Errorf("a code word on two lines: %d", res.StatusCode)
	}
	if res := s.postForm(c, page+"/safety-plan", url.Values{"person_id": {herID}, "safe_place": {"У сестры в Каргалы"},
		"code_word": {"ромашка"}}, nil); res.StatusCode != 303 {
		t.Fatalf("the plan: %d\n%s", res.StatusCode, res.Body)
	}
	if res := s.get(c, page+"/safety-plan?person_id="+herID); !strings.Contains(res.Body, "ромашка") {
		t.Errorf("the plan is not shown again")
	}
	log, err := s.st.People.ListAccess(ctx, sys, her.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range log {
		if e.Action == "safety_plan_view" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d plan openings in her access log, want 1 (the first form had no plan to open)", n)
	}

	// A Birge centre without her consent: refused beside the field, saying why.
	kargaly := strconv.FormatInt(s.center("Kargaly district office").ID, 10)
	form := url.Values{"case_id": {strconv.FormatInt(k.ID, 10)}, "person_id": {herID}, "to_center_id": {kargaly},
		"note": {"Нужна консультация юриста"}}
	res = s.postForm(c, "/referrals", form, nil)
	if res.StatusCode != 422 || !strings.Contains(res.Body, `id="e-to_center_id"`) || !strings.Contains(res.Body, ru.T("referral.no_consent")) {
		t.Fatalf("without consent: %d\n%s", res.StatusCode, res.Body)
	}
	if l, _ := s.st.Referrals.List(ctx, sys, store.ReferralFilter{}); len(l) != 0 {
		t.Errorf("a refused referral sent")
	}
	sv, err := s.st.Services.Create(ctx, sys, birge.Service{OrgID: k.OrgID, Name: "Кризисный центр «Шанс»", Kind: "crisis_center"})
	if err != nil {
		t.Fatal(err)
	}
	form.Del("to_center_id")
	form.Set("service_id", strconv.FormatInt(sv.ID, 10))
	form.Set("chosen_by_her", "on")
	if res := s.postForm(c, "/referrals", form, nil); res.StatusCode != 303 {
		t.Fatalf("to the crisis centre: %d\n%s", res.StatusCode, res.Body)
	}
	if res := s.get(c, page); !strings.Contains(res.Body, "Кризисный центр «Шанс»") || !strings.Contains(res.Body, ru.T("referral.her_choice")) {
		t.Errorf("the case does not show the referral")
	}
	// A new referral is never followed up on a day already past: refused beside its field.
	form.Set("follow_up_on", "2026-12-15")
	form.Set("note", "Позвонить в центр «Шанс»")
	if res := s.postForm(c, "/referrals", form, nil); res.StatusCode != 422 || !strings.Contains(res.Body, `id="e-follow_up_on"`) ||
		!strings.Contains(res.Body, ru.T("referral.follow_up_past")) {
		t.Fatalf("a past follow-up day: %d\n%s", res.StatusCode, res.Body)
	}
	// The overdue list: a follow-up day passed (moved back by an edit, which may keep a
	// past day), still open; the one without a day is not on it.
	form.Set("follow_up_on", "2027-01-10")
	if res := s.postForm(c, "/referrals", form, nil); res.StatusCode != 303 {
		t.Fatalf("with a follow-up day: %d\n%s", res.StatusCode, res.Body)
	}
	sent, err := s.st.Referrals.List(ctx, sys, store.ReferralFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range sent {
		if x.FollowUpOn == "2027-01-10" {
			x.FollowUpOn = "2026-12-15"
			if _, err := s.st.Referrals.Update(ctx, sys, x); err != nil {
				t.Fatal(err)
			}
		}
	}
	if res := s.get(c, "/referrals?overdue=1"); !strings.Contains(res.Body, "Позвонить в центр «Шанс»") ||
		!strings.Contains(res.Body, ru.T("referral.overdue")) || strings.Contains(res.Body, "Нужна консультация юриста") {
		t.Errorf("the overdue list:\n%s", res.Body)
	}
	// She called; the next follow-up is in January: a day that is not one is refused by
	// its field, then it leaves the overdue list.
	edit := regexp.MustCompile(`/referrals/[0-9]+/edit`).FindString(s.get(c, "/referrals?overdue=1").Body)
	if res := s.get(c, edit); res.StatusCode != 200 || !strings.Contains(res.Body, "Позвонить в центр «Шанс»") {
		t.Fatalf("the edit form %q: %d", edit, res.StatusCode)
	}
	ref := strings.TrimSuffix(edit, "/edit")
	if res := s.postForm(c, ref, url.Values{"follow_up_on": {"15.01.2027"}, "note": {"Позвонила"}}, nil); res.StatusCode != 422 ||
		!strings.Contains(res.Body, `id="e-follow_up_on"`) {
		t.Errorf("a day that is not one: %d", res.StatusCode)
	}
	if res := s.postForm(c, ref, url.Values{"follow_up_on": {"2027-01-15"}, "note": {"Позвонила"}}, nil); res.StatusCode != 303 {
		t.Fatalf("the next follow-up: %d\n%s", res.StatusCode, res.Body)
	}
	if res := s.get(c, "/referrals?overdue=1"); strings.Contains(res.Body, "Позвонила") {
		t.Errorf("a referral followed up is still overdue")
	}

	// Her dossier holds the referral, never the plan.
	if res := s.get(c, "/people/"+herID+"/dossier"); res.StatusCode != 200 || !strings.Contains(res.Body, "Кризисный центр «Шанс»") ||
		strings.Contains(res.Body, "ромашка") || strings.Contains(res.Body, "У сестры в Каргалы") {
		t.Errorf("her dossier: %d, with the referral and without the plan?", res.StatusCode)
	}
	// Her record offers a referral.
	if res := s.get(c, "/people/"+herID); !strings.Contains(res.Body, "/referrals/new?person_id="+herID) {
		t.Errorf("her record does not offer a referral")
	}

	// Received: only what the referral carries.
	wife, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: s.center("Kargaly district office").ID, GivenName: "Жанар",
		FamilyName: "Омарова", Consents: []birge.Consent{{Purpose: "referral", Channel: "paper", GivenOn: "2026-11-02"}}})
	if err != nil {
		t.Fatal(err)
	}
	kk, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: wife.CenterID, PartnerIDs: []int64{wife.ID}, IntakeDate: "2026-11-02",
		Reasons: []string{"violence"}, CameFrom: "police", PsychologistID: s.userID("caseworker@birge.example"),
		DivorceCourt: "", DivorceFiled: false})
	if err != nil {
		t.Fatal(err)
	}
	w := s.login("caseworker@birge.example")
	if res := s.postForm(w, "/referrals", url.Values{"case_id": {strconv.FormatInt(kk.ID, 10)}, "person_id": {strconv.FormatInt(wife.ID, 10)},
		"to_center_id": {strconv.FormatInt(s.center("Aktobe family centre").ID, 10)}, "note": {"Просит приём в Актобе"},
		"contact": {"+77011234567"}}, nil); res.StatusCode != 303 {
		t.Fatalf("Kargaly → Aktobe: %d\n%s", res.StatusCode, res.Body)
	}
	res = s.get(c, "/referrals")
	if !strings.Contains(res.Body, "Омарова Жанар") || !strings.Contains(res.Body, "Просит приём в Актобе") ||
		strings.Contains(res.Body, "/cases/"+strconv.FormatInt(kk.ID, 10)) || !strings.Contains(res.Body, ru.T("referral.move.accepted")) {
		t.Errorf("the received referral:\n%s", res.Body)
	}
	if res := s.get(c, "/cases/"+strconv.FormatInt(kk.ID, 10)); res.StatusCode != 404 {
		t.Errorf("the receiving coordinator opens the case: %d", res.StatusCode)
	}
}
