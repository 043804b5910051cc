package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/testenv"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// caseRequestFixtures sends four requests to Aktobe, to take in and to decline on the
// page and by the API.
func caseRequestFixtures(t *testing.T, s *site, fx *fixture) {
	ctx := context.Background()
	keys := []string{"aktobe-web", "aktobe-web-decline", "aktobe-api", "aktobe-api-decline"}
	for i, key := range keys {
		r := birge.CaseRequest{CenterID: fx.ids["center:aktobe"], Lang: "kk", Name: "Сәуле " + key,
			Contact: birge.ContactCall, Phone: "+7701555120" + strconv.Itoa(i)}
		if err := s.st.CaseRequests.Submit(ctx, "198.51.100."+strconv.Itoa(i), r, false); err != nil {
			t.Fatal(err)
		}
	}
	l, err := s.st.CaseRequests.List(ctx, birge.System("test"), store.RequestFilter{})
	if err != nil || len(l) < len(keys) {
		t.Fatalf("requests: %v", err)
	}
	for i, key := range keys {
		fx.ids["request:"+key] = l[len(l)-len(keys)+i].ID
	}
}

// requestForm is a request for the office named by a fixture key, as the public form
// sends it.
func requestForm(center string) func(fx *fixture) any {
	return func(fx *fixture) any {
		return url.Values{"center_id": {strconv.FormatInt(fx.ids[center], 10)}, "name": {"Айгерім"},
			"contact": {"call"}, "phone": {"+77015559876"}, "call_times": {"кешке"}, "reasons": {"finances"},
			"message": {"Сөйлескім келеді"}}
	}
}

// questionsForm is the default questionnaire as its editing page sends it, unchanged.
func questionsForm(*fixture) any {
	f := url.Values{"count": {strconv.Itoa(len(birge.DefaultQuestions))}}
	for i, q := range birge.DefaultQuestions {
		at := "q" + strconv.Itoa(i) + "_"
		f.Set(at+"keep", "on")
		f.Set(at+"code", q.Code)
		f.Set(at+"domain", q.Domain)
		if q.Lethality {
			f.Set(at+"lethality", "on")
		}
		f.Set(at+"text_kk", q.TextKK)
		f.Set(at+"text_ru", q.TextRU)
		f.Set(at+"text_ky", q.TextKY)
		f.Set(at+"text_en", q.TextEN)
	}
	return f
}

// TestRequestPageWeight: the public request form, with its stylesheet and script, is
// light enough for a phone on a slow network: at most 60 KB as served (the server does
// not compress, so this is what travels), and it carries the quick-exit control.
func TestRequestPageWeight(t *testing.T) {
	for _, db := range testenv.Databases(t)[:1] {
		s := openSite(t, db, Config{})
		aktobe := s.center("Aktobe family centre")
		for _, lang := range i18n.Langs {
			h := http.Header{"Cookie": {langCookie + "=" + lang}}
			page := s.do(nil, http.MethodGet, "/request?center="+strconv.FormatInt(aktobe.ID, 10), nil, h)
			if page.StatusCode != 200 || !strings.Contains(page.Body, `id="quick-exit"`) {
				t.Fatalf("%s: %d, quick exit shown: %v", lang, page.StatusCode, strings.Contains(page.Body, "quick-exit"))
			}
			total, zipped := len(page.Body), gzipped(page.Body)
			for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page.Body, -1) {
				res := s.get(nil, html.UnescapeString(m[1]))
				if res.StatusCode != 200 {
					t.Fatalf("%s: %d", m[1], res.StatusCode)
				}
				total, zipped = total+len(res.Body), zipped+gzipped(res.Body)
			}
			if total > 60*1024 {
				t.Errorf("%s: the request page weighs %d bytes as served, over 60 KB", lang, total)
			}
			t.Logf("%s: %d bytes as served, %d gzipped", lang, total, zipped)
		}
	}
}

func gzipped(s string) int {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Len()
}

// TestRequestForm: a request sent on the public form, in each language, is refused with
// a message beside each field in that language, then saved and seen by the Aktobe
// coordinator alone; the robot's field drops it silently; her words are kept exactly
// (every naughty string in every text field).
func TestRequestForm(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openSite(t, db, Config{TrustProxy: true}) // each naughty string from its own address
			aktobe := strconv.FormatInt(s.center("Aktobe family centre").ID, 10)
			for _, lang := range i18n.Langs {
				h := http.Header{"Cookie": {langCookie + "=" + lang}}
				p := i18n.For(lang)
				res := s.postForm(nil, "/request", url.Values{"center_id": {aktobe}, "contact": {"call"},
					"name": {" "}, "call_times": {"a\x00"}}, h)
				if res.StatusCode != 422 {
					t.Fatalf("%s: %d", lang, res.StatusCode)
				}
				for field, key := range map[string]string{"name": "field.required", "phone": "request.phone_required",
					"call_times": "field.invalid_chars"} {
					if !strings.Contains(res.Body, `id="e-`+field+`">`+html.EscapeString(p.T(key))+`<`) {
						t.Errorf("%s: no message %q beside %s", lang, p.T(key), field)
					}
				}
			}
			sent := url.Values{"center_id": {aktobe}, "contact": {"none"}, "name": {"Жазира"}, "reasons": {"violence"},
				"message": {"Үйге келмеңіздер"}}
			if res := s.postForm(nil, "/request", sent, nil); res.StatusCode != 303 || res.Header.Get("Location") != "/request/sent?contact=none" {
				t.Fatalf("sent: %d %s", res.StatusCode, res.Header.Get("Location"))
			}
			// The thanks page says what happens next, as she chose, and whom to call in danger.
			for contact, key := range map[string]string{"none": "request.next_none", "call": "request.next_call", "": "request.next"} {
				res := s.get(nil, "/request/sent?contact="+contact)
				if res.StatusCode != 200 || !anyLang(res.Body, key) || !anyLang(res.Body, "request.danger_now") {
					t.Errorf("thanks after %q: %d\n%s", contact, res.StatusCode, res.Body)
				}
			}
			bot := url.Values{"center_id": {aktobe}, "contact": {"none"}, "name": {"Robot"}, "website": {"http://spam.example"}}
			if res := s.postForm(nil, "/request", bot, nil); res.StatusCode != 303 {
				t.Fatalf("robot: %d", res.StatusCode)
			}
			coord := s.login("coordinator@birge.example")
			if dash := s.get(coord, "/dashboard"); !strings.Contains(dash.Body, `href="/case-requests"><strong>1</strong>`) {
				t.Errorf("the coordinator's dashboard does not count the request:\n%s", dash.Body)
			}
			list := s.get(coord, "/case-requests")
			if list.StatusCode != 200 || !strings.Contains(list.Body, "Жазира") || strings.Contains(list.Body, "Robot") {
				t.Fatalf("the coordinator's list: %d\n%s", list.StatusCode, list.Body)
			}
			// Her request, to the coordinator: staff labels, not the form's questions to her,
			// and, as she ticked violence, that she is screened alone first.
			req := s.get(coord, regexp.MustCompile(`/case-requests/\d+`).FindString(list.Body))
			if req.StatusCode != 200 || !strings.Contains(req.Body, "Үйге келмеңіздер") || !anyLang(req.Body, "request.violence_notice") ||
				!anyLang(req.Body, "request.staff.message") || anyLang(req.Body, "request.message") {
				t.Errorf("the request's page: %d\n%s", req.StatusCode, req.Body)
			}
			for _, who := range []string{"caseworker@birge.example", "trainer@birge.example", "analyst@birge.example", "viewer@birge.example"} {
				if res := s.get(s.login(who), "/case-requests"); res.StatusCode != 403 {
					t.Errorf("%s: %d", who, res.StatusCode)
				}
			}

			// Naughty strings, in every text field at once; each kept exactly or refused.
			_, tok := s.token("coordinator@birge.example", "blns")
			for i, v := range naughtyStrings(t) {
				f := url.Values{"center_id": {aktobe}, "contact": {"call"}, "phone": {"+77015550000"},
					"name": {v}, "call_times": {v}, "message": {v}}
				res := s.do(nil, http.MethodPost, "/request", f, http.Header{"X-Forwarded-For": {"10.2." + strconv.Itoa(i/200) + "." + strconv.Itoa(i%200)}})
				switch res.StatusCode {
				case 303, 422:
				default:
					t.Fatalf("%q: %d", v, res.StatusCode)
				}
			}
			res := s.api(tok, http.MethodGet, "/api/v1/case-requests?limit=200", nil)
			if res.StatusCode != 200 || !strings.Contains(res.Body, `"message":"Үйге келмеңіздер"`) {
				t.Fatalf("API list: %d %s", res.StatusCode, res.Body)
			}
			all, err := s.st.CaseRequests.List(context.Background(), birge.System("test"), store.RequestFilter{})
			if err != nil || len(all) < 100 {
				t.Fatalf("%d kept: %v", len(all), err)
			}
			for _, r := range all {
				if r.Contact == birge.ContactCall && (r.Name != r.Message || r.Name != r.CallTimes) {
					t.Errorf("kept differently: %q, %q, %q", r.Name, r.CallTimes, r.Message)
				}
			}
		})
	}
}

// TestRequestTakenInAndQuestionnaireEdited: the coordinator's page shows a request with
// the registry's possible duplicates and takes her in as a case; the FPC administrator
// retires a question and adds one on the questionnaire page, a mistake shown beside its
// field, and the API then serves the new version.
func TestRequestTakenInAndQuestionnaireEdited(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openSite(t, db, Config{})
			ctx := context.Background()
			aktobe := s.center("Aktobe family centre")
			coord := s.login("coordinator@birge.example")
			res := s.postForm(coord, "/people", url.Values{"center_id": {strconv.FormatInt(aktobe.ID, 10)},
				"given_name": {"Жанар"}, "family_name": {"Сейітова"}, "phones": {"+77015557777"}}, nil)
			if res.StatusCode != 303 {
				t.Fatalf("registered: %d %s", res.StatusCode, res.Body)
			}
			if err := s.st.CaseRequests.Submit(ctx, "10.0.0.1", birge.CaseRequest{CenterID: aktobe.ID, Lang: "ky",
				Name: "Жанар", Phone: "+77015557777", Contact: birge.ContactCall}, false); err != nil {
				t.Fatal(err)
			}
			l, _ := s.st.CaseRequests.List(ctx, birge.System("t"), store.RequestFilter{})
			path := "/case-requests/" + strconv.FormatInt(l[0].ID, 10)
			page := s.get(coord, path)
			if page.StatusCode != 200 || !strings.Contains(page.Body, `id="duplicates"`) || !strings.Contains(page.Body, "Сейітова") {
				t.Fatalf("the request's page: %d\n%s", page.StatusCode, page.Body)
			}
			m := regexp.MustCompile(`name="person_id" value="(\d+)"`).FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatal("no button to take her in as the person found")
			}
			res = s.postForm(coord, path+"/accept", url.Values{"person_id": {m[1]}}, nil)
			if res.StatusCode != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/cases/") {
				t.Fatalf("taken in: %d %s", res.StatusCode, res.Body)
			}
			if res := s.postForm(coord, path+"/decline", nil, nil); res.StatusCode != 409 {
				t.Errorf("declined after it was taken in: %d", res.StatusCode)
			}

			// A screening on the questionnaire as it was, to see that it keeps its version.
			kase, err := strconv.ParseInt(strings.TrimPrefix(res.Header.Get("Location"), "/cases/"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			k, _ := s.st.Cases.Get(ctx, birge.System("t"), kase)
			old, err := s.st.Screenings.Create(ctx, birge.System("t"), kase, birge.Screening{PersonID: k.PartnerIDs[0],
				Alone: true, Answers: noToAll()})
			if err != nil {
				t.Fatal(err)
			}

			admin := s.login("fpc.admin@birge.example")
			org := strconv.FormatInt(s.org("Family Preservation Centre").ID, 10)
			edit := s.get(admin, "/organizations/"+org+"/screening")
			version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(edit.Body)
			if edit.StatusCode != 200 || version == nil {
				t.Fatalf("the questionnaire page: %d", edit.StatusCode)
			}
			f := questionsForm(nil).(url.Values)
			f.Set("version", version[1])
			f.Del("q6_keep") // stalking retired
			n := strconv.Itoa(len(birge.DefaultQuestions))
			f.Set("q"+n+"_code", "money")
			f.Set("q"+n+"_domain", "coercive_control")
			f.Set("q"+n+"_text_kk", "Ақшаңызды тартып ала ма?")
			f.Set("q"+n+"_text_ru", "Отбирает ли он ваши деньги?")
			f.Set("q"+n+"_text_en", "Does he take your money?")
			res = s.postForm(admin, "/organizations/"+org+"/screening", f, nil)
			if res.StatusCode != 422 || !strings.Contains(res.Body, `id="e-q`+n+`_text_ky"`) {
				t.Fatalf("a question without its Kyrgyz text: %d", res.StatusCode)
			}
			f.Set("q"+n+"_text_ky", "Акчаңызды тартып алабы?")
			if res = s.postForm(admin, "/organizations/"+org+"/screening", f, nil); res.StatusCode != 303 {
				t.Fatalf("saved: %d %s", res.StatusCode, res.Body)
			}
			_, tok := s.token("coordinator@birge.example", "questions")
			q := s.api(tok, http.MethodGet, "/api/v1/screening/questions", nil)
			if q.StatusCode != 200 || !strings.Contains(q.Body, `"code":"money"`) || strings.Contains(q.Body, `"code":"following"`) ||
				strings.Contains(q.Body, `"version_id":`+version[1]+`,`) {
				t.Errorf("the API's questionnaire: %d %s", q.StatusCode, q.Body)
			}
			sg := s.api(tok, http.MethodGet, "/api/v1/cases/"+strconv.FormatInt(kase, 10)+"/screenings", nil)
			if sg.StatusCode != 200 || !strings.Contains(sg.Body, `"version_id":`+strconv.FormatInt(old.VersionID, 10)+`,`) {
				t.Errorf("the old screening's version: %d %s", sg.StatusCode, sg.Body)
			}
			if res := s.get(coord, "/organizations/"+org+"/screening"); res.StatusCode != 403 {
				t.Errorf("the coordinator opens the editor: %d", res.StatusCode)
			}
		})
	}
}

// noToAll answers every default question no.
func noToAll() map[string]bool {
	out := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		out[q.Code] = false
	}
	return out
}

// anyLang reports whether body holds the catalog's text for key in any language.
func anyLang(body, key string) bool {
	for _, lang := range i18n.Langs {
		if strings.Contains(body, html.EscapeString(i18n.For(lang).T(key))) {
			return true
		}
	}
	return false
}
