package e2e

import (
	"net/http"
	"regexp"
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A wrong phone number is shown beside the phone field, in the user's language; nothing
// typed is lost and nothing is saved until it is right.
func TestCreateCenterWithBadPhone(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const email = "fpc.admin@birge.example" // organisation administrator, in Kazakh
	kk := i18n.For("kk")
	p.login(email, srv.password(t, email))

	typed := map[string]string{
		"f-name_kk": "Шалқар отбасы орталығы",
		"f-name_ru": "Шалкарский центр семьи",
		"f-name_ky": "Шалкар үй-бүлө борбору",
		"f-name_en": "Shalkar family centre",
		"f-address": "Шалқар қ., Әйтеке би көшесі, 5",
		"f-phone":   "123abc",
	}
	if resp := p.open("/centers/new"); resp.Status != http.StatusOK {
		t.Fatalf("/centers/new: status %d; the page says:\n%s", resp.Status, p.body())
	}
	for _, id := range []string{"f-name_kk", "f-name_ru", "f-name_ky", "f-name_en", "f-address", "f-phone"} {
		p.typeInto(id, typed[id])
	}
	p.choose("f-region", "KZ15") // Aktobe region
	org := p.value("f-org_id")

	if resp := p.submit(`form[action="/centers"] button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad phone: status %d, want 422; the page says:\n%s", resp.Status, p.body())
	}
	if got, want := p.text("#e-phone"), kk.T("field.phone"); got != want {
		t.Errorf("error beside the phone field %q, want %q", got, want)
	}
	attrs := js[map[string]string](p, `(e => ({invalid: e.getAttribute("aria-invalid"), describedby: e.getAttribute("aria-describedby")}))(document.getElementById("f-phone"))`)
	if attrs["invalid"] != "true" || attrs["describedby"] != "e-phone" {
		t.Errorf("the phone field is not marked for screen readers: aria-invalid=%q aria-describedby=%q", attrs["invalid"], attrs["describedby"])
	}
	if bad := js[[]string](p, `[...document.querySelectorAll(".field.invalid label")].map(l => l.htmlFor)`); len(bad) != 1 || bad[0] != "f-phone" {
		t.Errorf("fields marked wrong: %v, want only f-phone", bad)
	}
	for id, want := range typed {
		if got := p.value(id); got != want {
			t.Errorf("after the error #%s holds %q, want what was typed, %q", id, got, want)
		}
	}
	for id, want := range map[string]string{"f-region": "KZ15", "f-org_id": org} {
		if got := p.value(id); got != want {
			t.Errorf("after the error #%s is %q, want %q", id, got, want)
		}
	}

	// Nothing was saved: the list (in another tab of the same session) has no such centre,
	// though it has the organisation's own.
	list := p.sameSessionTab()
	list.open("/centers")
	names := js[[]string](list, `[...document.querySelectorAll('main a[href^="/centers/"]')].map(a => a.innerText.trim())`)
	if !slices.Contains(names, "Ақтөбе отбасы орталығы") {
		t.Fatalf("the centre list does not show the demo centres: %q", names)
	}
	if slices.Contains(names, typed["f-name_kk"]) {
		t.Fatalf("a centre with a bad phone was saved: %q", names)
	}

	// Correct the phone only, and save.
	p.typeInto("f-phone", "+7 701 123 45 67")
	if resp := p.submit(`form[action="/centers"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("corrected phone: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if u := p.location(); !regexp.MustCompile(`^/centers/[0-9]+$`).MatchString(u.Path) {
		t.Fatalf("after saving the browser is at %s, want the centre's page; the page says:\n%s", u, p.body())
	}
	if got, want := p.text("h1"), typed["f-name_kk"]; got != want {
		t.Errorf("centre page heading %q, want %q", got, want)
	}
	if got := p.text(`main a[href^="tel:"]`); got != "+77011234567" {
		t.Errorf("centre page shows the phone as %q, want +77011234567", got)
	}
	if got, want := p.text(".flash"), kk.T("flash.saved"); got != want {
		t.Errorf("after saving the page says %q, want %q", got, want)
	}
	for lang, want := range map[string]string{"ru": typed["f-name_ru"], "ky": typed["f-name_ky"], "en": typed["f-name_en"]} {
		if got := p.text(`dd[lang=` + lang + `]`); got != want {
			t.Errorf("centre page: name in %s %q, want %q", lang, got, want)
		}
	}

	list.open("/centers")
	names = js[[]string](list, `[...document.querySelectorAll('main a[href^="/centers/"]')].map(a => a.innerText.trim())`)
	if n := count(names, typed["f-name_kk"]); n != 1 {
		t.Errorf("the centre list shows the new centre %d times: %q", n, names)
	}
}

// sameSessionTab opens another tab in the same browser context: same cookies.
func (p *tab) sameSessionTab() *tab {
	p.t.Helper()
	ctx, cancel := chromedp.NewContext(p.ctx)
	p.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		p.t.Fatalf("new tab: %v", err)
	}
	return &tab{t: p.t, ctx: ctx, srv: p.srv}
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}
