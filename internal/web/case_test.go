package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
)

// caseFixtures are two family cases: one in Aktobe with no worker yet, one in Kargaly
// whose psychologist is the Kargaly case worker.
func caseFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	for _, key := range []string{"kargaly-wife", "kargaly-husband"} {
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: fx.ids["center:kargaly"], GivenName: key})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["person:"+key] = p.ID
	}
	for key, k := range map[string]birge.Case{
		"aktobe": {CenterID: fx.ids["center:aktobe"], PartnerIDs: []int64{fx.ids["person:aktobe"], fx.ids["person:aktobe-spouse"]}},
		"kargaly": {CenterID: fx.ids["center:kargaly"], PartnerIDs: []int64{fx.ids["person:kargaly-wife"], fx.ids["person:kargaly-husband"]},
			PsychologistID: fx.ids["user:caseworker"]},
	} {
		k.IntakeDate, k.Reasons, k.CameFrom = "2026-11-02", []string{"communication"}, "self"
		k, err := s.st.Cases.Create(ctx, sys, k)
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["case:"+key] = k.ID
	}
	// Two more Kargaly cases of the case worker's, flagged as danger by a screening, for
	// lifting their flags (by the API and on the page) and reviewing them.
	answers := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		answers[q.Code] = q.Code == "strangling"
	}
	for _, key := range []string{"kargaly-flagged", "kargaly-flagged-page"} {
		k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: fx.ids["center:kargaly"], PartnerIDs: []int64{fx.ids["person:kargaly-wife"]},
			PsychologistID: fx.ids["user:caseworker"], IntakeDate: "2026-11-02", Reasons: []string{"violence"}, CameFrom: "police"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.st.Screenings.Create(ctx, sys, k.ID, birge.Screening{PersonID: fx.ids["person:kargaly-wife"], Alone: true,
			Answers: answers}); err != nil {
			t.Fatal(err)
		}
		fx.ids["case:"+key] = k.ID
	}
	sessionFixtures(t, s, fx)
}

// closingFixtures are Kargaly cases of the case worker's for closing and reopening, by
// the API and on the page: two open, two closed.
func closingFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	for _, key := range []string{"kargaly-to-close", "kargaly-to-close-page", "kargaly-closed", "kargaly-closed-page"} {
		k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: fx.ids["center:kargaly"], PartnerIDs: []int64{fx.ids["person:kargaly-wife"],
			fx.ids["person:kargaly-husband"]}, PsychologistID: fx.ids["user:caseworker"], IntakeDate: "2026-11-02",
			Reasons: []string{"communication"}, CameFrom: "self", DivorceFiled: true})
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(key, "kargaly-closed") {
			if _, err := s.st.Cases.CloseWithOutcome(ctx, sys, k.ID, birge.CaseClosing{Outcome: "stopped_coming", ClosedOn: "2026-12-01"}); err != nil {
				t.Fatal(err)
			}
		}
		fx.ids["case:"+key] = k.ID
	}
}

// screeningForm screens the Kargaly wife on the page: alone, every answer no.
func screeningForm(fx *fixture) any {
	v := url.Values{"person_id": {fx.id(fx.site.t, "person:kargaly-wife")}, "alone": {"on"}, "fear": {"2"}}
	for _, q := range birge.DefaultQuestions {
		v.Set("q_"+q.Code, "no")
	}
	return v
}

// screeningJSON screens the Kargaly wife: alone, every answer no but those given.
func screeningJSON(yes ...string) func(fx *fixture) any {
	return func(fx *fixture) any {
		answers := map[string]bool{}
		for _, q := range birge.DefaultQuestions {
			answers[q.Code] = slices.Contains(yes, q.Code)
		}
		b, _ := json.Marshal(map[string]any{"person_id": fx.ids["person:kargaly-wife"], "alone": true, "answers": answers, "fear": 3})
		return string(b)
	}
}

func caseForm(center, partner string) func(fx *fixture) any {
	return func(fx *fixture) any {
		return url.Values{"center_id": {fx.id(fx.site.t, "center:"+center)}, "partner_1": {fx.id(fx.site.t, "person:"+partner)},
			"intake_date": {"2026-11-03"}, "reason_finances": {"on"}, "came_from": {"court"}, "status": {"screening"}}
	}
}

func caseJSON(fx *fixture) any {
	return fmt.Sprintf(`{"center_id": %d, "partner_ids": [%d, %d], "intake_date": "2026-11-03", "reasons": ["finances"],
		"came_from": "court"}`, fx.ids["center:aktobe"], fx.ids["person:aktobe"], fx.ids["person:aktobe-spouse"])
}

// TestCaseIntakePage: the Aktobe coordinator (Russian) takes in a couple on the form; a
// wrong record number and a future day are refused beside their fields in Russian and
// nothing is saved; the case then shows on the list and its page, and the Kargaly case
// worker finds it nowhere.
func TestCaseIntakePage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ru := i18n.For("ru")
	ctx, sys := context.Background(), birge.System("t")
	aktobe := s.center("Aktobe family centre")
	var ids []string
	for _, name := range []string{"Динара", "Ержан"} {
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, GivenName: name, FamilyName: "Сапарова"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, strconv.FormatInt(p.ID, 10))
	}
	c := s.login("coordinator@birge.example")
	if res := s.get(c, "/cases/new"); res.StatusCode != 200 || !strings.Contains(res.Body, ru.T("case.register_partner_1")) {
		t.Fatalf("intake form: %d", res.StatusCode)
	}
	form := url.Values{"center_id": {strconv.FormatInt(aktobe.ID, 10)}, "partner_1": {ids[0]}, "partner_2": {"999999"},
		"intake_date": {"2027-03-01"}, "reason_communication": {"on"}, "came_from": {"court"},
		"divorce_filed": {"on"}, "divorce_court": {"Ақтөбе қалалық соты"}}
	res := s.postForm(c, "/cases", form, nil)
	if res.StatusCode != 422 || !strings.Contains(res.Body, ru.T("case.person_unknown")) ||
		!strings.Contains(res.Body, ru.T("person.date_future")) || !strings.Contains(res.Body, `id="e-partners"`) {
		t.Fatalf("a bad intake: %d\n%s", res.StatusCode, res.Body)
	}
	before, _ := s.st.Cases.List(ctx, sys, store.CaseFilter{})
	if res := s.postForm(c, "/cases", form, nil); res.StatusCode != 422 {
		t.Fatalf("a bad intake again: %d", res.StatusCode)
	}
	if after, _ := s.st.Cases.List(ctx, sys, store.CaseFilter{}); len(after) != len(before) {
		t.Fatalf("a refused intake saved %d cases", len(after)-len(before))
	}
	form.Set("partner_2", ids[1])
	form.Set("intake_date", "2026-11-20")
	res = s.postForm(c, "/cases", form, nil)
	if res.StatusCode != 303 {
		t.Fatalf("intake: %d\n%s", res.StatusCode, res.Body)
	}
	page := res.Header.Get("Location")
	res = s.get(c, page)
	for _, want := range []string{"Сапарова Динара", "Сапарова Ержан", ru.T("case.came_from.court"), "Ақтөбе қалалық соты",
		ru.T("case.status.intake")} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("the case's page lacks %q", want)
		}
	}
	if res := s.get(c, "/cases?status=intake"); !strings.Contains(res.Body, page) {
		t.Errorf("the list of cases at intake lacks %s", page)
	}
	if res := s.get(c, "/cases?status=active"); strings.Contains(res.Body, page) {
		t.Errorf("the list of active cases has %s", page)
	}
	// Her dossier holds the case, her timeline says it was opened.
	if res := s.get(c, "/people/"+ids[0]+"/dossier"); !strings.Contains(res.Body, `id="cases"`) ||
		!strings.Contains(res.Body, "Ақтөбе қалалық соты") {
		t.Errorf("her dossier lacks the case: %d", res.StatusCode)
	}
	worker := s.login("caseworker@birge.example")
	if res := s.get(worker, page); res.StatusCode != 404 {
		t.Errorf("the Kargaly case worker opens an Aktobe case: %d", res.StatusCode)
	}
	if res := s.get(worker, "/cases"); res.StatusCode != 200 || strings.Contains(res.Body, page) {
		t.Errorf("the Kargaly case worker's list: %d, has the Aktobe case: %v", res.StatusCode, strings.Contains(res.Body, page))
	}
}
