package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// belesteriCall is a business-grant call of Belesteri's grants programme, open at the
// test clock (New Year's Eve 2026) unless changed.
func belesteriCall(orgID, programID int64) birge.Call {
	opens := time.Date(2026, 12, 1, 4, 0, 0, 0, time.UTC)
	return birge.Call{OrgID: orgID, Kind: "business_grant", ProgramID: programID,
		CallTitles: birge.CallTitles{KK: "Ауыл әйелдеріне бизнес-грант", RU: "Бизнес-гранты сельским женщинам",
			KY: "Айыл аялдарына бизнес-грант", EN: "Business grants for rural women"},
		CallTexts: birge.CallTexts{KK: "Ауылдың мәселесін шешетін және нақты табыс әкелетін бизнеске грант.",
			RU: "Гранты бизнесу, который решает проблему села и приносит реальный доход.",
			KY: "Айылдын көйгөйүн чечкен жана чыныгы киреше алып келген бизнеске грант.",
			EN: "Grants for a business that solves a problem of the village and brings real income."},
		OpensAt: opens, ClosesAt: opens.AddDate(0, 2, 0), Regions: []string{"KZ75"},
		Budget: birge.Money{Amount: 20_000_000, Currency: "USD"}, AwardAmount: birge.Money{Amount: 400_000, Currency: "USD"}, Awards: 50,
		Criteria: []birge.CallCriterion{
			{Code: "rural_problem", CallCriterionNames: birge.CallCriterionNames{KK: "Ауыл мәселесін шешеді", RU: "Решает проблему села", KY: "Айылдын көйгөйүн чечет", EN: "Solves a rural problem"}, Weight: 60, Max: 10},
			{Code: "real_income", CallCriterionNames: birge.CallCriterionNames{KK: "Нақты табыс әкеледі", RU: "Приносит реальный доход", KY: "Чыныгы киреше алып келет", EN: "Brings real income"}, Weight: 40, Max: 10},
		},
		Eligibility: birge.CallEligibility{RuralOnly: true}, Status: birge.CallOpen}
}

// callFixtures: Belesteri's grants programme, an open call and a draft.
func callFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, sys := context.Background(), birge.System("test")
	org := s.org("Belesteri rural business grants").ID
	fx.ids["org:belesteri"] = org
	p, err := s.st.Programs.Create(ctx, sys, birge.Program{OrgID: org, Kind: "grants", Status: "active", StartsOn: "2026-01-01",
		Names: birge.Names{KK: "Ауыл әйелдеріне грант", RU: "Гранты сельским женщинам", KY: "Айыл аялдарына грант", EN: "Rural grants"}})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["program:belesteri"] = p.ID
	for key, status := range map[string]string{"open": birge.CallOpen, "draft": birge.CallDraft} {
		c := belesteriCall(org, p.ID)
		c.Status = status
		c, err := s.st.Calls.Create(ctx, sys, c)
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["call:"+key] = c.ID
	}
}

// callForm is a draft call of Belesteri as the call form sends it.
func callForm(fx *fixture) any {
	return url.Values{"org_id": {fx.id(fx.site.t, "org:belesteri")}, "program_id": {fx.id(fx.site.t, "program:belesteri")},
		"kind": {"scholarship"}, "status": {"draft"},
		"title_kk": {"Erke стипендиясы"}, "title_ru": {"Стипендия Erke"}, "title_ky": {"Erke стипендиясы"}, "title_en": {"Erke scholarship"},
		"text_kk": {"Дарынды балаларға"}, "text_ru": {"Для одарённых детей"}, "text_ky": {"Таланттуу балдарга"}, "text_en": {"For gifted children"},
		"opens_at": {"2027-02-01T09:00"}, "closes_at": {"2027-03-01T18:00"}, "currency": {"KZT"},
		"budget.amount": {"5 000 000"}, "award_amount.amount": {"250000"}, "awards": {"20"}, "region_KZ15": {"on"},
		"criteria[0].code": {"results"}, "criteria[0].name_kk": {"Нәтижелер"}, "criteria[0].name_ru": {"Результаты"},
		"criteria[0].name_ky": {"Натыйжалар"}, "criteria[0].name_en": {"Results"}, "criteria[0].weight": {"100"}, "criteria[0].max": {"5"},
		"eligibility.age_max": {"17"}, "eligibility.income_per_member_below.amount": {"60000"}}
}

func callJSON(fx *fixture) any {
	c := belesteriCall(fx.ids["org:belesteri"], fx.ids["program:belesteri"])
	c.Status = birge.CallDraft
	b, _ := json.Marshal(c)
	return string(b)
}

// callFieldsForm is a form of two questions as the editor sends it: the second first.
func callFieldsForm(*fixture) any {
	return url.Values{
		"form[0].pos": {"2"}, "form[0].code": {"idea"}, "form[0].section": {"business"}, "form[0].type": {"longtext"},
		"form[0].required": {"on"}, "form[0].label_kk": {"Идея"}, "form[0].label_ru": {"Идея"}, "form[0].label_ky": {"Идея"},
		"form[0].label_en": {"Idea"},
		"form[1].pos":      {"1"}, "form[1].code": {"village"}, "form[1].section": {"business"}, "form[1].type": {"choice"},
		"form[1].label_kk": {"Ауылда тұрасыз ба?"}, "form[1].label_ru": {"Вы живёте в селе?"}, "form[1].label_ky": {"Айылда жашайсызбы?"},
		"form[1].label_en": {"Do you live in a village?"}, "form[1].options": {"yes | Иә | Да | Ооба | Yes\r\nno | Жоқ | Нет | Жок | No"},
	}
}

// errorText is the message shown beside a field of a page.
func errorText(body, field string) string {
	m := regexp.MustCompile(`<p class="error" id="e-` + regexp.QuoteMeta(field) + `">([^<]*)</p>`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// TestCallPages: the grant officer announces a call on the page — weights that do not
// sum to 100 % are refused beside the field in her language, nothing saved — edits its
// form (reorders, adds a choice), and the public page lists only what is open, in the
// visitor's language.
func TestCallPages(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		officer := s.login("grants@birge.example") // speaks Russian
		ru := i18n.For("ru")

		bad := callForm(fx).(url.Values)
		bad.Set("criteria[0].weight", "90")
		bad.Set("criteria[1].code", "need")
		bad.Set("criteria[1].name_kk", "Қажеттілік")
		bad.Set("criteria[1].weight", "20")
		count := func() (n int) {
			if err := st.DB().QueryRow(`SELECT COUNT(*) FROM calls`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		before := count()
		res := s.postForm(officer, "/calls", bad, nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("weights of 110 %%: %d", res.StatusCode)
		}
		if got := errorText(res.Body, "criteria"); got != ru.T("call.weights_sum") {
			t.Errorf("weights of 110 %%: %q beside the criteria", got)
		}
		if got := errorText(res.Body, "criteria[1].name_ru"); got != ru.T("field.required") {
			t.Errorf("a criterion without its Russian name: %q", got)
		}
		if !strings.Contains(res.Body, `value="Қажеттілік"`) {
			t.Error("what she typed is lost")
		}
		if count() != before {
			t.Errorf("a refused call was saved")
		}
		res = s.postForm(officer, "/calls", callForm(fx).(url.Values), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d\n%.3000s", res.StatusCode, res.Body)
		}
		page := s.get(officer, res.Header.Get("Location"))
		for _, want := range []string{"Стипендия Erke", "Для одарённых детей", "5 000 000 KZT", "250 000 KZT", ru.T("call.type.money"),
			"09:00", "18:00"} {
			if !strings.Contains(strings.ReplaceAll(page.Body, "\u00a0", " "), want) {
				t.Errorf("the call's page has no %q", want)
			}
		}
		id := strings.TrimPrefix(res.Header.Get("Location"), "/calls/")
		got, err := st.Calls.Get(context.Background(), birge.System("t"), mustInt(t, id))
		if err != nil || got.Kind != "scholarship" || len(got.Form) != len(birge.DefaultCallForm("scholarship")) ||
			got.OpensAt.Format(time.RFC3339) != "2027-02-01T04:00:00Z" || got.Eligibility.AgeMax != 17 ||
			got.Eligibility.IncomePerMember.Amount != 6_000_000 || got.Budget.Amount != 500_000_000 {
			t.Errorf("saved: %+v, %v", got, err)
		}

		// The form editor: the page shows the form; sent back reordered with a choice, it is saved so.
		draft := strconv.FormatInt(fx.ids["call:draft"], 10)
		if p := s.get(officer, "/calls/"+draft+"/form"); p.StatusCode != 200 || !strings.Contains(p.Body, `value="own_contribution"`) {
			t.Fatalf("form editor: %d", p.StatusCode)
		}
		res = s.postForm(officer, "/calls/"+draft+"/form", callFieldsForm(fx).(url.Values), nil)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("saving the form: %d\n%.3000s", res.StatusCode, res.Body)
		}
		saved, _ := st.Calls.Get(context.Background(), birge.System("t"), fx.ids["call:draft"])
		if len(saved.Form) != 2 || saved.Form[0].Code != "village" || len(saved.Form[0].Options) != 2 ||
			saved.Form[0].Options[1].KY != "Жок" || saved.Form[1].Code != "idea" || !saved.Form[1].Required {
			t.Errorf("the saved form: %+v", saved.Form)
		}
		dup := callFieldsForm(fx).(url.Values)
		dup.Set("form[1].code", "idea")
		dup.Set("form[1].label_en", "")
		res = s.postForm(officer, "/calls/"+draft+"/form", dup, nil)
		if res.StatusCode != http.StatusUnprocessableEntity || errorText(res.Body, "form[1].code") != ru.T("call.code_taken") ||
			errorText(res.Body, "form[0].label_en") != ru.T("field.required") {
			t.Errorf("a code twice and a label missing: %d, %q, %q", res.StatusCode, errorText(res.Body, "form[1].code"),
				errorText(res.Body, "form[0].label_en"))
		}
		// An open call's form stands.
		open := strconv.FormatInt(fx.ids["call:open"], 10)
		res = s.postForm(officer, "/calls/"+open+"/form", callFieldsForm(fx).(url.Values), nil)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, ru.T("call.locked")) {
			t.Errorf("editing an open call's form: %d", res.StatusCode)
		}

		// The call form of an open call, saved with a new title, keeps all that stands.
		openCall, _ := st.Calls.Get(context.Background(), birge.System("t"), fx.ids["call:open"])
		ef := newForm()
		callToForm(ef, openCall, birge.Location("")) // the officer's zone: Almaty's, the default
		ef.Values["title_ru"] = "Бизнес-гранты, второй этап"
		values := url.Values{}
		for k, v := range ef.Values {
			values.Set(k, v)
		}
		if res := s.postForm(officer, "/calls/"+open, values, nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("an open call retitled on its page: %d\n%.2000s", res.StatusCode, res.Body)
		}
		if got, _ := st.Calls.Get(context.Background(), birge.System("t"), fx.ids["call:open"]); got.CallTitles.RU != "Бизнес-гранты, второй этап" {
			t.Errorf("retitled: %q", got.CallTitles.RU)
		}

		// The public page: the open call in Kazakh, not the draft nor the new one.
		pub := s.do(nil, http.MethodGet, "/competitions", nil, http.Header{"Cookie": {langCookie + "=kk"}})
		if pub.StatusCode != 200 || !strings.Contains(pub.Body, "Ауыл әйелдеріне бизнес-грант") ||
			!strings.Contains(pub.Body, "Ауылдың мәселесін шешетін") || strings.Contains(pub.Body, "Erke") ||
			strings.Count(pub.Body, `class="card"`) != 1 || !strings.Contains(pub.Body, `id="quick-exit"`) {
			t.Errorf("the public page in Kazakh:\n%.3000s", pub.Body)
		}
		if home := s.get(nil, "/"); !strings.Contains(home.Body, `href="/competitions"`) {
			t.Error("the public home page does not link to the competitions")
		}
	})
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCompetitionsPageWeight: the public list of calls, with its stylesheet and script,
// is at most 100 KB as served with twenty calls open.
func TestCompetitionsPageWeight(t *testing.T) {
	for _, db := range testenv.Databases(t)[:1] {
		s := openSite(t, db, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		for i := 0; i < 19; i++ {
			c := belesteriCall(fx.ids["org:belesteri"], fx.ids["program:belesteri"])
			c.CallTexts.KK = strings.Repeat("Ауылдың мәселесін шешетін бизнес. ", 20)
			if _, err := s.st.Calls.Create(context.Background(), birge.System("t"), c); err != nil {
				t.Fatal(err)
			}
		}
		for _, lang := range i18n.Langs {
			page := s.do(nil, http.MethodGet, "/competitions", nil, http.Header{"Cookie": {langCookie + "=" + lang}})
			if page.StatusCode != 200 || strings.Count(page.Body, `class="card"`) != 20 {
				t.Fatalf("%s: %d, %d calls", lang, page.StatusCode, strings.Count(page.Body, `class="card"`))
			}
			total := len(page.Body)
			for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page.Body, -1) {
				total += len(s.get(nil, html.UnescapeString(m[1])).Body)
			}
			if total > 100*1024 {
				t.Errorf("%s: the competitions page weighs %d bytes, over 100 KB", lang, total)
			}
			t.Logf("%s: %d bytes as served", lang, total)
		}
	}
}

// TestCallAPI: problem+json with per-field errors; a call sent with no form gets its
// kind's default; the public routes show an open call with its form and nothing else.
func TestCallAPI(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		_, tok := s.token("grants@birge.example", "calls")
		c := belesteriCall(fx.ids["org:belesteri"], fx.ids["program:belesteri"])
		c.Criteria[0].Weight = 50
		res := s.api(tok, http.MethodPost, "/api/v1/calls", c)
		var p problem
		decodeJSON(t, res, &p)
		if res.StatusCode != 422 || res.Header.Get("Content-Type") != "application/problem+json" || p.Errors["criteria"] == "" {
			t.Errorf("weights of 90 %%: %d %v", res.StatusCode, p.Errors)
		}
		c.Criteria[0].Weight = 60
		res = s.api(tok, http.MethodPost, "/api/v1/calls", c)
		var created birge.Call
		decodeJSON(t, res, &created)
		if res.StatusCode != 201 || created.Status != birge.CallOpen || len(created.Form) < 7 {
			t.Fatalf("create: %d %s", res.StatusCode, res.Body)
		}
		// A change to its criteria once open is refused on the field; extending it is not.
		res = s.api(tok, http.MethodPatch, fmt.Sprintf("/api/v1/calls/%d", created.ID), map[string]any{"eligibility": map[string]any{"rural_only": false}})
		decodeJSON(t, res, &p)
		if res.StatusCode != 422 || p.Errors["eligibility"] == "" {
			t.Errorf("changing the rules of an open call: %d %v", res.StatusCode, p.Errors)
		}
		res = s.api(tok, http.MethodPatch, fmt.Sprintf("/api/v1/calls/%d", created.ID), map[string]any{"closes_at": "2027-02-15T13:00:00Z"})
		if res.StatusCode != 200 {
			t.Errorf("extending an open call: %d %s", res.StatusCode, res.Body)
		}

		var list struct {
			Items []birge.Call `json:"items"`
		}
		decodeJSON(t, s.do(nil, http.MethodGet, "/api/v1/public/calls", nil, nil), &list)
		ids := map[int64]bool{}
		for _, c := range list.Items {
			ids[c.ID] = true
		}
		if !ids[created.ID] || !ids[fx.ids["call:open"]] || ids[fx.ids["call:draft"]] || len(list.Items) != 2 {
			t.Errorf("public list: %v", ids)
		}
		var form struct {
			Form []map[string]any `json:"form"`
		}
		res = s.do(nil, http.MethodGet, fmt.Sprintf("/api/v1/public/calls/%d", created.ID), nil, nil)
		decodeJSON(t, res, &form)
		codes := map[string]bool{}
		for _, f := range form.Form {
			codes[f["code"].(string)] = true
			for _, k := range []string{"type", "required", "options", "label_kk", "label_ru", "label_ky", "label_en"} {
				if _, ok := f[k]; !ok {
					t.Errorf("field %v has no %s", f["code"], k)
				}
			}
		}
		for _, want := range []string{"idea", "problem", "market", "costs", "own_contribution", "monthly_income", "jobs"} {
			if !codes[want] {
				t.Errorf("the public form has no %s", want)
			}
		}
		// Closed: the public route no longer finds it.
		closed := belesteriCall(fx.ids["org:belesteri"], fx.ids["program:belesteri"])
		closed.OpensAt, closed.ClosesAt = closed.OpensAt.AddDate(0, -2, 0), closed.OpensAt.AddDate(0, -1, 0)
		closed, err := st.Calls.Create(context.Background(), birge.System("t"), closed)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{closed.ID, fx.ids["call:draft"], 1 << 40} {
			if res := s.do(nil, http.MethodGet, fmt.Sprintf("/api/v1/public/calls/%d", id), nil, nil); res.StatusCode != 404 {
				t.Errorf("public call %d: %d", id, res.StatusCode)
			}
		}
	})
}

// TestCallNaughtyTexts: every naughty string in a call's titles and texts through the
// API is stored exactly or refused beside its field.
func TestCallNaughtyTexts(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		_, tok := s.token("admin@birge.example", "blns")
		path := fmt.Sprintf("/api/v1/calls/%d", fx.ids["call:draft"])
		allowed := textRefusals("kk")
		tally := map[string]int{}
		fields := []string{"title_kk", "title_ru", "title_ky", "title_en", "text_kk", "text_ru", "text_ky", "text_en"}
		for _, v := range lines {
			tryValue(t, v, fields, http.StatusOK, func(fields []string) (int, map[string]string, string) {
				body := map[string]string{}
				for _, f := range fields {
					body[f] = v
				}
				res := s.api(tok, http.MethodPatch, path, body)
				var p problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &p)
				}
				return res.StatusCode, p.Errors, res.Body
			}, func(fields []string) {
				var got map[string]any
				decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &got)
				for _, f := range fields {
					if got[f] != asSent(v) {
						t.Errorf("%q in %s: stored as %q", v, f, got[f])
					}
				}
			}, allowed, tally)
		}
		if tally["stored"] == 0 || tally["refused"] == 0 {
			t.Errorf("tally %v", tally)
		}
	})
}
