package e2e

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// The administrator (Kazakh) closes a case on its page: refused first without an
// outcome, the message beside the field, then closed as reconciled with the divorce
// application withdrawn; the page says so and offers to reopen it. The form, the refusal
// and the closed case pass axe on a desktop and a 360 px phone, and fit the phone.
func TestClosingACase(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const admin = "admin@birge.example"
	kk := i18n.For("kk")
	p.login(admin, srv.password(t, admin))
	kase := p.firstLink("/cases", `^/cases/[0-9]+$`)
	p.open(kase)
	p.axe("a case with its closing form")
	p.choose("f-satisfaction", "5")
	if resp := p.submit(`form[action$="/close"] button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a closing without an outcome: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("#e-outcome"); got != kk.T("field.choose") {
		t.Errorf("the outcome's error reads %q", got)
	}
	p.axe("the closing form, refused")
	p.choose("f-outcome", "reconciled_withdrawn")
	if resp := p.submit(`form[action$="/close"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("closing: status %d; the page says:\n%s", resp.Status, p.body())
	}
	main := p.text("main")
	for _, want := range []string{kk.T("case.status.closed"), kk.T("case.outcome.reconciled_withdrawn"), kk.T("case.reopen")} {
		if !strings.Contains(main, want) {
			t.Errorf("the closed case's page lacks %q:\n%s", want, main)
		}
	}
	if p.exists(`form[action$="/close"]`) {
		t.Errorf("a closed case offers to close it again")
	}
	p.axe("a closed case")
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	p.open(kase)
	if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
		t.Errorf("%s is %d px wide on a 360 px phone", kase, sw)
	}
	p.axe("a closed case on a phone")
}

// The centre's figures page, in Kazakh, with the Aktobe centre's four months loaded by
// serve --demo: its families and the share who withdrew, written the Kazakh way (a
// decimal comma); it passes axe and fits a phone.
func TestCentreFigures(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true, history: true})
	p := newTab(t, srv)
	const admin = "admin@birge.example"
	kk := i18n.For("kk")
	p.login(admin, srv.password(t, admin))
	p.open("/centers")
	center := js[string](p, `[...document.querySelectorAll("main a")].find(a => a.innerText.includes("Ақтөбе отбасы орталығы")).getAttribute("href")`)
	p.open(center)
	figures := js[string](p, `document.querySelector('main a[href$="/families"]').getAttribute("href")`)
	p.open(figures)
	p.wantPath(center + "/families")
	if got := p.text("#families"); !regexp.MustCompile(`^1[0-9]{2}$`).MatchString(got) {
		t.Errorf("the centre's families read %q", got)
	}
	if got := p.text("#withdrawn-share"); !regexp.MustCompile(`^[5-9][0-9],[0-9] %$`).MatchString(got) {
		t.Errorf("the share who withdrew reads %q, want more than half, with a decimal comma", got)
	}
	if !strings.Contains(p.text("main"), kk.T("case.withdrawn_share")) {
		t.Errorf("the page is not in Kazakh")
	}
	p.axe("the centre's figures")
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	p.open(center + "/families")
	if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
		t.Errorf("the figures are %d px wide on a 360 px phone", sw)
	}
	// Its facts stack, each label above its value: no value squeezed to a letter a line.
	if narrow := js[int](p, `[...document.querySelectorAll("dl.facts dd")].filter(d => d.getBoundingClientRect().width < 200).length`); narrow > 0 {
		t.Errorf("%d figures squeezed narrower than 200 px on a phone", narrow)
	}
	if strings.Contains(p.text("h1"), ":") { // "Families: figures: Aktobe…" read twice over
		t.Errorf("the title reads %q", p.text("h1"))
	}
	p.axe("the centre's figures on a phone")
}
