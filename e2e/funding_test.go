package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// The administrator, reading Russian, records spending on Mama Pro's AEIF award: a
// wrong amount is refused next to its field, then 1 850 dollars from the 1 800 planned
// for monitoring are recorded, and the line says it is overspent, by how much, in words.
// The award's page passes axe on a desktop and on a 360 px phone, and fits the phone;
// so does the page of what is due.
func TestFundingOverrunFlagged(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const admin = "admin@birge.example"
	ru := i18n.For("ru")
	p.login(admin, srv.password(t, admin))
	p.submit(`form.switcher button[value="ru"]`)
	award := p.firstLink("/funding", `^/funding/[0-9]+$`)
	p.open(award)
	line := js[string](p, `[...document.querySelectorAll("#f-budget_line_id option")].find(o => o.text == "Monitoring and reporting").value`)
	p.choose("f-budget_line_id", line)
	p.typeInto("f-spent", "тысяча")
	if resp := p.submit(`#budget form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a wrong amount: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("#e-spent"); got != ru.T("funding.amount_format") {
		t.Errorf("the amount's error reads %q", got)
	}
	p.axe("the award's page with refused spending")
	p.choose("f-budget_line_id", line)
	p.typeInto("f-spent", "1850")
	p.typeInto("f-note", "Оценка результатов")
	if resp := p.submit(`#budget form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("spending: status %d; the page says:\n%s", resp.Status, p.body())
	}
	row := js[string](p, `[...document.querySelectorAll("#budget tbody tr")].find(r => r.textContent.includes("Monitoring and reporting")).textContent`)
	if want := ru.T("funding.overspent_by", "amount", "50 USD"); !strings.Contains(row, want) {
		t.Errorf("the monitoring line reads %q, want %q in it", row, want)
	}
	p.axe("the award's page with an overrun")
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	for _, page := range []string{award, "/funding/deadlines"} {
		p.open(page)
		if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
			t.Errorf("%s is %d px wide on a 360 px phone", page, sw)
		}
		p.axe(page + " on a phone")
	}
}
