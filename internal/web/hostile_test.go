package web

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// eachSite runs fn on a site over every available database.
func eachSite(t *testing.T, cfg Config, fn func(t *testing.T, s *site)) {
	for _, db := range testenv.Databases(t) {
		t.Run(db.Name, func(t *testing.T) { fn(t, openSite(t, db, cfg)) })
	}
}

type problemDoc struct {
	Status int               `json:"status"`
	Detail string            `json:"detail"`
	Errors map[string]string `json:"errors"`
	Report store.ImportReport
}

func problemOf(t *testing.T, res *response) problemDoc {
	t.Helper()
	var p problemDoc
	if res.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal([]byte(res.Body), &p) != nil {
		t.Fatalf("%d %s: not a problem document: %s", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
	}
	return p
}

// The file: 9.9 MB, a million empty heading columns. It was accepted and its
// page then took 110 s and 1.18 GB of HTML; now the upload is refused beside the file
// field, in the user's language, on the page and in the API, and nothing is recorded.
func TestImportRefusesWideFile(t *testing.T) {
	wide := []byte(strings.Repeat(",", 1_000_000) + "Имя\n" + strings.Repeat(",", 1_000_000) + "Айжан\n")
	eachSite(t, Config{}, func(t *testing.T, s *site) {
		c := s.login("coordinator@birge.example")
		centre := strconv.FormatInt(s.center("Aktobe family centre").ID, 10)
		var before int
		s.st.DB().QueryRow(`SELECT COUNT(*) FROM imports`).Scan(&before)

		res := s.do(c, "POST", "/people/import", upload{fields: map[string]string{"center_id": centre}, name: "wide.csv", content: wide}, nil)
		want := i18n.For(htmlLang(t, res.Body)).T("import.too_many_columns")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, want) || len(res.Body) > 64<<10 {
			t.Errorf("page upload: %d, %d bytes, want 422 with %q", res.StatusCode, len(res.Body), want)
		}

		_, tok := s.token("coordinator@birge.example", "wide")
		res = s.do(nil, "POST", "/api/v1/people/import", upload{fields: map[string]string{"center_id": centre}, name: "wide.csv", content: wide},
			http.Header{"Authorization": {"Bearer " + tok}, "Accept-Language": {"ru"}})
		if p := problemOf(t, res); res.StatusCode != http.StatusUnprocessableEntity || p.Errors["file"] == "" ||
			p.Errors["file"] == "import.too_many_columns" {
			t.Errorf("API upload: %d %v", res.StatusCode, p.Errors)
		}
		var after int
		s.st.DB().QueryRow(`SELECT COUNT(*) FROM imports`).Scan(&after)
		if after != before {
			t.Errorf("%d imports recorded", after-before)
		}
	})
}

// A name of nothing visible is no name, through the API and through an import alike;
// invalid UTF-8 is refused rather than stored as U+FFFD; a body that is not declared as
// JSON is a 415, one too large a 413, each a problem document; nobody is written.
func TestAPIRefusesHostileBodies(t *testing.T) {
	eachSite(t, Config{}, func(t *testing.T, s *site) {
		_, tok := s.token("coordinator@birge.example", "bodies")
		auth := http.Header{"Authorization": {"Bearer " + tok}}
		centre := strconv.FormatInt(s.center("Aktobe family centre").ID, 10)
		person := func(name string) string {
			return `{"center_id": ` + centre + `, "family_name": "Серікова", "given_name": "` + name + `"}`
		}
		send := func(ctype, body string) *response {
			req, _ := http.NewRequest("POST", s.URL+"/api/v1/people", strings.NewReader(body))
			req.Header.Set("Authorization", auth.Get("Authorization"))
			if ctype != "" {
				req.Header.Set("Content-Type", ctype)
			}
			res, err := s.client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return &response{StatusCode: res.StatusCode, Header: res.Header, Body: string(b)}
		}
		before := peopleCount(t, s)
		for _, c := range []struct {
			name, ctype, body string
			status            int
			field             string
		}{
			{"a zero-width space for a name", "application/json", person(`\u200b`), 422, "given_name"},
			{"joiners and a byte-order mark", "application/json", person("\u200c\u200d\ufeff "), 422, "given_name"},
			{"invalid UTF-8", "application/json", person("Ай\xd0жан"), 400, ""},
			{"no content type", "", person("Айжан"), 415, ""},
			{"text/plain", "text/plain", person("Айжан"), 415, ""},
			{"JSON in another charset", "application/json; charset=windows-1251", person("Айжан"), 415, ""},
			{"a body over 1 MB", "application/json", person(strings.Repeat("а", 1<<20)), 413, ""},
		} {
			res := send(c.ctype, c.body)
			p := problemOf(t, res)
			if res.StatusCode != c.status || p.Status != c.status || p.Detail == "" || c.field != "" && p.Errors[c.field] == "" {
				t.Errorf("%s: %d %s", c.name, res.StatusCode, res.Body)
			}
		}
		// The same empty name in a file is refused on its row.
		res := s.do(nil, "POST", "/api/v1/people/import", upload{fields: map[string]string{"center_id": centre}, name: "p.csv",
			content: []byte("family_name,given_name\nСерікова,\u200b\n")}, auth)
		if p := problemOf(t, res); res.StatusCode != 422 || p.Report.BadRows != 1 || p.Report.Problems[0].Field != "given_name" {
			t.Errorf("import of an invisible name: %d %s", res.StatusCode, res.Body)
		}
		if n := peopleCount(t, s); n != before {
			t.Errorf("%d people written", n-before)
		}
		if res := send("application/json", person("Айжан")); res.StatusCode != 201 {
			t.Errorf("a plain person: %d %s", res.StatusCode, res.Body)
		}
	})
}

// With every import worker busy, an uploaded file waits its turn: its page says so in
// the user's language and the API's status says "queued"; it is checked once a worker
// is free.
func TestImportQueued(t *testing.T) {
	eachSite(t, Config{ImportWorkers: 1}, func(t *testing.T, s *site) {
		c := s.login("coordinator@birge.example")
		_, tok := s.token("coordinator@birge.example", "queue")
		release, err := s.srv.imports.Acquire(context.Background()) // the only worker
		if err != nil {
			t.Fatal(err)
		}
		res := s.do(c, "POST", "/people/import", upload{fields: map[string]string{"center_id": strconv.FormatInt(s.center("Aktobe family centre").ID, 10)},
			name: "people.csv", content: []byte("Фамилия;Имя\nСейітова;Гүлнар\n")}, nil)
		if res.StatusCode != http.StatusSeeOther {
			release()
			t.Fatalf("upload: %d %s", res.StatusCode, res.Body)
		}
		page := s.get(c, res.Header.Get("Location"))
		id := strings.TrimPrefix(res.Header.Get("Location"), "/imports/")
		status := s.api(tok, "GET", "/api/v1/imports/"+id, nil)
		release()
		want := i18n.For(htmlLang(t, page.Body)).T("import.queued")
		if n := first(parseHTML(t, page.Body), byID("import-status")); n == nil || !strings.Contains(text(n), want) {
			t.Errorf("the page of a queued import lacks %q:\n%s", want, page.Body)
		}
		var st api.ImportStatus
		decodeJSON(t, status, &st)
		if status.StatusCode != 200 || st.State != store.ImportChecking || st.Progress == nil || st.Progress.Stage != api.StageQueued {
			t.Errorf("API status of a queued import: %d %s", status.StatusCode, status.Body)
		}
		s.srv.WaitImports()
		status = s.api(tok, "GET", "/api/v1/imports/"+id, nil)
		st = api.ImportStatus{}
		decodeJSON(t, status, &st)
		if st.State != store.ImportChecked || st.Progress != nil || st.Report == nil || st.Report.Rows != 1 {
			t.Errorf("API status once checked: %s", status.Body)
		}
	})
}
