package web

import (
	"context"
	"fmt"
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

// fpcAward is an award of the Family Preservation Centre: a budget of 1,000 tenge in
// one line, and one report due.
func fpcAward(orgID int64) birge.Funding {
	return birge.Funding{OrgID: orgID, Donor: "UN Women", DonorKind: "un_agency", Reference: "KAZ-2026-014",
		Amount: birge.Money{Amount: 100000, Currency: "KZT"}, StartsOn: "2026-03-01", EndsOn: "2027-02-28",
		BudgetLines: []birge.BudgetLine{{Name: "Жол шығыстары", Planned: birge.Money{Amount: 100000, Currency: "KZT"}}},
		Deadlines:   []birge.Deadline{{DueOn: "2027-01-20", What: "Аралық есеп"}}}
}

func fundingFixtures(t *testing.T, s *site, fx *fixture) {
	f, err := s.st.Funding.Create(context.Background(), birge.System("test"), fpcAward(fx.ids["org:fpc"]))
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["funding:fpc"], fx.ids["line:fpc"], fx.ids["deadline:fpc"] = f.ID, f.BudgetLines[0].ID, f.Deadlines[0].ID
}

func fundingForm(fx *fixture) any {
	return url.Values{"org_id": {fx.id(fx.site.t, "org:fpc")}, "donor": {"UN Women"}, "donor_kind": {"un_agency"},
		"amount": {"1000"}, "currency": {"KZT"}, "starts_on": {"2026-03-01"}, "ends_on": {"2027-02-28"},
		"line_id_0": {fx.id(fx.site.t, "line:fpc")}, "line_name_0": {"Жол шығыстары"}, "line_planned_0": {"1000"}}
}

func fundingJSON(fx *fixture) any {
	return fmt.Sprintf(`{"organization_id": %s, "donor": "UN Women", "donor_kind": "un_agency",
		"amount": {"amount": 100000, "currency": "KZT"}, "starts_on": "2026-03-01", "ends_on": "2027-02-28"}`, fx.id(fx.site.t, "org:fpc"))
}

func spendingJSON(fx *fixture) any {
	return fmt.Sprintf(`{"budget_line_id": %s, "amount": {"amount": 500, "currency": "KZT"}, "date": "2026-06-01"}`,
		fx.id(fx.site.t, "line:fpc"))
}

// TestFundingPageFlagsOverrun: the FPC administrator records spending over the line's
// plan on the award's page: it is saved, and the line says in words that it is
// overspent, by how much; a wrong amount is refused beside its field in her language;
// the analyst reads the page without its forms.
func TestFundingPageFlagsOverrun(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	fpc := s.org("Family Preservation Centre")
	f, err := s.st.Funding.Create(context.Background(), birge.System("t"), fpcAward(fpc.ID))
	if err != nil {
		t.Fatal(err)
	}
	page := "/funding/" + strconv.FormatInt(f.ID, 10)
	c := s.login("fpc.admin@birge.example") // reads Kazakh
	kk := i18n.For("kk")
	line := strconv.FormatInt(f.BudgetLines[0].ID, 10)
	res := s.postForm(c, page+"/spending", url.Values{"budget_line_id": {line}, "spent": {"12,5x"}, "date": {"2026-06-01"}}, nil)
	if doc := parseHTML(t, res.Body); res.StatusCode != http.StatusUnprocessableEntity || text(first(doc, byID("e-spent"))) != kk.T("funding.amount_format") {
		t.Fatalf("a wrong amount: %d, %q", res.StatusCode, text(first(doc, byID("e-spent"))))
	}
	res = s.postForm(c, page+"/spending", url.Values{"budget_line_id": {line}, "spent": {"1 012,50"}, "date": {"2026-06-01"},
		"note": {"Ақтөбе – Қарғалы"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("spending over the plan: %d\n%.2000s", res.StatusCode, res.Body)
	}
	body := s.get(c, page).Body
	for _, want := range []string{kk.T("funding.overspent_by", "amount", "12,50 KZT"), "1 012,50 KZT", "Ақтөбе – Қарғалы"} {
		if !strings.Contains(strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(body), want) {
			t.Errorf("the award's page does not show %q", want)
		}
	}
	a := s.login("analyst@birge.example")
	res = s.get(a, page)
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, `action="`+page+`/spending"`) {
		t.Errorf("analyst: %d, with the spending form: %v", res.StatusCode, strings.Contains(res.Body, "/spending"))
	}
	if res := s.get(s.login("trainer@birge.example"), page); res.StatusCode != http.StatusNotFound {
		t.Errorf("Mama Pro's trainer opens FPC's award: %d", res.StatusCode)
	}
}

// TestFundingDuePage: the coordinator's today (Almaty, 2027-01-01 at the store's clock)
// decides what is overdue and what falls within 30 days; later and submitted ones are
// not listed.
func TestFundingDuePage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	award := fpcAward(s.org("Family Preservation Centre").ID)
	award.Deadlines = []birge.Deadline{{DueOn: "2026-12-31", What: "Overdue report"}, {DueOn: "2027-01-31", What: "Report in 30 days"},
		{DueOn: "2027-02-01", What: "Later report"}, {DueOn: "2026-12-01", What: "Sent report", SubmittedOn: "2026-11-30"}}
	if _, err := s.st.Funding.Create(context.Background(), birge.System("t"), award); err != nil {
		t.Fatal(err)
	}
	doc := parseHTML(t, s.get(s.login("coordinator@birge.example"), "/funding/deadlines").Body)
	overdue, soon := text(first(doc, byID("overdue"))), text(first(doc, byID("soon")))
	if !strings.Contains(overdue, "Overdue report") || strings.Contains(overdue, "Report in 30 days") {
		t.Errorf("overdue: %q", overdue)
	}
	if !strings.Contains(soon, "Report in 30 days") || strings.Contains(soon+overdue, "Later report") || strings.Contains(soon+overdue, "Sent report") {
		t.Errorf("due soon: %q", soon)
	}
}

// TestFundingAPI: create, read, PATCH with If-Match, spending refused in another
// currency as problem+json on its field, and an overrun flagged.
func TestFundingAPI(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("fpc.admin@birge.example", "funding")
		body := fmt.Sprintf(`{"organization_id": %d, "donor": "UN Women", "donor_kind": "un_agency", "reference": "KAZ-1",
			"amount": {"amount": 100000, "currency": "KZT"}, "starts_on": "2026-03-01", "ends_on": "2027-02-28",
			"budget_lines": [{"name": "Жол", "planned": {"amount": 60000, "currency": "KZT"}}],
			"deadlines": [{"due_on": "2027-01-20", "what": "Есеп"}]}`, s.org("Family Preservation Centre").ID)
		res := s.api(tok, http.MethodPost, "/api/v1/funding", body)
		var f birge.Funding
		if decodeJSON(t, res, &f); res.StatusCode != http.StatusCreated || len(f.BudgetLines) != 1 || f.BudgetLines[0].Remaining.Amount != 60000 {
			t.Fatalf("create: %d %s", res.StatusCode, res.Body)
		}
		path := "/api/v1/funding/" + strconv.FormatInt(f.ID, 10)
		spend := func(amount int64, cur string) *response {
			return s.api(tok, http.MethodPost, path+"/spending", fmt.Sprintf(`{"budget_line_id": %d,
				"amount": {"amount": %d, "currency": %q}, "date": "2026-06-01", "note": "Жол"}`, f.BudgetLines[0].ID, amount, cur))
		}
		res = spend(100, "USD")
		var p problem
		if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity || res.Header.Get("Content-Type") != "application/problem+json" ||
			p.Errors["amount.currency"] == "" {
			t.Errorf("spending in dollars: %d %s", res.StatusCode, res.Body)
		}
		if res := spend(60001, "KZT"); res.StatusCode != http.StatusCreated {
			t.Fatalf("spending: %d %s", res.StatusCode, res.Body)
		}
		res = s.api(tok, http.MethodGet, path, nil)
		var got map[string]any
		decodeJSON(t, res, &got)
		line := got["budget_lines"].([]any)[0].(map[string]any)
		if line["overspent"] != true || !jsonSame(line["remaining"], map[string]any{"amount": -1, "currency": "KZT"}) {
			t.Errorf("overrun not flagged: %v", line)
		}
		etag := res.Header.Get("ETag")
		patch := func(b, match string) *response {
			return s.do(nil, http.MethodPatch, path, b, http.Header{"Authorization": {"Bearer " + tok}, "If-Match": {match}})
		}
		if res := patch(`{"reference": "KAZ-2", "budget_lines": []}`, etag); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("removing a line money was spent from: %d %s", res.StatusCode, res.Body)
		}
		if res := patch(`{"reference": "KAZ-2"}`, etag); res.StatusCode != http.StatusOK {
			t.Errorf("PATCH: %d %s", res.StatusCode, res.Body)
		}
		if res := patch(`{"reference": "KAZ-3"}`, etag); res.StatusCode != http.StatusConflict {
			t.Errorf("PATCH on a stale ETag: %d", res.StatusCode)
		}
		var l struct{ Items []birge.Funding }
		res = s.api(tok, http.MethodGet, "/api/v1/funding", nil)
		if decodeJSON(t, res, &l); len(l.Items) != 1 || l.Items[0].Reference != "KAZ-2" {
			t.Errorf("list: %s", res.Body)
		}
	})
}

// TestFundingNaughtyStrings: every text of an award — donor, reference, a line's name, a
// deadline — and a note of spending is stored exactly as sent or refused beside its field.
func TestFundingNaughtyStrings(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("admin@birge.example", "blns")
		allowed := textRefusals("kk")
		org := s.org("Family Preservation Centre").ID
		f, err := st.Funding.Create(context.Background(), birge.System("t"), fpcAward(org))
		if err != nil {
			t.Fatal(err)
		}
		tally := map[string]int{}
		for _, v := range lines {
			var created map[string]any
			send := func(fields []string) (int, map[string]string, string) {
				body := map[string]any{"organization_id": org, "donor": "D", "donor_kind": "company",
					"amount": map[string]any{"amount": 100, "currency": "EUR"}, "starts_on": "2026-01-01", "ends_on": "2026-12-31"}
				line, deadline := map[string]any{"name": "L", "planned": map[string]any{"amount": 100}}, map[string]any{"due_on": "2026-06-01", "what": "W"}
				for _, f := range fields {
					switch f {
					case "budget_lines[0].name":
						line["name"] = v
					case "deadlines[0].what":
						deadline["what"] = v
					default:
						body[f] = v
					}
				}
				body["budget_lines"], body["deadlines"] = []any{line}, []any{deadline}
				res := s.api(tok, http.MethodPost, "/api/v1/funding", body)
				var pr problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &pr)
				} else if res.StatusCode == http.StatusCreated {
					decodeJSON(t, res, &created)
				}
				return res.StatusCode, pr.Errors, res.Body
			}
			stored := func(fields []string) {
				for _, f := range fields {
					var got any
					switch f {
					case "budget_lines[0].name":
						got = created["budget_lines"].([]any)[0].(map[string]any)["name"]
					case "deadlines[0].what":
						got = created["deadlines"].([]any)[0].(map[string]any)["what"]
					default:
						got = created[f]
					}
					if got != asSent(v) {
						t.Errorf("%q in %s: stored as %q", v, f, got)
					}
				}
			}
			tryValue(t, v, []string{"donor", "reference", "budget_lines[0].name", "deadlines[0].what"}, http.StatusCreated, send, stored, allowed, tally)
			var sp map[string]any
			note := func([]string) (int, map[string]string, string) {
				res := s.api(tok, http.MethodPost, "/api/v1/funding/"+strconv.FormatInt(f.ID, 10)+"/spending", map[string]any{
					"budget_line_id": f.BudgetLines[0].ID, "amount": map[string]any{"amount": 1, "currency": "KZT"},
					"date": "2026-06-01", "note": v})
				var pr problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &pr)
				} else if res.StatusCode == http.StatusCreated {
					decodeJSON(t, res, &sp)
				}
				return res.StatusCode, pr.Errors, res.Body
			}
			tryValue(t, v, []string{"note"}, http.StatusCreated, note, func([]string) {
				if sp["note"] != asSent(v) {
					t.Errorf("%q as a note: stored as %q", v, sp["note"])
				}
			}, allowed, tally)
		}
		t.Logf("%d strings: %d field values stored exactly, %d refused with a message", len(lines), tally["stored"], tally["refused"])
	})
}

// Money reads as each language writes it: whole units grouped, minor units after the
// language's decimal separator, only when there are any; exact at the largest amounts.
func TestMoneyText(t *testing.T) {
	for _, c := range []struct {
		lang string
		m    birge.Money
		want string
	}{
		{"en", birge.Money{Amount: 1887000, Currency: "USD"}, "18,870 USD"},
		{"en", birge.Money{Amount: 15050, Currency: "USD"}, "150.50 USD"},
		{"ru", birge.Money{Amount: 15050, Currency: "USD"}, "150,50 USD"},
		{"kk", birge.Money{Amount: -101250, Currency: "KZT"}, "−1 012,50 KZT"},
		{"ky", birge.Money{Amount: 999_999_999_999_999_999, Currency: "KGS"}, "9 999 999 999 999 999,99 KGS"},
	} {
		if got := strings.ReplaceAll(moneyText(i18n.For(c.lang), c.m), "\u00a0", " "); got != c.want {
			t.Errorf("%s %+v: %q, want %q", c.lang, c.m, got, c.want)
		}
	}
}
