package web

import (
	"bytes"
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

var (
	receiptPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
	programEXE = []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
)

// awardFixtures: on Belesteri's open call, a woman of its office with four awarded
// applications — two waiting for their award (one for the pages, one for the API), two
// given it (the same): 60 % at signing, 20 % on evidence of purchases, that evidence
// uploaded and waiting for approval, and 20 % more on evidence not uploaded yet.
func awardFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	her, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: s.center("Belesteri programme office").ID,
		GivenName: "Айгүл", FamilyName: "Серікова", BirthDate: "1990-03-08"})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["person:belesteri"] = her.ID
	awarded := testenv.Application{PersonID: her.ID, Status: "awarded", Region: "KZ75"}
	apps := testenv.InsertApplications(t, s.st, fx.ids["call:open"], []testenv.Application{awarded, awarded, awarded, awarded})
	fx.ids["application:awarded"], fx.ids["application:awarded-api"] = apps[0], apps[1]
	for i, key := range []string{"grant", "api"} {
		aw, err := s.st.Awards.Create(ctx, sys, birge.Award{ApplicationID: apps[2+i], AgreedOn: "2026-12-01",
			Tranches: []birge.AwardTranche{{Share: 60}, {Share: 20, NeedsEvidence: true}, {Share: 20, NeedsEvidence: true}}})
		if err != nil {
			t.Fatal(err)
		}
		if aw, err = s.st.Awards.AddEvidence(ctx, sys, aw.ID, 2, birge.EvidenceUpload{Name: "чек.png", Content: receiptPNG}); err != nil {
			t.Fatal(err)
		}
		fx.ids["award:"+key], fx.ids["evidence:"+key] = aw.ID, aw.Tranches[1].Evidence[0].ID
	}
	fx.ids["tranche:1"], fx.ids["tranche:2"], fx.ids["tranche:3"] = 1, 2, 3
}

func awardForm(fx *fixture) any {
	return url.Values{"application_id": {fx.id(fx.site.t, "application:awarded")}, "amount": {"4000"},
		"agreed_on": {"2026-12-10"}, "tranches[0].share": {"60"}, "tranches[1].share": {"40"},
		"tranches[1].needs_evidence": {"on"}}
}

func awardJSON(fx *fixture) any {
	return fmt.Sprintf(`{"application_id": %d, "agreed_on": "2026-12-10", "tranches": [{"share": 60}, {"share": 40, "needs_evidence": true}]}`,
		fx.ids["application:awarded-api"])
}

func paymentForm(*fixture) any {
	return url.Values{"pay.tranche": {"1"}, "pay.date": {"2026-12-20"}, "pay.amount": {"2400"}, "pay.currency": {"USD"}}
}

func followUpForm(*fixture) any {
	return url.Values{"follow.months": {"6"}, "follow.date": {"2026-12-30"}, "follow.operating": {"on"},
		"follow.income": {"500"}, "follow.jobs": {"2"}, "follow.note": {"Наубайхана ашылды"}}
}

func receiptUpload(*fixture) any { return upload{name: "чек-2.png", content: receiptPNG} }

// TestAwardPages: the grant officer makes an award on the call's page, uploads a
// program posing as a receipt and a file too large (each refused beside the tranche's
// file field, in her language), a photo, approves it and pays both tranches — the second
// in tenge at a rate; the API says the same, and refuses to pay before approval.
func TestAwardPages(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		awardFixtures(t, s, fx)
		officer := s.login("grants@birge.example") // speaks Russian
		ru := i18n.For("ru")
		call := strconv.FormatInt(fx.ids["call:open"], 10)

		bad := awardForm(fx).(url.Values)
		bad.Set("tranches[1].share", "30")
		res := s.postForm(officer, "/calls/"+call+"/awards", bad, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || errorText(res.Body, "tranches") != ru.T("award.shares_sum") {
			t.Fatalf("shares of 90 %%: %d %q", res.StatusCode, errorText(res.Body, "tranches"))
		}
		bad.Set("tranches[0].share", "-5")
		res = s.postForm(officer, "/calls/"+call+"/awards", bad, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || errorText(res.Body, "tranches[0].share") != ru.T("award.share_range") {
			t.Fatalf("a share of -5 %%: %d %q", res.StatusCode, errorText(res.Body, "tranches[0].share"))
		}
		res = s.postForm(officer, "/calls/"+call+"/awards", awardForm(fx).(url.Values), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("make an award: %d\n%s", res.StatusCode, res.Body)
		}
		page := strings.TrimSuffix(res.Header.Get("Location"), "#")
		id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/awards/"), 10, 64)
		res = s.get(officer, page)
		if res.StatusCode != 200 || !strings.Contains(res.Body, ru.T("award.evidence_needed")) {
			t.Fatalf("award page: %d", res.StatusCode)
		}
		for _, c := range []struct {
			name    string
			content []byte
			want    string
		}{
			{"receipt.pdf", programEXE, "outcome.file_type"},
			{"big.png", append(bytes.Clone(receiptPNG), make([]byte, birge.MaxEvidenceBytes)...), "outcome.file_too_large"},
		} {
			res := s.do(officer, http.MethodPost, page+"/tranches/2/evidence", upload{name: c.name, content: c.content}, nil)
			if res.StatusCode != http.StatusUnprocessableEntity || errorText(res.Body, "file-2") != ru.T(c.want) {
				t.Errorf("%s: %d %q", c.name, res.StatusCode, errorText(res.Body, "file-2"))
			}
		}
		_, tok := s.token("grants@birge.example", "awards")
		api := func(method, path string, body any) *response { return s.api(tok, method, path, body) }
		if res := api(http.MethodPost, "/api/v1"+page+"/tranches/2/evidence?name=receipt.pdf", string(programEXE)); res.StatusCode != 422 ||
			!strings.Contains(res.Body, `"file"`) {
			t.Errorf("API: a program as a receipt: %d %s", res.StatusCode, res.Body)
		}
		big := append(bytes.Clone(receiptPNG), make([]byte, birge.MaxEvidenceBytes)...)
		if res := api(http.MethodPost, "/api/v1"+page+"/tranches/2/evidence?name=big.png", big); res.StatusCode != 422 ||
			!strings.Contains(res.Body, `"file"`) {
			t.Errorf("API: a file too large: %d %s", res.StatusCode, res.Body)
		}
		if res := api(http.MethodPost, "/api/v1"+page+"/payments", `{"tranche": 2, "date": "2026-12-20", "amount": {"amount": 160000, "currency": "USD"}}`); res.StatusCode != http.StatusConflict ||
			!strings.Contains(res.Body, "award.evidence_missing") && !strings.Contains(res.Body, `"tranche"`) {
			t.Errorf("API: paid with no evidence: %d %s", res.StatusCode, res.Body)
		}
		res = s.do(officer, http.MethodPost, page+"/tranches/2/evidence", upload{name: "чек.png", content: receiptPNG}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload: %d", res.StatusCode)
		}
		res = s.postForm(officer, page+"/payments", url.Values{"pay.tranche": {"2"}, "pay.date": {"2026-12-20"},
			"pay.amount": {"1600"}, "pay.currency": {"USD"}}, nil)
		if res.StatusCode != http.StatusConflict || errorText(res.Body, "pay.tranche") != ru.T("award.evidence_not_approved") {
			t.Errorf("paid before approval: %d %q", res.StatusCode, errorText(res.Body, "pay.tranche"))
		}
		if res := s.postForm(officer, page+"/tranches/2/approve", url.Values{}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("approve: %d", res.StatusCode)
		}
		res = s.postForm(officer, page+"/payments", url.Values{"pay.tranche": {"2"}, "pay.date": {"2026-12-20"},
			"pay.amount": {"800000"}, "pay.currency": {"KZT"}}, nil)
		if res.StatusCode != 422 || errorText(res.Body, "pay.exchange_rate") != ru.T("award.rate_required") {
			t.Errorf("tenge without a rate: %d %q", res.StatusCode, errorText(res.Body, "pay.exchange_rate"))
		}
		res = s.postForm(officer, page+"/payments", url.Values{"pay.tranche": {"2"}, "pay.date": {"2026-12-20"},
			"pay.amount": {"900000"}, "pay.currency": {"KZT"}, "pay.exchange_rate": {"500"}}, nil)
		if res.StatusCode != 422 || errorText(res.Body, "pay.amount") != ru.T("award.over_tranche") {
			t.Errorf("over-payment: %d %q", res.StatusCode, errorText(res.Body, "pay.amount"))
		}
		for _, pay := range []url.Values{
			{"pay.tranche": {"2"}, "pay.date": {"2026-12-20"}, "pay.amount": {"800000"}, "pay.currency": {"KZT"}, "pay.exchange_rate": {"500"}},
			{"pay.tranche": {"1"}, "pay.date": {"2026-12-21"}, "pay.amount": {"2400"}, "pay.currency": {"USD"}},
		} {
			if res := s.postForm(officer, page+"/payments", pay, nil); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("pay %v: %d\n%s", pay, res.StatusCode, errorText(res.Body, "pay.tranche"))
			}
		}
		var got birge.Award
		res = api(http.MethodGet, "/api/v1"+page, nil)
		decodeJSON(t, res, &got)
		if got.ID != id || got.Paid.Amount != 400_000 || len(got.Payments) != 2 || got.Payments[0].ExchangeRate != "500" {
			t.Fatalf("API: the award paid: %+v", got)
		}
		var n int
		if err := st.DB().QueryRow(`SELECT COUNT(*) FROM deliveries WHERE kind = 'grant_payment' AND source = 'award' AND source_id = ` +
			strconv.FormatInt(id, 10)).Scan(&n); err != nil || n != 2 {
			t.Errorf("her deliveries: %d %v", n, err)
		}
		res = s.get(officer, page)
		if !strings.Contains(res.Body, moneyText(ru, birge.Money{Amount: 400_000, Currency: "USD"})) {
			t.Error("the page does not say US$4,000 paid")
		}
		// Her dossier lists the award with its receipt, for her request to see her data.
		dossier := s.get(s.login("admin@birge.example"), "/people/"+strconv.FormatInt(fx.ids["person:belesteri"], 10)+"/dossier")
		if dossier.StatusCode != 200 || !strings.Contains(dossier.Body, got.Reference) || !strings.Contains(dossier.Body, "чек.png") {
			t.Errorf("her dossier: %d, no award %s with its receipt", dossier.StatusCode, got.Reference)
		}
	})
}

// TestCallFiguresPage: 650 applications and 50 awards of US$4,000: the call's figures
// page shows 650, 50 and US$200,000 as the app writes money, and the API the same; an
// analyst of the organisation sees them, one of another does not.
func TestCallFiguresPage(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		ctx, sys := context.Background(), birge.System("test")
		her, err := st.People.Create(ctx, sys, birge.Person{CenterID: s.center("Belesteri programme office").ID,
			GivenName: "Гүлнара", BirthDate: "1985-06-01"})
		if err != nil {
			t.Fatal(err)
		}
		var apps []testenv.Application
		for i := range 650 {
			a := testenv.Application{PersonID: her.ID, Status: "submitted", Region: "KZ75"}
			switch {
			case i < 50:
				a.Status = "awarded"
			case i < 120:
				a.Status = "shortlisted"
			case i < 400:
				a.Status = "eligible"
			}
			if i%3 == 0 {
				a.Region = "KZ63"
			}
			apps = append(apps, a)
		}
		ids := testenv.InsertApplications(t, st, fx.ids["call:open"], apps)
		for _, id := range ids[:50] {
			if _, err := st.Awards.Create(ctx, sys, birge.Award{ApplicationID: id, AgreedOn: "2026-12-01"}); err != nil {
				t.Fatal(err)
			}
		}
		path := "/calls/" + strconv.FormatInt(fx.ids["call:open"], 10) + "/figures"
		analyst := s.userID("analyst@birge.example")
		if res := s.get(s.login("analyst@birge.example"), path); res.StatusCode != http.StatusNotFound {
			t.Errorf("FPC's analyst saw Belesteri's figures: %d", res.StatusCode)
		}
		if _, err := st.AddGrant(ctx, sys, birge.Grant{UserID: analyst, Role: birge.RoleAnalyst, OrgID: fx.ids["org:belesteri"]}); err != nil {
			t.Fatal(err)
		}
		for _, who := range []string{"grants@birge.example", "analyst@birge.example"} {
			res := s.get(s.login(who), path)
			if res.StatusCode != 200 {
				t.Fatalf("%s: %d", who, res.StatusCode)
			}
			p := i18n.For(htmlLang(t, res.Body))
			doc := parseHTML(t, res.Body)
			for id, want := range map[string]string{"fig-submitted": p.Number(650), "fig-eligible": p.Number(400),
				"fig-shortlisted": p.Number(120), "fig-awarded": p.Number(50), "fig-awards": p.Number(50),
				"fig-money": moneyText(p, birge.Money{Amount: 20_000_000, Currency: "USD"})} {
				got := "(none)"
				if e := first(doc, byID(id)); e != nil {
					got = text(e)
				}
				if got != want {
					t.Errorf("%s: %s is %q, want %q", who, id, got, want)
				}
			}
			if who == "analyst@birge.example" && strings.Contains(res.Body, "/awards") {
				t.Error("the analyst's figures link to awards")
			}
		}
		_, tok := s.token("analyst@birge.example", "figures")
		var f store.CallFigures
		decodeJSON(t, s.api(tok, http.MethodGet, "/api/v1"+path, nil), &f)
		if f.Submitted != 650 || f.Awards != 50 || f.Money != (birge.Money{Amount: 20_000_000, Currency: "USD"}) ||
			len(f.ByRegion) != 2 || f.ByRegion[0].Code != "KZ63" || f.ByRegion[0].Count != 217 {
			t.Errorf("API figures: %+v", f)
		}
	})
}

// TestScholarshipRenewalPage: a scholarship's award page offers its renewal and no
// follow-ups; a renewal without a period is refused beside the field, with one the next
// period's award opens, linked to the last.
func TestScholarshipRenewalPage(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		ctx, sys := context.Background(), birge.System("test")
		c := belesteriCall(fx.ids["org:belesteri"], fx.ids["program:belesteri"])
		c.Kind, c.Status = "scholarship", birge.CallDraft
		c, err := st.Calls.Create(ctx, sys, c)
		if err != nil {
			t.Fatal(err)
		}
		child, err := st.People.Create(ctx, sys, birge.Person{CenterID: s.center("Belesteri programme office").ID,
			GivenName: "Аружан", BirthDate: "2012-02-01"})
		if err != nil {
			t.Fatal(err)
		}
		app := testenv.InsertApplications(t, st, c.ID, []testenv.Application{{PersonID: child.ID, Status: "awarded"}})[0]
		aw, err := st.Awards.Create(ctx, sys, birge.Award{ApplicationID: app, AgreedOn: "2025-09-01", Period: "2025/26"})
		if err != nil {
			t.Fatal(err)
		}
		officer := s.login("grants@birge.example")
		ru := i18n.For("ru")
		page := "/awards/" + strconv.FormatInt(aw.ID, 10)
		res := s.get(officer, page)
		if res.StatusCode != 200 || !strings.Contains(res.Body, `action="`+page+`/renew#renew"`) || strings.Contains(res.Body, `id="follow-ups"`) {
			t.Fatalf("a scholarship's page: %d", res.StatusCode)
		}
		res = s.postForm(officer, page+"/renew", url.Values{"renew.period": {""}, "renew.agreed_on": {"2026-09-01"}}, nil)
		if res.StatusCode != 422 || errorText(res.Body, "renew.period") != ru.T("field.required") {
			t.Errorf("a renewal without a period: %d %q", res.StatusCode, errorText(res.Body, "renew.period"))
		}
		res = s.postForm(officer, page+"/renew", url.Values{"renew.period": {"2026/27"}, "renew.agreed_on": {"2026-09-01"}}, nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("renew: %d\n%s", res.StatusCode, res.Body)
		}
		next := s.get(officer, strings.TrimSuffix(res.Header.Get("Location"), "#"))
		if next.StatusCode != 200 || !strings.Contains(next.Body, "2026/27") || !strings.Contains(next.Body, `href="`+page+`"`) {
			t.Errorf("the next period's page: %d", next.StatusCode)
		}
	})
}
