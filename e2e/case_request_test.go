package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A woman asks for a consultation in Kyrgyz on the public form, on a phone, with the
// quick exit in sight: her first try is refused with messages in Kyrgyz beside the
// fields, her second sent. The Aktobe coordinator finds her request and takes her in as
// a new case. Every screen passes axe.
func TestRequestForConsultation(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	her := newTabFor(t, srv, time.Minute)
	ky := i18n.For("ky")
	her.open("/")
	her.submit(`form.switcher button[value="ky"]`)
	her.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	her.open("/request")
	her.axe("the offices that take requests")
	office := js[string](her, `document.querySelector('main a[href^="/request?center="]').getAttribute("href")`)
	her.screen(office, http.StatusOK)
	if !js[bool](her, `(() => { const r = document.getElementById("quick-exit").getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.top < 100 })()`) {
		t.Error("the quick exit is not in sight at the top of the form")
	}
	if sw := js[int](her, `document.documentElement.scrollWidth`); sw > 360 {
		t.Errorf("the form is %d px wide on a 360 px phone", sw)
	}
	// Each radio button and reason box sits on the line of its own words, not above them.
	if apart := js[[]string](her, `[...document.querySelectorAll('.choices input')].filter(i => {
		const r = document.createRange(); r.selectNodeContents(i.parentElement);
		const words = [...r.getClientRects()].filter(x => x.left >= i.getBoundingClientRect().right - 1);
		const box = i.getBoundingClientRect();
		return words.length === 0 || Math.abs(words[0].top + words[0].height / 2 - (box.top + box.height / 2)) > box.height;
	}).map(i => i.value)`); len(apart) > 0 {
		t.Errorf("on a phone these choices sit apart from their words: %v", apart)
	}
	if resp := her.submit(`main form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty request: status %d", resp.Status)
	}
	if got := her.text("#e-name"); got != ky.T("field.required") {
		t.Errorf("beside her name: %q", got)
	}
	if got := her.text("#e-phone"); got != ky.T("request.phone_required") {
		t.Errorf("beside the phone: %q", got)
	}
	her.axe("the request form with its errors")
	her.typeInto("f-name", "Айпери")
	her.typeInto("f-phone", "8 701 555 44 33")
	her.typeInto("f-call_times", "түштөн кийин")
	her.do("a reason", chromedp.Click(chromedp.CSS(`input[name="reasons"][value="in_laws"]`)))
	her.typeInto("f-message", "Кайненем менен чогуу жашайбыз")
	if resp := her.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the request: status %d; the page says:\n%s", resp.Status, her.body())
	}
	her.wantPath("/request/sent")
	if got := her.text("main"); !strings.Contains(got, ky.T("request.sent")) || !strings.Contains(got, ky.T("request.next_call")) ||
		!strings.Contains(got, ky.T("request.danger_now")) || strings.Contains(got, "Айпери") {
		t.Errorf("the confirmation says:\n%s", got)
	}
	her.axe("the confirmation")

	p := her.incognito()
	const coordinator = "coordinator@birge.example"
	p.login(coordinator, srv.password(t, coordinator))
	request := p.firstLink("/case-requests", `^/case-requests/[0-9]+$`)
	p.screen("/case-requests", http.StatusOK)
	p.screen(request, http.StatusOK)
	if got := p.text("main"); !strings.Contains(got, "Айпери") || !strings.Contains(got, "Кайненем менен чогуу жашайбыз") {
		t.Errorf("the request's page:\n%s", got)
	}
	p.typeInto("f-family_name", "Асанова")
	if resp := p.submit(`form[action$="/accept"][novalidate] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("taken in: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if loc := p.location().Path; !strings.HasPrefix(loc, "/cases/") {
		t.Fatalf("taken in, the browser is at %s", loc)
	}
	if got := p.text("main"); !strings.Contains(got, "Асанова Айпери") {
		t.Errorf("the new case does not name her:\n%s", got)
	}
	p.axe("the case opened from a request")
}

// The FPC administrator edits the screening questionnaire: a new question without its
// Kyrgyz text is refused beside that field; with it, a new version is saved and the
// page shows the question. Both pass axe.
func TestQuestionnaireEditPage(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const admin = "fpc.admin@birge.example"
	p.login(admin, srv.password(t, admin))
	org := p.firstLink("/organizations", `^/organizations/[0-9]+$`)
	page := p.screen(org+"/screening", http.StatusOK)
	n := js[string](p, `document.querySelector('input[name="count"]').value`)
	p.typeInto("f-q"+n+"_code", "money")
	p.choose("f-q"+n+"_domain", "coercive_control")
	p.typeInto("f-q"+n+"_text_kk", "Ақшаңызды тартып ала ма?")
	p.typeInto("f-q"+n+"_text_ru", "Отбирает ли он ваши деньги?")
	p.typeInto("f-q"+n+"_text_en", "Does he take your money?")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("without its Kyrgyz text: status %d", resp.Status)
	}
	if !p.exists("#e-q" + n + "_text_ky") {
		t.Error("no message beside the Kyrgyz text")
	}
	p.axe("the questionnaire with an error")
	p.typeInto("f-q"+n+"_text_ky", "Акчаңызды тартып алабы?")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("saved: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.wantPath(page)
	if !js[bool](p, `[...document.querySelectorAll("main textarea")].some(i => i.value === "Акчаңызды тартып алабы?")`) {
		t.Error("the new question is not on the page")
	}
	// Each question's heading names its kind of violence in words, never its code.
	if got := js[string](p, `document.querySelector("main fieldset.question legend").innerText`); strings.Contains(got, "insults") ||
		!strings.Contains(got, i18n.For(js[string](p, `document.documentElement.lang`)).T("screening_edit.domain.psychological_abuse")) {
		t.Errorf("the first question's heading reads %q", got)
	}
	p.axe("the questionnaire saved")
}
