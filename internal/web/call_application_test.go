package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

func pngContent() []byte {
	return append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
}

// grantAnswers answer every required question of the default business-grant form.
func grantAnswers() map[string]json.RawMessage {
	return map[string]json.RawMessage{"idea": json.RawMessage(`"Наубайхана"`), "problem": json.RawMessage(`"Нан жоқ"`),
		"market": json.RawMessage(`"Көршілер"`), "costs": json.RawMessage(`"Пеш"`),
		"own_contribution": json.RawMessage(`{"amount": 50000, "currency": "USD"}`),
		"monthly_income":   json.RawMessage(`{"amount": 80000, "currency": "USD"}`), "jobs": json.RawMessage(`2`)}
}

// applicationFixtures: an application submitted to Belesteri's open call, with a photo.
func applicationFixtures(t *testing.T, s *site, fx *fixture) {
	ctx, st := context.Background(), s.st
	call := fx.ids["call:open"]
	she := birge.Applicant{FamilyName: "Серікбаева", GivenName: "Айгүл", Phones: []string{"+77015551234"},
		Region: "KZ75", Rural: true}
	got, err := st.Applications.Save(ctx, "203.0.113.1", call, store.ApplicationInput{Applicant: she})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Applications.AddFile(ctx, "203.0.113.1", got.Reference, got.Token, "photos",
		birge.EvidenceUpload{Name: "shop.png", Content: pngContent()}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Applications.Save(ctx, "203.0.113.1", call, store.ApplicationInput{Reference: got.Reference,
		Token: got.Token, Applicant: she, Answers: grantAnswers(), Submit: true}); err != nil {
		t.Fatalf("submit: %v %v", err, birge.AsError(err).Fields)
	}
	l, err := st.Applications.List(ctx, birge.System("test"), call, store.ApplicationFilter{})
	if err != nil || len(l) != 1 {
		t.Fatalf("applications: %v", err)
	}
	app, err := st.Applications.Get(ctx, birge.System("test"), l[0].ID)
	if err != nil || len(app.Files) != 1 {
		t.Fatalf("application: %v", err)
	}
	fx.ids["application:submitted"], fx.ids["file:application"] = app.ID, app.Files[0].ID
}

func overrideForm(*fixture) any {
	return url.Values{"eligible": {"no"}, "reason": {"Қала шегінде тұрады"}}
}

func applicationJSON(*fixture) any {
	return `{"applicant": {"given_name": "Айгүл"}, "answers": {"idea": "Наубайхана"}, "language": "kk"}`
}

// applyRedirect reads the reference and token of the link a save sent her to.
func applyRedirect(t *testing.T, r *response) (ref, token string) {
	t.Helper()
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.StatusCode, r.Body)
	}
	u, err := url.Parse(r.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("ref"), u.Query().Get("token")
}

// TestApplyOnThePublicForm: an applicant goes through the steps in Kyrgyz, each saving
// her draft; comes back through her link; a file lying about its type and one too large
// are refused beside their field in her language, a photo is taken; she submits, is told
// her reference, and checks her status with it and her phone. Her application cannot be
// changed after. Every naughty string goes through the form's text fields.
func TestApplyOnThePublicForm(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openSite(t, db, Config{})
			fx := &fixture{site: s, ids: map[string]int64{}}
			callFixtures(t, s, fx)
			id := strconv.FormatInt(fx.ids["call:open"], 10)
			h := http.Header{"Cookie": {langCookie + "=ky"}}
			c := s.client()
			page := s.do(c, http.MethodGet, "/competitions/"+id+"/apply", nil, h)
			if page.StatusCode != 200 || !strings.Contains(page.Body, i18n.For("ky").T("apply.step.about")) {
				t.Fatalf("first step: %d", page.StatusCode)
			}
			post := func(path string, f url.Values) *response { return s.do(c, http.MethodPost, path, f, h) }
			ref, token := applyRedirect(t, post("/competitions/"+id+"/apply", url.Values{"step": {"0"},
				"applicant.family_name": {"Сейитова"}, "applicant.given_name": {"Айгүл"}, "applicant.phones": {"8 701 555 12 34"},
				"applicant.region": {"KZ75"}, "applicant.rural": {"on"}}))
			if !strings.HasPrefix(ref, "BG-") || token == "" {
				t.Fatalf("reference %q, token %q", ref, token)
			}
			link := "/competitions/" + id + "/apply?ref=" + url.QueryEscape(ref) + "&token=" + url.QueryEscape(token)
			back := s.do(s.client(), http.MethodGet, link+"&step=1", nil, h)
			if back.StatusCode != 200 || !strings.Contains(back.Body, ref) || !strings.Contains(back.Body, `name="answers.idea"`) {
				t.Fatalf("come back: %d", back.StatusCode)
			}
			if r := s.do(s.client(), http.MethodGet, "/competitions/"+id+"/apply?ref="+ref+"&token=wrong", nil, h); r.StatusCode != 404 {
				t.Errorf("a wrong token: %d", r.StatusCode)
			}
			// A number that is not one is named beside its field, and nothing is saved.
			base := url.Values{"ref": {ref}, "token": {token}}
			step := func(n int, pairs ...string) url.Values {
				f := url.Values{"step": {strconv.Itoa(n)}}
				for k, v := range base {
					f[k] = v
				}
				for i := 0; i+1 < len(pairs); i += 2 {
					f.Set(pairs[i], pairs[i+1])
				}
				return f
			}
			bad := post("/competitions/"+id+"/apply", step(2, "answers.jobs", "бир", "answers.costs", "Меш"))
			if bad.StatusCode != 422 || errorText(bad.Body, "answers.jobs") != i18n.For("ky").T("field.number") {
				t.Fatalf("a bad number: %d %q", bad.StatusCode, errorText(bad.Body, "answers.jobs"))
			}
			applyRedirect(t, post("/competitions/"+id+"/apply", step(1, "answers.idea", "Наабайкана", "answers.problem",
				"Айылда нан дүкөнү жок", "answers.market", "Кошуналар")))
			applyRedirect(t, post("/competitions/"+id+"/apply", step(2, "answers.costs", "Меш — 2000", "answers.own_contribution",
				"500", "answers.monthly_income", "800", "answers.jobs", "3")))
			files := "/competitions/" + id + "/apply/files?ref=" + url.QueryEscape(ref) + "&token=" + url.QueryEscape(token) + "&step=3&field=photos"
			for _, c := range []struct {
				name    string
				content []byte
				key     string
			}{{"plan.pdf", []byte("MZ\x90\x00 a program, whatever its name says"), "outcome.file_type"},
				{"big.png", append(pngContent(), make([]byte, birge.MaxEvidenceBytes+1)...), "outcome.file_too_large"}} {
				r := s.do(c2(s), http.MethodPost, files, upload{name: c.name, content: c.content}, h)
				if r.StatusCode != 422 || errorText(r.Body, "file-photos") != i18n.For("ky").T(c.key) {
					t.Errorf("%s: %d %q", c.name, r.StatusCode, errorText(r.Body, "file-photos"))
				}
			}
			if r := s.do(c2(s), http.MethodPost, files, upload{name: "shop.png", content: pngContent()}, h); r.StatusCode != 303 {
				t.Fatalf("a photo: %d %s", r.StatusCode, r.Body)
			}
			review := s.do(c, http.MethodGet, link+"&step=4", nil, h)
			if !strings.Contains(review.Body, "shop.png") || !strings.Contains(review.Body, "Наабайкана") {
				t.Fatalf("review:\n%s", review.Body)
			}
			done := post("/competitions/"+id+"/apply", step(4, "action", "submit"))
			if done.StatusCode != 303 {
				t.Fatalf("submit: %d\n%s", done.StatusCode, done.Body)
			}
			shown := s.do(c, http.MethodGet, done.Header.Get("Location"), nil, h)
			if !strings.Contains(shown.Body, ref) || !strings.Contains(shown.Body, i18n.For("ky").T("apply.done_title")) {
				t.Fatalf("done page:\n%s", shown.Body)
			}
			again := post("/competitions/"+id+"/apply", step(1, "answers.idea", "Башка"))
			app, _, _ := s.st.Applications.Draft(context.Background(), "1.2.3.4", ref, token)
			if app.Answers["idea"] != "Наабайкана" || again.StatusCode != 200 {
				t.Errorf("a submitted application changed: %d %v", again.StatusCode, app.Answers["idea"])
			}
			st := post("/competitions/status", url.Values{"reference": {ref}, "phone": {"+996701555123"}})
			if st.StatusCode != 404 {
				t.Errorf("status with another phone: %d", st.StatusCode)
			}
			st = post("/competitions/status", url.Values{"reference": {strings.ToLower(ref)}, "phone": {"+7 701 555 12 34"}})
			if st.StatusCode != 200 || !strings.Contains(st.Body, i18n.For("ky").T("application.status.eligible")) {
				t.Errorf("status: %d", st.StatusCode)
			}
		})
	}
}

// c2 is a fresh client, as another tab would be.
func c2(s *site) *http.Client { return s.client() }

// TestApplyNaughtyStrings: every naughty string through the public form's text fields
// (her names, her village, a question) is kept exactly or refused beside its field.
func TestApplyNaughtyStrings(t *testing.T) {
	b, err := os.ReadFile("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{"field.invalid_chars": true, "field.invalid_utf8": true, "field.single_line": true,
		"field.required": true, "field.too_long": true}
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openSite(t, db, Config{})
			fx := &fixture{site: s, ids: map[string]int64{}}
			callFixtures(t, s, fx)
			id := strconv.FormatInt(fx.ids["call:open"], 10)
			ref, token := applyRedirect(t, s.postForm(nil, "/competitions/"+id+"/apply", url.Values{"step": {"0"},
				"applicant.given_name": {"Айгүл"}}, nil))
			for _, v := range strings.Split(string(b), "\n") {
				if v == "" || strings.HasPrefix(v, "#") {
					continue
				}
				for _, f := range []url.Values{
					{"step": {"0"}, "applicant.given_name": {"Айгүл"}, "applicant.family_name": {v}, "applicant.settlement": {v}},
					{"step": {"1"}, "answers.idea": {v}, "answers.market": {v}},
				} {
					f.Set("ref", ref)
					f.Set("token", token)
					r := s.postForm(nil, "/competitions/"+id+"/apply", f, http.Header{"Cookie": {langCookie + "=en"}})
					if r.StatusCode == 303 {
						continue
					}
					if r.StatusCode != 422 {
						t.Fatalf("%q: %d", v, r.StatusCode)
					}
					for _, m := range regexp.MustCompile(`<p class="error" id="e-([^"]+)">([^<]*)</p>`).FindAllStringSubmatch(r.Body, -1) {
						ok := false
						for key := range texts {
							ok = ok || html.UnescapeString(m[2]) == i18n.For("en").T(key)
						}
						if !ok {
							t.Errorf("%q in %s: %s", v, m[1], m[2])
						}
					}
				}
				app, _, err := s.st.Applications.Draft(context.Background(), "1.2.3.4", ref, token)
				if err != nil {
					t.Fatal(err)
				}
				if app.Applicant.FamilyName == v && app.Applicant.Settlement != v {
					t.Errorf("%q: kept in part", v)
				}
			}
		})
	}
}

// TestApplyPageWeight: every step of the public form, with its stylesheet and script,
// weighs at most 100 KB as served, in every language, and carries the quick exit.
func TestApplyPageWeight(t *testing.T) {
	db := testenv.Databases(t)[0]
	s := openSite(t, db, Config{})
	fx := &fixture{site: s, ids: map[string]int64{}}
	callFixtures(t, s, fx)
	id := strconv.FormatInt(fx.ids["call:open"], 10)
	ref, token := applyRedirect(t, s.postForm(nil, "/competitions/"+id+"/apply", url.Values{"step": {"0"},
		"applicant.given_name": {"Айгүл"}}, nil))
	static := 0
	for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(
		s.get(nil, "/competitions/"+id+"/apply").Body, -1) {
		static += len(s.get(nil, html.UnescapeString(m[1])).Body)
	}
	for _, lang := range i18n.Langs {
		h := http.Header{"Cookie": {langCookie + "=" + lang}}
		for step := 0; step < 5; step++ {
			page := s.do(nil, http.MethodGet, fmt.Sprintf("/competitions/%s/apply?ref=%s&token=%s&step=%d", id, ref, token, step), nil, h)
			if page.StatusCode != 200 || !strings.Contains(page.Body, `id="quick-exit"`) {
				t.Fatalf("%s step %d: %d", lang, step, page.StatusCode)
			}
			total := len(page.Body) + static
			if total > 100*1024 {
				t.Errorf("%s step %d: %d bytes as served, over 100 KB", lang, step, total)
			}
			t.Logf("%s step %d: %d bytes as served (page %d, static %d), %d gzipped", lang, step, total, len(page.Body), static,
				gzipped(page.Body))
		}
	}
}

// TestApplicationAPI: the public API saves a draft (reference, private link), updates
// it with its token, refuses a lying file and one too large, submits it, refuses to
// change it after (409) and tells its status to one with her phone only; a late
// application is refused with the closing time in her language; the staff list it,
// read it and override its eligibility.
func TestApplicationAPI(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		s := newSite(t, st, Config{})
		fx := &fixture{site: s, ids: map[string]int64{}}
		callFixtures(t, s, fx)
		id := strconv.FormatInt(fx.ids["call:open"], 10)
		r := s.api("", "POST", "/api/v1/public/calls/"+id+"/applications", applicationJSON(fx))
		var got struct{ Reference, Link, Token, Status string }
		decodeJSON(t, r, &got)
		if r.StatusCode != 201 || got.Status != "draft" || !strings.Contains(got.Link, got.Token) || got.Reference == "" {
			t.Fatalf("draft: %d %s", r.StatusCode, r.Body)
		}
		she := map[string]any{"given_name": "Айгүл", "family_name": "Серікбаева", "phones": []string{"+77015551234"},
			"region": "KZ75", "rural": true}
		body := map[string]any{"token": got.Token, "applicant": she, "answers": grantAnswers(), "language": "ky"}
		if r := s.api("", "PUT", "/api/v1/public/applications/"+got.Reference, body); r.StatusCode != 200 {
			t.Fatalf("update: %d %s", r.StatusCode, r.Body)
		}
		body["token"] = "wrong"
		if r := s.api("", "PUT", "/api/v1/public/applications/"+got.Reference, body); r.StatusCode != 404 {
			t.Errorf("a wrong token: %d", r.StatusCode)
		}
		body["token"] = got.Token
		files := "/api/v1/public/applications/" + got.Reference + "/files"
		for _, c := range []struct {
			content []byte
			status  int
		}{{[]byte("GIF89a not what it says"), 422}, {append(pngContent(), make([]byte, birge.MaxEvidenceBytes+1)...), 422},
			{pngContent(), 201}} {
			r := s.do(nil, "POST", files, upload{fields: map[string]string{"token": got.Token, "field": "photos"}, name: "x.pdf",
				content: c.content}, nil)
			var p problem
			if r.StatusCode != c.status {
				t.Errorf("upload: %d %s", r.StatusCode, r.Body)
			} else if c.status == 422 {
				if decodeJSON(t, r, &p); p.Errors["file"] == "" {
					t.Errorf("no message by the file: %s", r.Body)
				}
			}
		}
		body["submit"] = true
		if r := s.api("", "PUT", "/api/v1/public/applications/"+got.Reference, body); r.StatusCode != 200 || !strings.Contains(r.Body, `"eligible"`) {
			t.Fatalf("submit: %d %s", r.StatusCode, r.Body)
		}
		if r := s.api("", "PUT", "/api/v1/public/applications/"+got.Reference, body); r.StatusCode != 409 {
			t.Errorf("changed after submitting: %d", r.StatusCode)
		}
		if r := s.api("", "GET", "/api/v1/public/applications/"+got.Reference+"?phone=87015551234", nil); r.StatusCode != 200 ||
			r.Body != `{"reference":"`+got.Reference+`","status":"eligible"}`+"\n" {
			t.Errorf("status: %d %s", r.StatusCode, r.Body)
		}
		wrong := s.api("", "GET", "/api/v1/public/applications/"+got.Reference+"?phone=87019999999", nil)
		unknown := s.api("", "GET", "/api/v1/public/applications/BG-2222-2222?phone=87015551234", nil)
		if wrong.StatusCode != 404 || wrong.Body != unknown.Body {
			t.Errorf("a wrong phone %d %s, an unknown reference %s", wrong.StatusCode, wrong.Body, unknown.Body)
		}
		// Staff.
		_, grants := s.token("grants@birge.example", "t")
		list := s.api(grants, "GET", "/api/v1/calls/"+id+"/applications?status=eligible", nil)
		var l struct {
			Items []struct {
				ID        int64  `json:"id"`
				Reference string `json:"reference"`
			} `json:"items"`
		}
		if decodeJSON(t, list, &l); len(l.Items) != 1 || l.Items[0].Reference != got.Reference {
			t.Fatalf("list: %s", list.Body)
		}
		app := strconv.FormatInt(l.Items[0].ID, 10)
		if r := s.api(grants, "GET", "/api/v1/applications/"+app, nil); !strings.Contains(r.Body, "Серікбаева") {
			t.Errorf("staff read: %s", r.Body)
		}
		if r := s.api(grants, "POST", "/api/v1/applications/"+app+"/eligibility", `{"eligible": false}`); r.StatusCode != 422 {
			t.Errorf("an override without a reason: %d", r.StatusCode)
		}
		if r := s.api(grants, "POST", "/api/v1/applications/"+app+"/eligibility", `{"eligible": false, "reason": "Қалада тұрады"}`); r.StatusCode != 200 || !strings.Contains(r.Body, `"ineligible"`) {
			t.Errorf("override: %d %s", r.StatusCode, r.Body)
		}
		// Late.
		st.SetClock(testenv.ClockFrom(testenv.Evening.AddDate(1, 0, 0)))
		late := s.api("", "POST", "/api/v1/public/calls/"+id+"/applications", `{"applicant": {"given_name": "Айгүл"}, "language": "ky"}`)
		var p problem
		decodeJSON(t, late, &p)
		c, _ := st.Calls.Get(context.Background(), birge.System("t"), fx.ids["call:open"])
		ky := i18n.For("ky")
		if want := ky.T("application.closed", "time", ky.DateTime(c.ClosesAt, birge.Location(""))); late.StatusCode != 422 || p.Detail != want {
			t.Errorf("late: %d %q, want %q", late.StatusCode, p.Detail, want)
		}
	})
}

// TestApplyCategories: a call whose rules ask for categories offers them on the first
// step, by their names; what she ticks is saved with her draft, and nothing else is.
func TestApplyCategories(t *testing.T) {
	s := openSite(t, testenv.Databases(t)[0], Config{})
	fx := &fixture{site: s, ids: map[string]int64{}}
	callFixtures(t, s, fx)
	c := belesteriCall(fx.ids["org:belesteri"], fx.ids["program:belesteri"])
	c.Eligibility.Categories = []string{"rural"}
	c, err := s.st.Calls.Create(context.Background(), birge.System("t"), c)
	if err != nil {
		t.Fatalf("call: %v", birge.AsError(err).Fields)
	}
	id := strconv.FormatInt(c.ID, 10)
	h := http.Header{"Cookie": {langCookie + "=en"}}
	page := s.do(nil, http.MethodGet, "/competitions/"+id+"/apply", nil, h)
	if !strings.Contains(page.Body, `name="applicant.categories" value="rural"`) {
		t.Fatalf("no category to tick:\n%s", page.Body)
	}
	f := url.Values{"step": {"0"}, "applicant.given_name": {"Aigul"}, "applicant.categories": {"rural", "dv_survivor"}}
	if r := s.do(nil, http.MethodPost, "/competitions/"+id+"/apply", f, h); r.StatusCode != 422 {
		t.Errorf("a category the rules do not ask for: %d", r.StatusCode)
	}
	f["applicant.categories"] = []string{"rural"}
	ref, token := applyRedirect(t, s.do(nil, http.MethodPost, "/competitions/"+id+"/apply", f, h))
	app, _, err := s.st.Applications.Draft(context.Background(), "1.2.3.4", ref, token)
	if err != nil || len(app.Applicant.Categories) != 1 || app.Applicant.Categories[0] != "rural" {
		t.Errorf("saved: %+v %v", app.Applicant, err)
	}
	back := s.do(nil, http.MethodGet, "/competitions/"+id+"/apply?ref="+ref+"&token="+url.QueryEscape(token)+"&step=0", nil, h)
	if !strings.Contains(back.Body, `value="rural" checked`) {
		t.Errorf("her category is not ticked when she comes back")
	}
}
