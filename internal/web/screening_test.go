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
)

var firstCase = regexp.MustCompile(`href="/cases/[0-9]+"`)

// TestScreeningPage: the Aktobe coordinator (Russian) screens a wife on the page; not
// alone is refused beside the field, saying why, and nothing is saved; alone, a threat to
// kill flags the case as a danger, which she then lifts with a reason shown on the page.
// The Kargaly case worker cannot open the form.
func TestScreeningPage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ru := i18n.For("ru")
	ctx, sys := context.Background(), birge.System("t")
	aktobe := s.center("Aktobe family centre")
	her, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, GivenName: "Динара", FamilyName: "Сапарова"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: aktobe.ID, PartnerIDs: []int64{her.ID}, IntakeDate: "2026-11-02",
		Reasons: []string{"violence"}, CameFrom: "self"})
	if err != nil {
		t.Fatal(err)
	}
	page := "/cases/" + strconv.FormatInt(k.ID, 10)
	c := s.login("coordinator@birge.example")
	res := s.get(c, page+"/screen?person_id="+strconv.FormatInt(her.ID, 10))
	if res.StatusCode != 200 || !strings.Contains(res.Body, birge.DefaultQuestions[0].TextRU) {
		t.Fatalf("the form: %d", res.StatusCode)
	}
	form := url.Values{"person_id": {strconv.FormatInt(her.ID, 10)}, "fear": {"8"}}
	for _, q := range birge.DefaultQuestions {
		form.Set("q_"+q.Code, "no")
	}
	form.Set("q_threats_to_kill", "yes")
	// A question left out is marked in its own fieldset, in her worker's language.
	form.Del("q_weapon")
	if res := s.postForm(c, page+"/screenings", form, nil); res.StatusCode != 422 || !strings.Contains(res.Body, `aria-invalid="true" aria-describedby="e-q_weapon"`) ||
		!strings.Contains(res.Body, `<p class="error" id="e-q_weapon">`+ru.T("screening.unanswered_one")+`</p>`) ||
		strings.Contains(res.Body, `id="e-q_insults"`) {
		t.Fatalf("a question left out: %d\n%s", res.StatusCode, res.Body)
	}
	form.Set("q_weapon", "no")
	if res := s.postForm(c, page+"/screenings", form, nil); res.StatusCode != 422 || !strings.Contains(res.Body, ru.T("screening.not_alone")) ||
		!strings.Contains(res.Body, `id="e-alone"`) {
		t.Fatalf("not alone: %d\n%s", res.StatusCode, res.Body)
	}
	if l, _ := s.st.Screenings.List(ctx, sys, k.ID); len(l) != 0 {
		t.Fatalf("a refused screening saved")
	}
	form.Set("alone", "on")
	if res := s.postForm(c, page+"/screenings", form, nil); res.StatusCode != 303 {
		t.Fatalf("screening: %d\n%s", res.StatusCode, res.Body)
	}
	if res := s.get(c, page); !strings.Contains(res.Body, ru.T("case.flagged")) || !strings.Contains(res.Body, ru.T("screening.result.danger")) {
		t.Errorf("the case's page does not show the flag")
	}
	// Until reviewed, the danger case is first on her list, marked.
	if res := s.get(c, "/cases"); !strings.Contains(res.Body, ru.T("case.needs_review")) ||
		firstCase.FindString(res.Body) != `href="`+page+`"` {
		t.Errorf("the danger case is not first on the list")
	}
	if res := s.postForm(c, page+"/reviewed", url.Values{}, nil); res.StatusCode != 303 {
		t.Fatalf("reviewed: %d", res.StatusCode)
	}
	if res := s.get(c, "/cases"); strings.Contains(res.Body, ru.T("case.needs_review")) {
		t.Errorf("a reviewed case is still marked")
	}
	if res := s.postForm(c, page+"/override", url.Values{"reason": {""}}, nil); res.StatusCode != 422 || !strings.Contains(res.Body, `id="e-reason"`) {
		t.Errorf("no reason: %d", res.StatusCode)
	}
	if res := s.postForm(c, page+"/override", url.Values{"reason": {"Он в СИЗО до суда"}}, nil); res.StatusCode != 303 {
		t.Fatalf("override: %d", res.StatusCode)
	}
	if res := s.get(c, page); strings.Contains(res.Body, ru.T("case.flagged")) || !strings.Contains(res.Body, "Он в СИЗО до суда") {
		t.Errorf("the case's page does not show the flag lifted")
	}
	if res := s.get(s.login("caseworker@birge.example"), page+"/screen"); res.StatusCode != 404 {
		t.Errorf("the Kargaly case worker opens the form: %d", res.StatusCode)
	}
}
