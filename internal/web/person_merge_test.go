package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/net/html"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// mergeFixtures adds what the authorisation matrix's merge cases need: the Aktobe woman
// registered again (a pair in the queue), records to merge on the page and through the
// API — in Aktobe, and in Bishkek where the viewer sees but may not edit — merges to undo,
// and a record merged away for good.
func mergeFixtures(t *testing.T, s *site, fx *fixture) {
	ctx := context.Background()
	sys := birge.System("test")
	register := func(key, center string, p birge.Person) int64 {
		fx.ids["person:"+key] = s.registerAt(center, p)
		return fx.ids["person:"+key]
	}
	const aktobe, bishkek = "Aktobe family centre", "Bishkek office"
	twin := register("aktobe-twin", aktobe, birge.Person{FamilyName: "Zhumabaeva", GivenName: "Aizhan", BirthDate: "1985-03-15"})
	q, err := s.st.People.DuplicatePairs(ctx, sys, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range q.Items {
		if d.People[0].ID == fx.ids["person:aktobe"] && d.People[1].ID == twin {
			fx.ids["pair:aktobe"] = d.ID
		}
	}
	for _, c := range []struct{ key, center string }{{"merge-web", aktobe}, {"merge-kg", bishkek}, {"merge-api", aktobe},
		{"merge-look", aktobe}, {"merge-lookkg", bishkek}, {"undo-web", aktobe}, {"undo-kg", bishkek}, {"undo-api", aktobe}, {"kept", aktobe}} {
		keep := register(c.key, c.center, birge.Person{FamilyName: "Сейітова", GivenName: "Әлия"})
		other := register(c.key+"-other", c.center, birge.Person{FamilyName: "Seitova", GivenName: "Aliya"})
		if strings.HasPrefix(c.key, "merge-") {
			continue
		}
		m, err := s.st.People.Merge(ctx, sys, keep, other, nil)
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["merge:"+c.key] = m.ID
	}
	fx.ids["person:merged"] = fx.ids["person:kept-other"]
}

// registerAt registers a person at a demo centre, as the system.
func (s *site) registerAt(center string, p birge.Person) int64 {
	s.t.Helper()
	p.CenterID = s.center(center).ID
	p, err := s.st.People.Create(context.Background(), birge.System("test"), p)
	if err != nil {
		s.t.Fatal(err)
	}
	return p.ID
}

func otherJSON(key string) func(fx *fixture) any {
	return func(fx *fixture) any { return fmt.Sprintf(`{"other_id": %d}`, fx.ids[key]) }
}

// checkMerges looks at the records the merge and undo cases aimed at: merged away, or
// back, exactly when the role was allowed to.
func checkMerges(t *testing.T, fx *fixture, col int) {
	for _, c := range []struct {
		pattern, target, key string
		undo                 bool
	}{
		{"POST /people/{id}/merge", "Aktobe", "person:merge-web-other", false},
		{"POST /people/{id}/merge", "Bishkek", "person:merge-kg-other", false},
		{"POST /api/v1/people/{id}/merge", "Aktobe", "person:merge-api-other", false},
		{"POST /people/{id}/merges/{merge}/undo", "Aktobe", "person:undo-web-other", true},
		{"POST /people/{id}/merges/{merge}/undo", "Bishkek", "person:undo-kg-other", true},
		{"POST /api/v1/people/{id}/merges/{merge}/undo", "Aktobe", "person:undo-api-other", true},
	} {
		status := 0
		for _, a := range authzTable[c.pattern] {
			if a.target == c.target {
				status = a.want[col]
			}
		}
		allowed := fx.email != "" && (status == http.StatusOK || status == http.StatusSeeOther)
		_, err := fx.site.st.People.MergedInto(context.Background(), birge.System("test"), fx.ids[c.key])
		if merged := err == nil; merged != (allowed != c.undo) {
			t.Errorf("%s (%s) answered %d, but the record is merged away: %v", c.pattern, c.target, status, merged)
		}
	}
}

// schemaOf is the documented schema of an operation's response.
func schemaOf(t *testing.T, doc *openapi3.T, method, path string, status int) *openapi3.Schema {
	t.Helper()
	op := doc.Paths.Find(path).GetOperation(method)
	resp := op.Responses.Status(status)
	if resp == nil {
		t.Fatalf("%s %s: %d is not documented", method, path, status)
	}
	ct := "application/json"
	if status >= 400 {
		ct = "application/problem+json"
	}
	return resp.Value.Content.Get(ct).Schema.Value
}

// TestMergeAPI: merge and undo through the API, answers that fit the document, and
// refusals with a message per field in the user's language.
func TestMergeAPI(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	doc := loadOpenAPI(t, s)
	_, tok := s.token("coordinator@birge.example", "merge") // Aktobe, speaks Russian
	ru := i18n.For("ru")
	register := func(p birge.Person) int64 { return s.registerAt("Aktobe family centre", p) }
	kept := register(birge.Person{FamilyName: "Жұмабаева", GivenName: "Айжан", IIN: "850315401231", Phones: []string{"+77011234567"}})
	other := register(birge.Person{FamilyName: "Zhumabaeva", GivenName: "Aizhan", Phones: []string{"+77771002030"}, Categories: []string{"dv_survivor"}})
	twin := register(birge.Person{GivenName: "Айжан", IIN: "921108401006"})
	path := fmt.Sprintf("/api/v1/people/%d/merge", kept)
	fits := func(what, method, pattern string, res *response, v any) {
		t.Helper()
		decodeJSON(t, res, v)
		var raw any
		decodeJSON(t, res, &raw)
		if err := doc.ValidateSchemaJSON(schemaOf(t, doc, method, pattern, res.StatusCode), raw, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%s: the answer does not fit the documented schema: %v\n%s", what, err, res.Body)
		}
	}

	for _, c := range []struct {
		body, field, key string
		status           int
	}{
		{`{"other_id": ` + strconv.FormatInt(twin, 10) + `}`, "iin", "merge.identity_differs", 422},
		{`{}`, "other_id", "field.required", 422},
		{`{"other_id": "one"}`, "other_id", "field.type", 422},
		{`{"other_id": ` + strconv.FormatInt(kept, 10) + `}`, "other_id", "merge.same", 422},
		{`{"other_id": 1`, "", "", 400},
		{`{"other_id": ` + strconv.FormatInt(other, 10) + `, "choices": {"iin": "other"}}`, "choices.iin", "merge.choice_unknown", 422},
		{`{"other_id": ` + strconv.FormatInt(other, 10) + `, "choices": {"patronymic": "other"}}`, "choices.patronymic", "merge.choice_same", 422},
	} {
		res := s.api(tok, http.MethodPost, path, c.body)
		var p problem
		fits(c.body, http.MethodPost, "/api/v1/people/{id}/merge", res, &p)
		if res.StatusCode != c.status || (c.field != "" && p.Errors[c.field] != ru.T(c.key)) {
			t.Errorf("merge with %s: %d %v, want %d with %q on %s", c.body, res.StatusCode, p.Errors, c.status, ru.T(c.key), c.field)
		}
	}

	res := s.api(tok, http.MethodPost, path, map[string]any{"other_id": other, "choices": map[string]string{"family_name": "other"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("merge: %d\n%s", res.StatusCode, res.Body)
	}
	var merged struct {
		MergeID int64        `json:"merge_id"`
		Person  birge.Person `json:"person"`
	}
	fits("merge", http.MethodPost, "/api/v1/people/{id}/merge", res, &merged)
	if merged.MergeID == 0 || merged.Person.ID != kept || len(merged.Person.Phones) != 2 || len(merged.Person.Categories) != 1 ||
		merged.Person.FamilyName != "Zhumabaeva" {
		t.Errorf("merged: %+v", merged)
	}
	if res := s.api(tok, http.MethodGet, fmt.Sprintf("/api/v1/people/%d", other), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET the merged record: %d, want 404", res.StatusCode)
	}

	undo := fmt.Sprintf("/api/v1/people/%d/merges/%d/undo", kept, merged.MergeID)
	res = s.api(tok, http.MethodPost, undo, nil)
	var p birge.Person
	fits("undo", http.MethodPost, "/api/v1/people/{id}/merges/{merge}/undo", res, &p)
	if res.StatusCode != http.StatusOK || p.ID != kept || len(p.Phones) != 1 || len(p.Categories) != 0 || p.FamilyName != "Жұмабаева" {
		t.Errorf("undo: %d %+v", res.StatusCode, p)
	}
	res = s.api(tok, http.MethodPost, undo, nil)
	var prob problem
	fits("undo again", http.MethodPost, "/api/v1/people/{id}/merges/{merge}/undo", res, &prob)
	if res.StatusCode != http.StatusUnprocessableEntity || prob.Detail != ru.T("merge.undone") {
		t.Errorf("undo again: %d %+v, want 422 saying %q", res.StatusCode, prob, ru.T("merge.undone"))
	}
	if res := s.api(tok, http.MethodPost, fmt.Sprintf("/api/v1/people/%d/merges/%d/undo", other, merged.MergeID), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("undo through the other record: %d, want 404", res.StatusCode)
	}
}

// TestMergePages: the queue, a refused merge explained on it, the merge, the merged
// record's address leading to the kept one, and an undo refused on her page.
func TestMergePages(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx := context.Background()
	sys := birge.System("t")
	ru := i18n.For("ru")
	register := func(p birge.Person) int64 { return s.registerAt("Aktobe family centre", p) }
	kept := register(birge.Person{FamilyName: "Жұмабаева", GivenName: "Айжан", IIN: "850315401231"})
	other := register(birge.Person{FamilyName: "Zhumabaeva", GivenName: "Aizhan", BirthDate: "1985-03-15"})
	twin := register(birge.Person{GivenName: "Айжан", IIN: "921108401006"})
	third := register(birge.Person{GivenName: "Айжан"})
	c := s.login("coordinator@birge.example")

	res := s.get(c, "/people/duplicates")
	doc := parseHTML(t, res.Body)
	if res.StatusCode != http.StatusOK || findAll(doc, func(n *html.Node) bool { return strings.HasPrefix(attr(n, "id"), "pair-") }) == nil ||
		!strings.Contains(res.Body, "Zhumabaeva Aizhan") || !strings.Contains(res.Body, ru.T("person.reason.name_birth")) {
		t.Fatalf("the queue does not show the pair: %d\n%s", res.StatusCode, res.Body)
	}
	if res := s.get(s.login("caseworker@birge.example"), "/people/duplicates"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Zhumabaeva") {
		t.Errorf("the Kargaly case worker's queue: %d, shows the Aktobe pair: %v", res.StatusCode, strings.Contains(res.Body, "Zhumabaeva"))
	}

	mergeInto := fmt.Sprintf("/people/%d/merge", kept)
	for other, key := range map[string]string{"": "field.required", "abc": "field.required", strconv.FormatInt(twin, 10): "merge.identity_differs"} {
		res := s.postForm(c, mergeInto, url.Values{"other_id": {other}}, nil)
		problems := first(parseHTML(t, res.Body), byID("merge-problems"))
		if res.StatusCode != http.StatusUnprocessableEntity || problems == nil || !strings.Contains(text(problems), ru.T(key)) {
			t.Errorf("merge with %q: %d, want 422 saying %q", other, res.StatusCode, ru.T(key))
		}
	}

	for _, o := range []int64{other, third} {
		if res := s.postForm(c, mergeInto, url.Values{"other_id": {strconv.FormatInt(o, 10)}}, nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("merge %d: %d\n%s", o, res.StatusCode, res.Body)
		}
	}
	res = s.get(c, fmt.Sprintf("/people/%d", other))
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != fmt.Sprintf("/people/%d", kept) {
		t.Errorf("the merged record's address: %d → %q, want the kept record", res.StatusCode, loc)
	}
	res = s.get(c, fmt.Sprintf("/people/%d", kept))
	merges := first(parseHTML(t, res.Body), byID("merges"))
	if merges == nil || !strings.Contains(text(merges), "Zhumabaeva Aizhan") {
		t.Fatalf("her page does not list the merges:\n%s", res.Body)
	}
	undos := findAll(merges, byTag("form"))
	if len(undos) != 1 {
		t.Fatalf("%d undo buttons, want one, for the newest merge", len(undos))
	}
	ms, _ := s.st.People.Merges(ctx, sys, kept)
	older := fmt.Sprintf("/people/%d/merges/%d/undo", kept, ms[1].ID)
	res = s.postForm(c, older, url.Values{}, nil)
	if e := first(parseHTML(t, res.Body), func(n *html.Node) bool { return attr(n, "class") == "form-error" }); res.StatusCode != http.StatusUnprocessableEntity || e == nil ||
		text(e) != ru.T("merge.not_latest") {
		t.Errorf("undo of the older merge: %d, want 422 saying %q", res.StatusCode, ru.T("merge.not_latest"))
	}
	if res := s.postForm(c, attr(undos[0], "action"), url.Values{}, nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("undo of the newest merge: %d", res.StatusCode)
	}
}
