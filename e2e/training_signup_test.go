package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A woman signs up for Mama Pro's entrepreneurship cohort on the public site, in Kazakh
// on a 360 px phone, with the quick exit in sight: her first try is refused with
// messages in Kazakh beside the fields, her second is received. The administrator then
// finds her on the cohort's page among the sign-ups to confirm. Every screen passes axe
// and fits the phone.
func TestTrainingSignup(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	her := newTabFor(t, srv, time.Minute)
	kk := i18n.For("kk")
	her.open("/")
	her.submit(`form.switcher button[value="kk"]`)
	her.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	fits := func(what string) {
		t.Helper()
		if sw := js[int](her, `document.documentElement.scrollWidth`); sw > 360 {
			t.Errorf("%s is %d px wide on a 360 px phone", what, sw)
		}
		her.axe(what)
	}
	course := her.firstLink("/trainings", `^/trainings/[0-9]+$`)
	fits("the catalogue of trainings")
	form := her.firstLink(course, `^/trainings/cohorts/[0-9]+/signup$`)
	fits("the course's open cohorts")
	her.open(form)
	fits("the sign-up form")
	if !js[bool](her, `(() => { const r = document.getElementById("quick-exit").getBoundingClientRect(); return r.height > 0 && r.top >= 0 && r.top < 100 })()`) {
		t.Error("the quick exit is not in sight at the top of the form")
	}
	if resp := her.submit(`main form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty sign-up: status %d", resp.Status)
	}
	for id, key := range map[string]string{"#e-given_name": "field.required", "#e-phone": "field.required"} {
		if got := her.text(id); got != kk.T(key) {
			t.Errorf("%s: %q, want %q", id, got, kk.T(key))
		}
	}
	fits("the sign-up form with its errors")
	her.typeInto("f-family_name", "Нұрболатқызы")
	her.typeInto("f-given_name", "Әйгерім")
	her.typeInto("f-phone", "8 701 555 12 34")
	her.do("childcare", chromedp.Click(chromedp.CSS(`input[name="childcare"]`)))
	her.typeInto("f-accommodation", "Қызым үш жаста")
	if resp := her.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the sign-up: status %d; the page says:\n%s", resp.Status, her.body())
	}
	her.wantPath("/trainings/signed-up")
	if got := her.text("main"); !strings.Contains(got, kk.T("signup.next_pending")) || strings.Contains(got, "Әйгерім") {
		t.Errorf("the confirmation says:\n%s", got)
	}
	fits("the confirmation")

	p := her.incognito()
	const admin = "admin@birge.example"
	p.login(admin, srv.password(t, admin))
	cohort := "/cohorts/" + strings.TrimSuffix(strings.TrimPrefix(form, "/trainings/cohorts/"), "/signup")
	p.screen(cohort, http.StatusOK)
	if got := p.text("main"); !strings.Contains(got, "Нұрболатқызы Әйгерім") || !p.exists("#pending") {
		t.Errorf("the cohort's page does not list her as pending:\n%s", got)
	}
	if got := p.text("#pending + ol"); !strings.Contains(got, "Нұрболатқызы Әйгерім") || !strings.Contains(got, "Қызым үш жаста") {
		t.Errorf("the sign-ups to confirm:\n%s", got)
	}
	p.screen("/cohorts", http.StatusOK)
	if !p.exists(`a[href="` + cohort + `#pending"]`) {
		t.Error("the list of cohorts does not count her sign-up")
	}
}
