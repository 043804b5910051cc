package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// TestMergeScreen: the comparison of two records in the coordinator's language, her
// identity number masked, a choice only where the records differ (defaulting to what
// the kept record would take), a refused choice explained on its row, and the merge
// taking the chosen values. Out of sight, the screen is not found.
func TestMergeScreen(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ru := i18n.For("ru")
	register := func(p birge.Person) int64 { return s.registerAt("Aktobe family centre", p) }
	kept := register(birge.Person{FamilyName: "Жұмабаева", GivenName: "Айжан", IIN: "850315401231", Email: "old@example.kz"})
	other := register(birge.Person{FamilyName: "Zhumabaeva", GivenName: "Айжан", Patronymic: "Serikovna", Email: "new@example.kz"})
	c := s.login("coordinator@birge.example")
	screen := fmt.Sprintf("/people/%d/merge?other=%d", kept, other)

	res := s.get(c, screen)
	doc := parseHTML(t, res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the screen: %d\n%s", res.StatusCode, res.Body)
	}
	table := first(doc, byID("merge-compare"))
	if table == nil {
		t.Fatalf("no comparison table:\n%s", res.Body)
	}
	for _, label := range []string{ru.T("merge.kept"), ru.T("merge.other"), ru.T("person.family_name"), ru.T("merge.identity"),
		ru.T("person.safe_contact"), "Zhumabaeva Айжан Serikovna"} {
		if !strings.Contains(text(table), label) {
			t.Errorf("the comparison lacks %q", label)
		}
	}
	masked := birge.Identity{Number: "850315401231"}.Masked()
	if row := first(doc, byID("row-choices.identity")); row == nil || !strings.Contains(text(row), masked) || strings.Contains(res.Body, "850315401231") {
		t.Errorf("the identity row does not show %q masked, or the page shows the number in full", masked)
	}
	checked := func(doc *html.Node, field string) string {
		for _, in := range findAll(doc, byTag("input")) {
			if attr(in, "name") == "choices."+field && hasAttr(in, "checked") {
				return attr(in, "value")
			}
		}
		return ""
	}
	for field, want := range map[string]string{"family_name": "kept", "patronymic": "other", "email": "kept", "given_name": ""} {
		if got := checked(doc, field); got != want {
			t.Errorf("%s: the choice checked is %q, want %q", field, got, want)
		}
	}
	if moves := first(doc, byID("merge-moves")); moves == nil || !strings.Contains(text(moves), ru.T("merge.moves.consents")+": 0") {
		t.Errorf("the screen does not list what moves anyway")
	}
	if swap := first(doc, byID("merge-swap")); swap == nil || attr(swap, "href") != fmt.Sprintf("/people/%d/merge?other=%d", other, kept) {
		t.Errorf("the swap link is not the screen the other way round")
	}

	for who, want := range map[string]int{"caseworker@birge.example": http.StatusNotFound, "analyst@birge.example": http.StatusNotFound} {
		if res := s.get(s.login(who), screen); res.StatusCode != want {
			t.Errorf("%s opens the screen: %d, want %d", who, res.StatusCode, want)
		}
	}
	if res := s.get(c, fmt.Sprintf("/people/%d/merge", kept)); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, ru.T("merge.no_other")) {
		t.Errorf("the screen without the other record: %d, want 422 saying %q", res.StatusCode, ru.T("merge.no_other"))
	}

	// Her page leads to the screen: "merge with…" asks for the other record's number.
	page := parseHTML(t, s.get(c, fmt.Sprintf("/people/%d", kept)).Body)
	form := first(page, byID("merge-with"))
	if form == nil || first(form, func(n *html.Node) bool {
		return n.Data == "form" && attr(n, "action") == fmt.Sprintf("/people/%d/merge", kept) &&
			attr(n, "method") == "get"
	}) == nil || first(form, byID("f-other")) == nil || !strings.Contains(text(form), ru.T("merge.with")) {
		t.Errorf("her page has no \"merge with\" form leading to the screen")
	}
	if n := first(page, byID("record-number")); n == nil || text(n) != fmt.Sprint(kept) {
		t.Errorf("her page does not show her record number")
	}

	post := fmt.Sprintf("/people/%d/merge", kept)
	res = s.postForm(c, post, url.Values{"other_id": {fmt.Sprint(other)}, "choices.family_name": {"other"}, "choices.given_name": {"other"}}, nil)
	doc = parseHTML(t, res.Body)
	if e := first(doc, byID("e-choices.given_name")); res.StatusCode != http.StatusUnprocessableEntity || e == nil || text(e) != ru.T("merge.choice_same") {
		t.Errorf("a choice where the records agree: %d, want 422 saying %q beside the row", res.StatusCode, ru.T("merge.choice_same"))
	}
	if got := checked(doc, "family_name"); got != "other" {
		t.Errorf("after the refusal the family name's choice is %q, want the one posted", got)
	}
	res = s.postForm(c, post, url.Values{"other_id": {fmt.Sprint(other)}, "choices.family_name": {"other"},
		"choices.patronymic": {"kept"}, "choices.email": {"other"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the merge: %d\n%s", res.StatusCode, res.Body)
	}
	p, err := s.st.People.Get(context.Background(), birge.System("t"), kept)
	if err != nil || p.FamilyName != "Zhumabaeva" || p.Patronymic != "" || p.Email != "new@example.kz" {
		t.Errorf("the kept record after the merge: %+v, %v", p, err)
	}
}
