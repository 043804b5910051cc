package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// The Aktobe coordinator (Russian) records a service on a woman's page: refused first
// for a quantity left out, the error next to the field, then recorded and listed. Her
// page with the Services section passes axe on a desktop and on a 360 px phone, and
// fits the phone.
func TestRecordAService(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example"
	ru := i18n.For("ru")
	p.login(coordinator, srv.password(t, coordinator))
	her := p.firstLink("/people", `^/people/[0-9]+$`)
	p.open(her)
	if got := p.value("f-date"); got == "" {
		t.Fatalf("the services form offers no day")
	}
	p.choose("f-service", "legal_advice")
	p.choose("f-unit", "hours")
	if resp := p.submit(`#services form[action$="/deliveries#services"] button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a service without a quantity: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("#e-quantity"); got != ru.T("delivery.quantity_range") {
		t.Errorf("the quantity's error reads %q", got)
	}
	p.axe("her page with a refused service")
	p.typeInto("f-quantity", "2")
	p.typeInto("f-note", "Развод, раздел имущества")
	if resp := p.submit(`#services form[action$="/deliveries#services"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("a service: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text(".flash"); got != ru.T("flash.delivery_recorded") {
		t.Errorf("after recording the page says %q", got)
	}
	if services := p.text("#services table"); !strings.Contains(services, ru.T("delivery.kind.legal_advice")) ||
		!strings.Contains(services, "Развод, раздел имущества") {
		t.Errorf("the service is not listed:\n%s", services)
	}
	p.axe("her page with a service")
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	p.open(her)
	if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
		wide := js[[]string](p, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 360).slice(0, 5).map(e => e.tagName + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))`)
		t.Errorf("her page is %d px wide on a 360 px phone; too wide: %v", sw, wide)
	}
	p.axe("her page on a phone")
}
