package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// TestCaseFiguresPage is the test through the API and the centre's page, in
// Kazakh: 164 families taken in over four months, 83 of whom withdrew their divorce
// application, reads 164 and 50,6 %; when 10 of the 83 had been screened above none (the
// cases reopened, screened and closed again), 44,5 %. The Kargaly case worker is refused.
func TestCaseFiguresPage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx, sys := context.Background(), birge.System("t")
	aktobe := s.center("Aktobe family centre")
	her, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, GivenName: "Динара", FamilyName: "Сапарова"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	var ids []int64
	for i := range 164 {
		k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: aktobe.ID, PartnerIDs: []int64{her.ID},
			IntakeDate: start.AddDate(0, 0, i*120/164).Format(time.DateOnly), Reasons: []string{"finances"}, CameFrom: "court", DivorceFiled: true})
		if err != nil {
			t.Fatal(err)
		}
		if i < 83 {
			if _, err := s.st.Cases.CloseWithOutcome(ctx, sys, k.ID, birge.CaseClosing{Outcome: birge.CaseReconciledWithdrawn, ClosedOn: "2026-12-01"}); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, k.ID)
	}
	kk := i18n.For("kk")
	admin := s.login("admin@birge.example") // speaks Kazakh
	_, tok := s.token("admin@birge.example", "figures")
	page := "/centers/" + strconv.FormatInt(aktobe.ID, 10) + "/families?from=2026-05-01&to=2026-08-31"
	api := "/api/v1/cases/figures?center_id=" + strconv.FormatInt(aktobe.ID, 10) + "&from=2026-05-01&to=2026-08-31"
	check := func(withdrawn int, share, shown string) {
		t.Helper()
		var f birge.CaseFigures
		res := s.api(tok, http.MethodGet, api, nil)
		if decodeJSON(t, res, &f); res.StatusCode != 200 || f.Families != 164 || f.Withdrawn != withdrawn ||
			strconv.FormatFloat(f.WithdrawnShare, 'f', 1, 64) != share {
			t.Errorf("API figures: %d %s", res.StatusCode, res.Body)
		}
		res = s.get(admin, page)
		if res.StatusCode != 200 || !strings.Contains(res.Body, `<dd id="families">164</dd>`) ||
			!strings.Contains(res.Body, `<dd id="withdrawn-share">`+shown+` %</dd>`) || !strings.Contains(res.Body, kk.T("case.withdrawn_share")) {
			t.Errorf("the centre's page does not say 164 and %s %%: %d\n%s", shown, res.StatusCode, res.Body)
		}
	}
	check(83, "50.6", "50,6")
	answers := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		answers[q.Code] = q.Code == "insults"
	}
	for _, id := range ids[:10] {
		if _, err := s.st.Cases.Reopen(ctx, sys, id, "Пришли снова"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.st.Screenings.Create(ctx, sys, id, birge.Screening{PersonID: her.ID, Alone: true, Answers: answers}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.st.Cases.CloseWithOutcome(ctx, sys, id, birge.CaseClosing{Outcome: birge.CaseReconciledWithdrawn, ClosedOn: "2026-12-02"}); err != nil {
			t.Fatal(err)
		}
	}
	check(73, "44.5", "44,5")

	// A period that ends before it starts is said beside its field; no centre is a 422.
	if res := s.get(admin, "/centers/"+strconv.FormatInt(aktobe.ID, 10)+"/families?from=2026-09-01&to=2026-05-01"); res.StatusCode != 422 ||
		!strings.Contains(res.Body, kk.T("case.period_order")) || !strings.Contains(res.Body, `id="e-to"`) {
		t.Errorf("a period backwards: %d", res.StatusCode)
	}
	if res := s.api(tok, http.MethodGet, "/api/v1/cases/figures", nil); res.StatusCode != 422 {
		t.Errorf("figures of no centre: %d", res.StatusCode)
	}
	// The centre's page leads to its figures for those who may see them.
	if res := s.get(admin, "/centers/"+strconv.FormatInt(aktobe.ID, 10)); !strings.Contains(res.Body, "/families") {
		t.Errorf("the centre's page has no link to its figures")
	}
	worker := s.login("caseworker@birge.example")
	if res := s.get(worker, page); res.StatusCode != 404 {
		t.Errorf("Aktobe's figures to the Kargaly case worker: %d", res.StatusCode)
	}
}
