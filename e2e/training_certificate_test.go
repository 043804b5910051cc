package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/birge"
)

// A woman with a Kazakh name completed the demo's cohort at Almaty. The administrator
// issues the cohort's certificates from its page, opens hers — printable, with her name
// as typed, in the cohort's Kazakh — and its PDF; a visitor with no account, in Kazakh on
// a phone, types the code from the paper into the public page and sees it valid, with
// her name and the course; a wrong code is not found. Every screen passes axe.
func TestCertificateIssuedAndVerified(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTabFor(t, srv, time.Minute)
	const admin = "admin@birge.example"
	tok := srv.apiToken(t, admin)
	var cohorts struct{ Items []birge.Cohort }
	srv.apiGet(t, tok, "/api/v1/cohorts", &cohorts)
	if len(cohorts.Items) == 0 {
		t.Fatal("the demo has no cohort")
	}
	h := cohorts.Items[0]
	const name = "Әйгерім Құрманғазықызы Үсенова"
	var her birge.Person
	if code := srv.api(t, tok, http.MethodPost, "/api/v1/people", map[string]any{"center_id": h.CenterID,
		"family_name": "Үсенова", "given_name": "Әйгерім", "patronymic": "Құрманғазықызы"}, &her); code != http.StatusCreated {
		t.Fatalf("register her: %d", code)
	}
	var e birge.Enrollment
	if code := srv.api(t, tok, http.MethodPost, fmt.Sprintf("/api/v1/cohorts/%d/enrollments", h.ID),
		map[string]any{"person_id": her.ID}, &e); code != http.StatusCreated {
		t.Fatalf("enrol her: %d", code)
	}
	if code := srv.api(t, tok, http.MethodPatch, fmt.Sprintf("/api/v1/enrollments/%d", e.ID),
		map[string]any{"status": "completed"}, nil); code != http.StatusOK {
		t.Fatalf("she completed: %d", code)
	}

	p.login(admin, srv.password(t, admin))
	p.open(fmt.Sprintf("/cohorts/%d#certificates", h.ID))
	if resp := p.submit(fmt.Sprintf(`form[action="/cohorts/%d/certificates"] button[type=submit]`, h.ID)); resp.Status != http.StatusOK {
		t.Fatalf("issue: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if !p.exists("#issued") {
		t.Fatalf("the cohort's page does not say how many were issued:\n%s", p.body())
	}
	p.axe("the cohort's certificates, issued")
	link := js[string](p, `[...document.querySelectorAll('#certificates ~ ul a[href^="/training-certificates/"]')].pop()?.getAttribute("href") ?? ""`)
	if link == "" {
		t.Fatalf("no certificate listed:\n%s", p.body())
	}
	p.screen(link, http.StatusOK)
	if got := p.text(".certificate .holder"); got != "Үсенова Әйгерім Құрманғазықызы" && got != name {
		t.Errorf("the certificate names %q", got)
	}
	if got := p.text(".certificate"); !strings.Contains(got, "Кәсіпкерлік") || !strings.Contains(got, "растайды") {
		t.Errorf("the certificate is not in the cohort's Kazakh:\n%s", got)
	}
	code := strings.TrimSpace(strings.TrimPrefix(p.text(".certificate .code"), "Тексеру коды:"))
	if len(code) != 11 {
		t.Fatalf("no code on the certificate: %q", p.text(".certificate .code"))
	}
	// The PDF, fetched as the browser would, is a PDF.
	pdf := js[string](p, `(() => { const x = new XMLHttpRequest(); x.open("GET", document.getElementById("certificate-pdf").href, false);
		x.send(); return x.getResponseHeader("Content-Type") + " " + x.status })()`)
	if pdf != "application/pdf 200" {
		t.Errorf("the PDF: %s", pdf)
	}

	v := p.incognito()
	v.open("/")
	v.submit(`form.switcher button[value="kk"]`)
	v.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	v.screen("/certificates", http.StatusOK)
	v.typeInto("f-code", strings.ToLower(code))
	if resp := v.submit(`form[action="/certificates"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("check the code: status %d; the page says:\n%s", resp.Status, v.body())
	}
	verdict := v.text("#verdict")
	if !strings.Contains(verdict, "Сертификат жарамды") || !strings.Contains(verdict, "Әйгерім") || !strings.Contains(verdict, "Кәсіпкерлік") {
		t.Errorf("the verdict:\n%s", verdict)
	}
	if sw := js[int](v, `document.documentElement.scrollWidth`); sw > 360 {
		t.Errorf("the verdict is %d px wide on a 360 px phone", sw)
	}
	v.axe("a valid certificate, in Kazakh")
	v.typeInto("f-code", "AAAAA-AAAAA")
	if resp := v.submit(`form[action="/certificates"] button[type=submit]`); resp.Status != http.StatusNotFound {
		t.Errorf("a wrong code: status %d", resp.Status)
	}
	if !strings.Contains(v.text("#e-code"), "табылмады") {
		t.Errorf("a wrong code says:\n%s", v.body())
	}
	v.axe("a wrong code, in Kazakh")
}
