package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The Family Preservation Centre's administrator adds a category of its own from the
// organisation's page; the Aktobe coordinator then ticks it when registering a woman, and
// her page names it in the coordinator's language.
func TestAddCategoryAndRegisterWithIt(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const admin = "fpc.admin@birge.example" // speaks Kazakh
	p.login(admin, srv.password(t, admin))

	p.open("/organizations")
	org := js[string](p, `document.querySelector('main a[href^="/organizations/"]').getAttribute('href')`)
	p.open(org)
	if resp := p.submit(`main a[href$="/categories"]`); resp.Status != http.StatusOK {
		t.Fatalf("categories page: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.typeInto("f-name_kk", "Көші-қонушы әйел")
	p.typeInto("f-name_ru", "Мигрантка")
	p.typeInto("f-name_ky", "Мигрант аял")
	p.typeInto("f-name_en", "Migrant woman")
	if resp := p.submit(`form[action$="/categories"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("add: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if list := p.text("#categories"); !strings.Contains(list, "Көші-қонушы әйел") || !strings.Contains(list, "migrant_woman") {
		t.Fatalf("the list does not show the new category:\n%s", list)
	}

	const coordinator = "coordinator@birge.example" // Aktobe centre, in Russian
	c := p.incognito()
	c.login(coordinator, srv.password(t, coordinator))
	c.open("/people/new")
	c.typeInto("f-family_name", "Сейітова")
	c.typeInto("f-given_name", "Мадина")
	c.do("tick the new category", chromedp.Click(chromedp.CSS(`input[name="cat_migrant_woman"]`)))
	if resp := c.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("register: status %d; the page says:\n%s", resp.Status, c.body())
	}
	if !strings.HasPrefix(c.location().Path, "/people/") {
		t.Fatalf("after saving the browser is at %s, want her page", c.location())
	}
	if body := c.text("main"); !strings.Contains(body, "Мигрантка") {
		t.Errorf("her page does not name the category in Russian:\n%s", body)
	}
}
