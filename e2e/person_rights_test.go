package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A woman asks the Aktobe coordinator (Russian) what is held about her, then to be
// erased. The coordinator opens her data — the IIN in full, the survivor category — and
// anonymises her: a mistyped word is refused beside the field and changes nothing; the
// word shown does it, and she is gone from search and from her address.
func TestPersonDossierAndAnonymise(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example"
	ru := i18n.For("ru")
	p.login(coordinator, srv.password(t, coordinator))

	p.open("/people/new")
	p.typeInto("f-family_name", "Досмағамбетова")
	p.typeInto("f-given_name", "Меруерт")
	p.typeInto("f-iin", "850315401231")
	p.do("tick the survivor category", chromedp.Click(chromedp.CSS(`input[name="cat_dv_survivor"]`)))
	if resp := p.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("register: status %d; the page says:\n%s", resp.Status, p.body())
	}
	herPage := p.location().Path

	if resp := p.submit(`a[href$="/dossier"]`); resp.Status != http.StatusOK {
		t.Fatalf("her data: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("#identity"); got != "850315401231" {
		t.Errorf("the dossier shows the IIN as %q, want it in full", got)
	}
	if got := p.text("#categories"); !strings.Contains(got, ru.T("category.dv_survivor")) {
		t.Errorf("the dossier's categories %q lack the survivor category", got)
	}
	if h := p.text("#history"); !strings.Contains(h, ru.T("audit.action.export_dossier")) {
		t.Errorf("the dossier's history does not show this request:\n%s", h)
	}
	if !p.exists(`a[href$="/dossier.json"]`) {
		t.Error("no download of the dossier as JSON")
	}

	p.open(herPage)
	if resp := p.submit(`a[href$="/anonymise"]`); resp.Status != http.StatusOK {
		t.Fatalf("anonymise page: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.typeInto("f-confirm", "удалить")
	if resp := p.submit(`form[action$="/anonymise"] button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("mistyped word: status %d, want 422; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("#e-confirm"); got != ru.T("person.anonymise_wrong") {
		t.Errorf("beside the word: %q, want %q", got, ru.T("person.anonymise_wrong"))
	}
	if got := p.value("f-confirm"); got != "удалить" {
		t.Errorf("what was typed is lost: %q", got)
	}
	check := p.sameSessionTab()
	if resp := check.open(herPage); resp.Status != http.StatusOK {
		t.Fatalf("after a refused confirmation her page answers %d", resp.Status)
	}

	p.typeInto("f-confirm", ru.T("person.anonymise_word"))
	if resp := p.submit(`form[action$="/anonymise"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("confirmed: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.wantPath("/people")
	if got := p.text(".flash"); got != ru.T("flash.person_anonymised") {
		t.Errorf("after anonymising: %q, want %q", got, ru.T("flash.person_anonymised"))
	}
	if resp := check.open(herPage); resp.Status != http.StatusNotFound {
		t.Errorf("her page after anonymisation: status %d, want 404", resp.Status)
	}
	check.open("/people?q=Меруерт")
	if check.exists(`main table a[href^="/people/"]`) {
		t.Error("she is still found by name")
	}
	check.open("/people?q=850315401231")
	if check.exists(`main table a[href^="/people/"]`) {
		t.Error("she is still found by IIN")
	}
}
