package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// The Aktobe coordinator (Russian) takes in a couple on the intake form by their record
// numbers: refused first without a reason, the error next to the reasons, then saved and
// shown with both partners and their daughter. The form and the case page pass axe on a
// desktop and on a 360 px phone, and fit the phone.
func TestIntakeOfACouple(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example"
	ru := i18n.For("ru")
	p.login(coordinator, srv.password(t, coordinator))
	p.open("/people")
	number := func(name string) string {
		href := js[string](p, `[...document.querySelectorAll("main a")].find(a => a.innerText.startsWith("`+name+`")).getAttribute("href")`)
		return strings.TrimPrefix(href, "/people/")
	}
	wife, husband, daughter := number("Омарова Динара"), number("Омаров Ержан"), number("Омарова Аружан")
	p.open("/cases/new")
	p.typeInto("f-partner_1", wife)
	p.typeInto("f-partner_2", husband)
	p.typeInto("f-children", daughter)
	p.choose("f-came_from", "court")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an intake without a reason: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("#e-reasons"); got != ru.T("field.required") {
		t.Errorf("the reasons' error reads %q", got)
	}
	p.axe("the intake form, refused")
	p.do("tick a reason", chromedp.Click(chromedp.CSS(`input[name="reason_communication"]`)))
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("an intake: status %d; the page says:\n%s", resp.Status, p.body())
	}
	page := p.location().Path
	facts := p.text("main dl")
	for _, want := range []string{"Омарова Динара", "Омаров Ержан", "Омарова Аружан", ru.T("case.came_from.court"),
		ru.T("case.status.intake"), ru.T("case.reason.communication")} {
		if !strings.Contains(facts, want) {
			t.Errorf("the case page lacks %q:\n%s", want, facts)
		}
	}
	p.axe("the case page")
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	for _, path := range []string{page, "/cases/new", "/cases"} {
		p.open(path)
		if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
			t.Errorf("%s is %d px wide on a 360 px phone", path, sw)
		}
		p.axe(path + " on a phone")
	}
}
