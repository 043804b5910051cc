package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// The administrator (Kazakh) screens the first partner of a case alone: a yes to
// strangling flags the case as a danger, which its page says in Kazakh. The form and the
// flagged page pass axe on a desktop and on a 360 px phone, and fit the phone.
func TestScreeningFlagsTheCase(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const admin = "admin@birge.example"
	kk := i18n.For("kk")
	p.login(admin, srv.password(t, admin))
	kase := p.firstLink("/cases", `^/cases/[0-9]+$`)
	p.open(kase)
	form := js[string](p, `document.querySelector('main a[href*="/screen?person_id="]').getAttribute("href")`)
	p.open(form)
	p.axe("the screening form")
	p.do("answer", chromedp.Click(chromedp.CSS(`input[name="alone"]`)))
	js[bool](p, `document.querySelectorAll('main input[value="no"]').forEach(i => i.checked = true); true`)
	p.do("strangling", chromedp.Click(chromedp.CSS(`input[name="q_strangling"][value="yes"]`)))
	p.choose("f-fear", "6")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("a screening: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("main"); !strings.Contains(got, kk.T("case.flagged")) || !strings.Contains(got, kk.T("screening.result.danger")) {
		t.Errorf("the case page does not say it is flagged:\n%s", got)
	}
	p.axe("a flagged case")
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	for _, path := range []string{kase, form} {
		p.open(path)
		if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
			t.Errorf("%s is %d px wide on a 360 px phone", path, sw)
		}
		p.axe(path + " on a phone")
	}
}
