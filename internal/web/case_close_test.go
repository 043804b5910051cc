package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestCaseClosePage: the Aktobe coordinator (Russian) closes a case on its page; each
// mistake is said beside its field and nothing is saved; closed, the page shows the
// outcome, the agreement and the form to reopen, not the edit; reopening needs a reason.
// The Kargaly case worker cannot close it.
func TestCaseClosePage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ru := i18n.For("ru")
	ctx, sys := context.Background(), birge.System("t")
	aktobe := s.center("Aktobe family centre")
	var partners []int64
	for _, name := range []string{"Динара", "Ержан"} {
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: aktobe.ID, GivenName: name, FamilyName: "Сапарова"})
		if err != nil {
			t.Fatal(err)
		}
		partners = append(partners, p.ID)
	}
	k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: aktobe.ID, PartnerIDs: partners, IntakeDate: "2026-10-01",
		Reasons: []string{"finances"}, CameFrom: "court", DivorceFiled: true, Status: birge.CaseActive})
	if err != nil {
		t.Fatal(err)
	}
	path := "/cases/" + strconv.FormatInt(k.ID, 10)
	c := s.login("coordinator@birge.example")
	if res := s.get(c, path); !strings.Contains(res.Body, `action="`+path+`/close"`) || !strings.Contains(res.Body, ru.T("case.outcome.reconciled_withdrawn")) {
		t.Fatalf("the case's page has no closing form: %d", res.StatusCode)
	}
	res := s.postForm(c, path+"/close", url.Values{"outcome": {"divorced"}, "closed_on": {"2027-05-01"}, "satisfaction": {"7"}}, nil)
	for _, want := range []string{`id="e-outcome"`, `id="e-closed_on"`, `id="e-satisfaction"`, ru.T("person.date_future"), ru.T("case.satisfaction_range")} {
		if res.StatusCode != 422 || !strings.Contains(res.Body, want) {
			t.Errorf("a bad closing: %d, lacks %q", res.StatusCode, want)
		}
	}
	res = s.postForm(c, path+"/close", url.Values{"outcome": {"agreed_separation"}, "closed_on": {"2026-12-15"}}, nil)
	if res.StatusCode != 422 || !strings.Contains(res.Body, `id="e-agreement"`) {
		t.Errorf("an agreed separation without its agreement: %d", res.StatusCode)
	}
	if got, _ := s.st.Cases.Get(ctx, sys, k.ID); got.Status != birge.CaseActive {
		t.Fatalf("a refused closing saved: %s", got.Status)
	}
	worker := s.login("caseworker@birge.example")
	if res := s.postForm(worker, path+"/close", url.Values{"outcome": {"reconciled"}, "closed_on": {"2026-12-15"}}, nil); res.StatusCode != 404 {
		t.Errorf("closing by the Kargaly case worker: %d", res.StatusCode)
	}
	agreement := "Дочь живёт с матерью, отец видится по субботам; квартира остаётся матери"
	res = s.postForm(c, path+"/close", url.Values{"outcome": {"agreed_separation"}, "closed_on": {"2026-12-15"},
		"satisfaction": {"4"}, "agreement": {agreement}}, nil)
	if res.StatusCode != 303 {
		t.Fatalf("closing: %d\n%s", res.StatusCode, res.Body)
	}
	res = s.get(c, path)
	for _, want := range []string{ru.T("case.outcome.agreed_separation"), agreement, ru.T("case.satisfaction.4"), `action="` + path + `/reopen"`} {
		if !strings.Contains(html.UnescapeString(res.Body), want) {
			t.Errorf("the closed case's page lacks %q", want)
		}
	}
	if strings.Contains(res.Body, path+"/edit") || strings.Contains(res.Body, `action="`+path+`/close"`) {
		t.Errorf("a closed case offers to edit or close it")
	}
	if res := s.postForm(c, path+"/reopen", url.Values{"reopen_reason": {""}}, nil); res.StatusCode != 422 || !strings.Contains(res.Body, `id="e-reopen_reason"`) {
		t.Errorf("reopening without a reason: %d", res.StatusCode)
	}
	if res := s.postForm(c, path+"/reopen", url.Values{"reopen_reason": {"Они вернулись: отец не приходит по субботам"}}, nil); res.StatusCode != 303 {
		t.Fatalf("reopening: %d", res.StatusCode)
	}
	res = s.get(c, path)
	if !strings.Contains(html.UnescapeString(res.Body), "Они вернулись") || !strings.Contains(res.Body, `action="`+path+`/close"`) {
		t.Errorf("the reopened case's page lacks its reason or its closing form")
	}
}

// TestCaseCloseAPI: POST /cases/{id}/close and /reopen: each mistake a problem naming its
// field, nothing saved; the outcome recorded for both partners with the closing, withdrawn
// on reopening; a closed case refuses a PATCH; who may not is refused (404, or 403 to the
// assigned case worker); the Big List of Naughty Strings through the agreement and the
// reason, each stored as sent (read back from the history) or refused on its field.
func TestCaseCloseAPI(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		ctx, sys := context.Background(), birge.System("t")
		_, tok := s.token("coordinator@birge.example", "closing")
		_, worker := s.token("caseworker@birge.example", "closing")
		aktobe, kargaly := s.center("Aktobe family centre").ID, s.center("Kargaly district office").ID
		her, err := st.People.Create(ctx, sys, birge.Person{CenterID: aktobe, GivenName: "Динара"})
		if err != nil {
			t.Fatal(err)
		}
		him, err := st.People.Create(ctx, sys, birge.Person{CenterID: aktobe, GivenName: "Ержан"})
		if err != nil {
			t.Fatal(err)
		}
		k, err := st.Cases.Create(ctx, sys, birge.Case{CenterID: aktobe, PartnerIDs: []int64{her.ID, him.ID}, IntakeDate: "2026-10-01",
			Reasons: []string{"finances"}, CameFrom: "court", DivorceFiled: true})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/cases/" + strconv.FormatInt(k.ID, 10)
		outcomes := func() int {
			var n int
			if err := st.DB().QueryRow(`SELECT COUNT(*) FROM outcomes WHERE source = 'case' AND source_id = ` + strconv.FormatInt(k.ID, 10)).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for field, body := range map[string]map[string]any{
			"outcome":      {"outcome": "divorced", "closed_on": "2026-12-01"},
			"closed_on":    {"outcome": "reconciled", "closed_on": "2027-02-01"},
			"satisfaction": {"outcome": "reconciled", "closed_on": "2026-12-01", "satisfaction": 0},
			"agreement":    {"outcome": "reconciled", "closed_on": "2026-12-01", "agreement": "Квартира — матери"},
		} {
			res := s.api(tok, http.MethodPost, path+"/close", body)
			var p problem
			if decodeJSON(t, res, &p); res.StatusCode != 422 || p.Errors[field] == "" || len(p.Errors) != 1 {
				t.Errorf("%s: %d %s, want 422 on it alone", field, res.StatusCode, res.Body)
			}
		}
		if res := s.api(worker, http.MethodPost, path+"/close", map[string]any{"outcome": "reconciled", "closed_on": "2026-12-01"}); res.StatusCode != 404 {
			t.Errorf("closing by the Kargaly case worker: %d", res.StatusCode)
		}
		if outcomes() != 0 {
			t.Fatalf("refused closings recorded %d outcomes", outcomes())
		}
		res := s.api(tok, http.MethodPost, path+"/close", map[string]any{"outcome": "reconciled_withdrawn", "closed_on": "2026-12-01", "satisfaction": 5})
		var got birge.Case
		if decodeJSON(t, res, &got); res.StatusCode != 200 || got.Status != "closed" || got.Outcome != "reconciled_withdrawn" || got.ClosedOn != "2026-12-01" {
			t.Fatalf("closing: %d %s", res.StatusCode, res.Body)
		}
		if outcomes() != 2 {
			t.Errorf("the closing recorded %d outcomes, want one for each partner", outcomes())
		}
		if res := s.api(tok, http.MethodPatch, path, map[string]any{"divorce_court": "Ақтөбе соты"}); res.StatusCode != 409 {
			t.Errorf("PATCH of a closed case: %d", res.StatusCode)
		}
		if res := s.api(tok, http.MethodPost, path+"/reopen", map[string]any{}); res.StatusCode != 422 {
			t.Errorf("reopening without a reason: %d", res.StatusCode)
		}
		if res := s.api(tok, http.MethodPost, path+"/reopen", map[string]any{"reason": "Пришли снова"}); res.StatusCode != 200 || outcomes() != 0 {
			t.Errorf("reopening: %d, %d outcomes left", res.StatusCode, outcomes())
		}
		// The Kargaly case worker sees her own case, and may not close it.
		saule, err := st.People.Create(ctx, sys, birge.Person{CenterID: kargaly, GivenName: "Сауле"})
		if err != nil {
			t.Fatal(err)
		}
		own, err := st.Cases.Create(ctx, sys, birge.Case{CenterID: kargaly, PartnerIDs: []int64{saule.ID}, IntakeDate: "2026-10-01",
			Reasons: []string{"finances"}, CameFrom: "self", PsychologistID: s.userID("caseworker@birge.example")})
		if err != nil {
			t.Fatal(err)
		}
		if res := s.api(worker, http.MethodPost, "/api/v1/cases/"+strconv.FormatInt(own.ID, 10)+"/close",
			map[string]any{"outcome": "reconciled", "closed_on": "2026-12-01"}); res.StatusCode != 403 {
			t.Errorf("closing by the assigned case worker: %d, want 403", res.StatusCode)
		}

		// The naughty strings go through a case of one partner: one outcome for each closing.
		one, err := st.Cases.Create(ctx, sys, birge.Case{CenterID: aktobe, PartnerIDs: []int64{her.ID}, IntakeDate: "2026-10-01",
			Reasons: []string{"finances"}, CameFrom: "court", DivorceFiled: true})
		if err != nil {
			t.Fatal(err)
		}
		path = "/api/v1/cases/" + strconv.FormatInt(one.ID, 10)
		allowed := textRefusals("ru")
		stored, refused := 0, 0
		for _, v := range lines {
			res := s.api(tok, http.MethodPost, path+"/close", map[string]any{"outcome": "agreed_separation", "closed_on": "2026-12-01", "agreement": v})
			switch res.StatusCode {
			case 200:
				stored++
			case 422:
				var p problem
				if decodeJSON(t, res, &p); !allowed[p.Errors["agreement"]] || len(p.Errors) != 1 {
					t.Errorf("%q as the agreement: refused with %v", v, p.Errors)
				}
				refused++
				continue
			default:
				t.Fatalf("%q as the agreement: %d %.500s", v, res.StatusCode, res.Body)
			}
			reason := v
			res = s.api(tok, http.MethodPost, path+"/reopen", map[string]any{"reason": v})
			if res.StatusCode == 422 {
				reason = "ok"
				res = s.api(tok, http.MethodPost, path+"/reopen", map[string]any{"reason": reason})
			}
			if res.StatusCode != 200 {
				t.Fatalf("%q as the reason: %d %.500s", v, res.StatusCode, res.Body)
			}
			history, err := st.Cases.Closings(ctx, sys, one.ID)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(history); history[n-2].Agreement != asSent(v) || history[n-1].Reason != asSent(reason) {
				t.Errorf("%q: read back as %q and %q", v, history[n-2].Agreement, history[n-1].Reason)
			}
		}
		if stored < 400 {
			t.Errorf("only %d of %d naughty agreements stored (%d refused)", stored, len(lines), refused)
		}
	})
}

// TestCaseClosingWorkerLine: a case worker, who may not close, is told who does, not shown
// an empty heading; a case without a flag still offers her a referral; the dashboard
// leads the coordinator to tomorrow's list, the calendar and her centre's figures.
func TestCaseClosingWorkerLine(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx, sys := context.Background(), birge.System("t")
	kargaly := s.center("Kargaly district office")
	her, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: kargaly.ID, GivenName: "Динара", FamilyName: "Сапарова"})
	if err != nil {
		t.Fatal(err)
	}
	k, err := s.st.Cases.Create(ctx, sys, birge.Case{CenterID: kargaly.ID, PartnerIDs: []int64{her.ID}, IntakeDate: "2026-12-01",
		Reasons: []string{"finances"}, CameFrom: "self", PsychologistID: s.userID("caseworker@birge.example")})
	if err != nil {
		t.Fatal(err)
	}
	path := "/cases/" + strconv.FormatInt(k.ID, 10)
	res := s.get(s.login("caseworker@birge.example"), path)
	if res.StatusCode != 200 || !anyLang(res.Body, "case.closed_by_coordinator") || strings.Contains(res.Body, `action="`+path+`/close"`) {
		t.Errorf("the worker's closing part: %d\n%s", res.StatusCode, res.Body)
	}
	if !strings.Contains(res.Body, `href="/referrals/new?case_id=`+strconv.FormatInt(k.ID, 10)+`"`) {
		t.Errorf("no referral offered on a case without a flag")
	}
	dash := s.get(s.login("coordinator@birge.example"), "/dashboard")
	for _, want := range []string{`href="/calendar/tomorrow"`, `href="/calendar"`, `/families"`} {
		if !strings.Contains(dash.Body, want) {
			t.Errorf("the coordinator's dashboard lacks %s", want)
		}
	}
	if dash := s.get(s.login("trainer@birge.example"), "/dashboard"); strings.Contains(dash.Body, "/calendar") {
		t.Errorf("a trainer's dashboard leads to the calendar")
	}
}
