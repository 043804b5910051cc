package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/net/html"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// byClass matches elements carrying a class.
func byClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		return n.Type == html.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), class)
	}
}

// namesCentre reports whether text names the centre in one of the four languages.
func namesCentre(text string, c birge.Center) bool {
	for _, l := range i18n.Langs {
		if strings.Contains(text, c.Names.In(l)) {
			return true
		}
	}
	return false
}

// One IIN, one woman, where users meet it: the form refuses an IIN held by a record in
// another centre, ticked "she is someone else" or not, naming only that centre; so does
// the API, on POST and on PATCH. Dinara (demo) is registered in Aktobe with 921107404560;
// the Kargaly case worker may not see her.
func TestIINHeldIsRefused(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openSite(t, db, Config{})
			aktobe, kargaly := s.center("Aktobe family centre"), s.center("Kargaly district office")
			c := s.login("caseworker@birge.example")
			form := url.Values{"center_id": {strconv.FormatInt(kargaly.ID, 10)}, "family_name": {"Серікова"},
				"given_name": {"Гүлнар"}, "iin": {"921107404560"}, "phones": {"8 701 555 44 33"}}
			for _, tick := range []string{"", "1"} {
				form.Set("not_duplicate", tick)
				res := s.postForm(c, "/people", form, nil)
				if res.StatusCode != http.StatusConflict {
					t.Fatalf("form, tick %q: %d, want 409", tick, res.StatusCode)
				}
				doc := parseHTML(t, res.Body)
				p := i18n.For(htmlLang(t, res.Body))
				if e := first(doc, byID("e-iin")); e == nil || text(e) != p.T("person.identity_taken") {
					t.Fatalf("form, tick %q: no message beside the IIN", tick)
				}
				if alert := first(doc, byClass("form-error")); alert == nil || !namesCentre(text(alert), aktobe) {
					t.Fatalf("form, tick %q: the refusal does not name Aktobe", tick)
				}
				if strings.Contains(res.Body, "Омарова") || strings.Contains(res.Body, "Динара") ||
					strings.Contains(res.Body, `name="not_duplicate"`) {
					t.Fatalf("form, tick %q: names her, or offers to register her anyway", tick)
				}
			}
			_, tok := s.token("caseworker@birge.example", "iin")
			body := map[string]any{"center_id": kargaly.ID, "given_name": "Гүлнар", "iin": "921107404560"}
			res := s.api(tok, http.MethodPost, "/api/v1/people", body)
			var prob struct {
				Detail string            `json:"detail"`
				Errors map[string]string `json:"errors"`
			}
			decodeJSON(t, res, &prob)
			if res.StatusCode != http.StatusConflict || prob.Errors["iin"] == "" || !namesCentre(prob.Detail, aktobe) ||
				strings.Contains(res.Body, "Динара") {
				t.Fatalf("POST: %d %s, want 409 naming Aktobe only", res.StatusCode, res.Body)
			}
			if l, _ := s.st.People.List(t.Context(), birge.System("t"), store.PeopleFilter{Q: "Серікова"}); len(l.Items) != 0 {
				t.Fatalf("a refused record was saved")
			}
			// Her own record may take an IIN no one holds, and not Dinara's.
			delete(body, "iin")
			res = s.api(tok, http.MethodPost, "/api/v1/people", body)
			var created birge.Person
			decodeJSON(t, res, &created)
			if res.StatusCode != http.StatusCreated {
				t.Fatalf("POST without IIN: %d %s", res.StatusCode, res.Body)
			}
			path := "/api/v1/people/" + strconv.FormatInt(created.ID, 10)
			res = s.api(tok, http.MethodPatch, path, map[string]any{"iin": "921107404560"})
			if res.StatusCode != http.StatusConflict || strings.Contains(res.Body, "Динара") {
				t.Fatalf("PATCH to her IIN: %d %s, want 409", res.StatusCode, res.Body)
			}
		})
	}
}

// Two PATCHes at once never lose one: each sets its own field, and every field is there
// at the end. A PATCH on a version that is not the current one (If-Match) is a 409, as
// is an edit form saved over someone else's newer save.
func TestConcurrentPatches(t *testing.T) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := openSite(t, db, Config{})
			_, tok := s.token("coordinator@birge.example", "patch")
			aktobe := s.center("Aktobe family centre")
			res := s.api(tok, http.MethodPost, "/api/v1/people", map[string]any{"center_id": aktobe.ID, "given_name": "Меруерт"})
			var p birge.Person
			decodeJSON(t, res, &p)
			path := "/api/v1/people/" + strconv.FormatInt(p.ID, 10)
			fields := []string{"family_name", "patronymic", "settlement", "call_times", "email"}
			for round := range 3 {
				var wg sync.WaitGroup
				status := make([]int, len(fields))
				for i, f := range fields {
					value := fmt.Sprintf("r%dx%d", round, i)
					if f == "email" {
						value += "@example.kz"
					}
					wg.Go(func() {
						status[i] = s.api(tok, http.MethodPatch, path, map[string]any{f: value}).StatusCode
					})
				}
				wg.Wait()
				var got map[string]any
				decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &got)
				for i, f := range fields {
					if status[i] != http.StatusOK {
						t.Fatalf("round %d: PATCH %s: %d", round, f, status[i])
					}
					if v, _ := got[f].(string); !strings.HasPrefix(v, fmt.Sprintf("r%dx%d", round, i)) {
						t.Fatalf("round %d: %s is %q: a PATCH was lost", round, f, v)
					}
				}
			}

			// 32 at once on one record: each is laid over the one before, none refused.
			var wg sync.WaitGroup
			burst := make([]int, 32)
			for i := range burst {
				wg.Go(func() {
					burst[i] = s.api(tok, http.MethodPatch, path, map[string]any{"call_times": fmt.Sprintf("%02d:00", i%24)}).StatusCode
				})
			}
			wg.Wait()
			for i, st := range burst {
				if st != http.StatusOK {
					t.Fatalf("PATCH %d of 32 at once: %d", i, st)
				}
			}

			// If-Match: the version read, or a 409.
			res = s.api(tok, http.MethodGet, path, nil)
			etag := res.Header.Get("ETag")
			if etag == "" {
				t.Fatal("GET gave no ETag")
			}
			if res := s.api(tok, http.MethodPatch, path, map[string]any{"settlement": "Ақтөбе"}); res.StatusCode != http.StatusOK {
				t.Fatalf("PATCH: %d", res.StatusCode)
			}
			stale := s.do(nil, http.MethodPatch, path, `{"settlement": "Қарғалы"}`,
				http.Header{"Authorization": {"Bearer " + tok}, "If-Match": {etag}})
			if stale.StatusCode != http.StatusConflict {
				t.Fatalf("PATCH on a stale If-Match: %d, want 409", stale.StatusCode)
			}
			var now birge.Person
			decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &now)
			if now.Settlement != "Ақтөбе" {
				t.Fatalf("the refused PATCH was saved: %q", now.Settlement)
			}

			// The edit form carries the version it showed.
			c := s.login("coordinator@birge.example")
			edit := parseHTML(t, s.get(c, "/people/"+strconv.FormatInt(p.ID, 10)+"/edit").Body)
			values := url.Values{}
			for _, in := range findAll(edit, byTag("input")) {
				if name := attr(in, "name"); name != "" && attr(in, "type") != "checkbox" {
					values.Set(name, attr(in, "value"))
				}
			}
			values.Set("center_id", strconv.FormatInt(aktobe.ID, 10))
			if values.Get("updated_at") == "" {
				t.Fatal("the edit form carries no version")
			}
			if res := s.api(tok, http.MethodPatch, path, map[string]any{"settlement": "Шалқар"}); res.StatusCode != http.StatusOK {
				t.Fatalf("PATCH: %d", res.StatusCode)
			}
			values.Set("settlement", "Қарғалы")
			res = s.postForm(c, "/people/"+strconv.FormatInt(p.ID, 10), values, nil)
			if res.StatusCode != http.StatusConflict {
				t.Fatalf("saving the form over a newer version: %d, want 409", res.StatusCode)
			}
			lang := i18n.For(htmlLang(t, res.Body))
			if alert := first(parseHTML(t, res.Body), byClass("form-error")); alert == nil || text(alert) != lang.T("person.changed_meanwhile") {
				t.Fatal("the form does not say her record changed meanwhile")
			}
			decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &now)
			if now.Settlement != "Шалқар" {
				t.Fatalf("the stale form was saved: %q", now.Settlement)
			}
		})
	}
}
