package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A coordinator registers a boy, finds him from his mother's page and links him as her
// child: forgetting to say how they are related is a message beside the field, in
// Russian, and the choice made is kept. The link shows on both pages and in both
// histories; removed, it is gone from both pages and the removal is in the history.
func TestAddRelativeBySearch(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example" // Aktobe centre, in Russian
	ru := i18n.For("ru")
	p.login(coordinator, srv.password(t, coordinator))

	p.open("/people/new")
	p.typeInto("f-family_name", "Омаров")
	p.typeInto("f-given_name", "Тимур")
	if resp := p.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("register the boy: status %d; the page says:\n%s", resp.Status, p.body())
	}
	child := p.location().Path
	childID := strings.TrimPrefix(child, "/people/")

	p.open("/people?q=Динара")
	p.submit(`main table a[href^="/people/"]`)
	mother := p.location().Path
	p.typeInto("f-relative", "Тимур")
	if resp := p.submit(`form[role=search] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("search for the boy: status %d; the page says:\n%s", resp.Status, p.body())
	}
	radio := "f-other_id-" + childID
	if !p.exists("#" + radio) {
		t.Fatalf("the search does not offer the boy; the section says:\n%s", p.text("#relations"))
	}
	p.do("pick the boy", chromedp.Click(chromedp.CSS("#"+radio)))
	if resp := p.submit(`form[action$="/relations"] button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("no kind chosen: status %d, want 422; the page says:\n%s", resp.Status, p.body())
	}
	if got, want := p.text("#e-kind"), ru.T("field.choose"); got != want {
		t.Errorf("beside the kind: %q, want %q", got, want)
	}
	if !js[bool](p, `document.getElementById("`+radio+`").checked`) {
		t.Error("the boy picked is no longer picked after the refusal")
	}
	p.choose("f-kind", "child")
	if resp := p.submit(`form[action$="/relations"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("add the relative: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.wantPath(mother)
	if got := p.text(".flash"); got != ru.T("flash.relation_added") {
		t.Errorf("flash %q, want %q", got, ru.T("flash.relation_added"))
	}
	if got := p.text("#relations"); !strings.Contains(got, ru.T("relation.child")+": Омаров Тимур") {
		t.Errorf("her family does not list her son:\n%s", got)
	}
	if got, want := p.text("#timeline tbody tr"), ru.T("timeline.relation")+": "+ru.T("relation.child")+", Омаров Тимур"; !strings.Contains(got, want) {
		t.Errorf("her history begins %q, want %q", got, want)
	}

	// His page, reached from hers, tells the same from his side.
	p.submit(`#relations a[href="` + child + `"]`)
	if got := p.text("#relations"); !strings.Contains(got, ru.T("relation.parent")+": Омарова Динара Серікқызы") {
		t.Errorf("his family does not list his mother:\n%s", got)
	}
	if got, want := p.text("#timeline tbody tr"), ru.T("timeline.relation")+": "+ru.T("relation.parent")+", Омарова Динара"; !strings.Contains(got, want) {
		t.Errorf("his history begins %q, want %q", got, want)
	}

	// Removed from his page, the link is gone from both.
	if resp := p.submit(`#relations li form button`); resp.Status != http.StatusOK {
		t.Fatalf("remove the link: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.wantPath(child)
	if got := p.text("#relations"); strings.Contains(got, "Динара") || !strings.Contains(got, ru.T("relation.none")) {
		t.Errorf("after removal his family says:\n%s", got)
	}
	if got := p.text("#timeline tbody tr"); !strings.Contains(got, ru.T("timeline.relation_removed")) {
		t.Errorf("his history begins %q, want the removal", got)
	}
	p.open(mother)
	if got := p.text("#relations"); strings.Contains(got, "Тимур") {
		t.Errorf("after removal her family still lists him:\n%s", got)
	}
}
