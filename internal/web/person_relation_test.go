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
	"github.com/birge-org/birge/internal/store"
)

// demoPerson finds a demo person by name, as the system.
func demoPerson(t *testing.T, s *site, q string) birge.Person {
	t.Helper()
	l, err := s.st.People.List(context.Background(), birge.System("t"), store.PeopleFilter{Q: q})
	if err != nil || len(l.Items) != 1 {
		t.Fatalf("demo person %q: %v, %v", q, l.Items, err)
	}
	p, err := s.st.People.Get(context.Background(), birge.System("t"), l.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Whatever is typed into the relative search on her page, and whatever is posted as
// the relative and the kind, the page answers with the search shown back and a message
// beside the field — never a 500, never a broken page, never a link made.
func TestRelativeFormsNaughtyStrings(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	c := s.login("coordinator@birge.example") // Russian
	ru := i18n.For("ru")
	allowed := textRefusals("ru")
	dinara := demoPerson(t, s, "Динара")
	path := "/people/" + strconv.FormatInt(dinara.ID, 10)
	choose := ru.T("field.choose")
	linkMessages := map[string]bool{choose: true, ru.T("person.relation_self"): true, ru.T("relation.exists"): true}
	for _, v := range naughtyStrings(t) {
		res := s.get(c, path+"?relative="+url.QueryEscape(v))
		doc := parseHTML(t, res.Body)
		checkScripts(t, doc, "relative search for "+strconv.Quote(v))
		switch res.StatusCode {
		case http.StatusOK:
		case http.StatusUnprocessableEntity:
			if e := first(doc, byID("e-relative")); e == nil || !allowed[text(e)] {
				t.Errorf("search for %q refused without a message beside the field", v)
			}
		default:
			t.Fatalf("search for %q: status %d\n%.1000s", v, res.StatusCode, res.Body)
		}
		if in := first(doc, byID("f-relative")); in == nil || attr(in, "value") != v {
			t.Errorf("search for %q: the box does not show what was typed", v)
		}

		res = s.postForm(c, path+"/relations", url.Values{"relative": {v}, "kind": {v}, "other_id": {v}}, nil)
		doc = parseHTML(t, res.Body)
		checkScripts(t, doc, "relation refused for "+strconv.Quote(v))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("relation of kind %q: status %d\n%.1000s", v, res.StatusCode, res.Body)
		}
		if e := first(doc, byID("e-kind")); e == nil || text(e) != choose {
			t.Errorf("relation of kind %q: no message beside the kind", v)
		}
		if e := first(doc, byID("e-other_id")); e != nil && !linkMessages[text(e)] {
			t.Errorf("relative %q: refused with %q", v, text(e))
		}
	}
	if now := demoPerson(t, s, "Динара"); len(now.Relations) != len(dinara.Relations) {
		t.Errorf("refused links were made: %v, was %v", now.Relations, dinara.Relations)
	}
}

// Her page shows her history a page at a time, and a trainer's copy of it never says
// that a sensitive category changed.
func TestPersonPageTimeline(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx := context.Background()
	sys := birge.System("t")
	// A woman of Mama Pro Almaty, where the trainer works, with nothing else on her
	// timeline (the demo's women have services on theirs).
	olga, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: s.center("Mama Pro Almaty").ID,
		FamilyName: "Ким", GivenName: "Ольга", Phones: []string{"+77775550303"}, MayCall: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 24 { // call times changed 23 times, and once a sensitive category
		if i == 20 {
			olga.Categories = append(olga.Categories, "dv_survivor")
		} else {
			olga.CallTimes = strings.Repeat("9", i+1)
		}
		var err error
		if olga, err = s.st.People.Update(ctx, sys, olga); err != nil {
			t.Fatal(err)
		}
	}
	path := "/people/" + strconv.FormatInt(olga.ID, 10)
	rows := func(c *http.Client, path string) (int, string, string) {
		res := s.get(c, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		doc := parseHTML(t, res.Body)
		tl := first(doc, byID("timeline"))
		older := first(tl, func(n *html.Node) bool { return n.Data == "a" && attr(n, "rel") == "next" })
		next := ""
		if older != nil {
			next = attr(older, "href")
		}
		return len(findAll(tl, byTag("tr"))) - 1, text(tl), next
	}
	kk := i18n.For("kk")
	sensitive := kk.T("timeline.field.sensitive_categories")
	admin, trainer := s.login("admin@birge.example"), s.login("trainer@birge.example") // both Kazakh
	n, all, next := rows(admin, path)
	if n != timelinePage || !strings.Contains(all, sensitive) || !strings.HasPrefix(next, path+"?before=") {
		t.Errorf("the administrator's first page: %d rows, older %q:\n%s", n, next, all)
	}
	n, all, next = rows(trainer, path)
	if n != timelinePage || strings.Contains(all, sensitive) || !strings.Contains(all, kk.T("person.safe_contact")) {
		t.Errorf("the trainer's first page: %d rows:\n%s", n, all)
	}
	// Her registration and the 23 changes she may see.
	if n, all, last := rows(trainer, next); n != 4 || last != "" || !strings.Contains(all, kk.T("timeline.create")) {
		t.Errorf("the trainer's second page: %d rows, older %q:\n%s", n, last, all)
	}
	if res := s.get(trainer, path+"?before=nonsense"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a made-up cursor: %d, want 422", res.StatusCode)
	}
}

// The API links and unlinks relatives with the same rules; what it answers fits the
// OpenAPI document, and a refusal names the field in the token user's language.
func TestRelationAPI(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	doc := loadOpenAPI(t, s)
	_, tok := s.token("coordinator@birge.example", "relations") // Russian
	ru := i18n.For("ru")
	dinara, saule := demoPerson(t, s, "Динара"), demoPerson(t, s, "Сәуле") // Aktobe; Kargaly, out of sight
	child, err := s.st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: dinara.CenterID, FamilyName: "Омаров", GivenName: "Тимур"})
	if err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/people/" + strconv.FormatInt(dinara.ID, 10) + "/relations"
	op := doc.Paths.Find("/api/v1/people/{id}/relations").Post

	res := s.api(tok, http.MethodPost, path, fmt.Sprintf(`{"kind": "child", "other_id": %d}`, child.ID))
	var rel birge.Relation
	decodeJSON(t, res, &rel)
	if res.StatusCode != http.StatusCreated || rel.ID == 0 || rel.OtherID != child.ID || rel.Kind != "child" || rel.Name != "Омаров Тимур" {
		t.Fatalf("POST %s: %d %+v", path, res.StatusCode, rel)
	}
	var body any
	decodeJSON(t, res, &body)
	schema := op.Responses.Status(http.StatusCreated).Value.Content.Get("application/json").Schema.Value
	if err := doc.ValidateSchemaJSON(schema, body, openapi3.EnableJSONSchema2020()); err != nil {
		t.Errorf("the created relation does not fit the document: %v", err)
	}

	for _, c := range []struct{ body, field, key string }{
		{fmt.Sprintf(`{"kind": "spouse", "other_id": %d}`, saule.ID), "other_id", "field.choose"},
		{`{"kind": "spouse", "other_id": 999999}`, "other_id", "field.choose"},
		{fmt.Sprintf(`{"kind": "spouse", "other_id": %d}`, dinara.ID), "other_id", "person.relation_self"},
		{fmt.Sprintf(`{"kind": "parent", "other_id": %d}`, child.ID), "other_id", "relation.exists"},
		{fmt.Sprintf(`{"kind": "aunt", "other_id": %d}`, saule.ID), "kind", "field.choose"},
		{`{"kind": "child", "other_id": "7"}`, "other_id", "field.type"},
		{`{"kind": "child", "other": 7}`, "other", "field.unknown"},
	} {
		res := s.api(tok, http.MethodPost, path, c.body)
		var p problem
		decodeJSON(t, res, &p)
		if res.StatusCode != http.StatusUnprocessableEntity || p.Errors[c.field] != ru.T(c.key) {
			t.Errorf("POST %s: %d %v, want 422 with %q on %s", c.body, res.StatusCode, p.Errors, ru.T(c.key), c.field)
		}
	}

	del := path + "/" + strconv.FormatInt(rel.ID, 10)
	if res := s.api(tok, http.MethodDelete, del, nil); res.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE %s: %d\n%s", del, res.StatusCode, res.Body)
	}
	if res := s.api(tok, http.MethodDelete, del, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("DELETE %s again: %d, want 404", del, res.StatusCode)
	}
}
