package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/i18n"
)

// A coordinator registers a woman with a mistyped IIN: the message is beside the field,
// in Russian, and nothing is saved. Corrected, she is saved with her birth date read from
// the IIN. A case worker of another centre who registers her again is warned, and told
// which centre to call, without seeing her record.
func TestRegisterPersonAndDuplicate(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example" // Aktobe centre, in Russian
	ru := i18n.For("ru")
	p.login(coordinator, srv.password(t, coordinator))

	if resp := p.open("/people/new"); resp.Status != http.StatusOK {
		t.Fatalf("/people/new: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.typeInto("f-family_name", "Жұмабаева")
	p.typeInto("f-given_name", "Айжан")
	p.typeInto("f-iin", "850315401232") // last digit wrong
	p.typeInto("f-phones", "8 701 123 45 67")
	if resp := p.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong IIN: status %d, want 422; the page says:\n%s", resp.Status, p.body())
	}
	if got, want := p.text("#e-iin"), ru.T("iin.checksum"); got != want {
		t.Errorf("beside the IIN: %q, want %q", got, want)
	}
	if lang := js[string](p, `document.documentElement.lang`); lang != "ru" {
		t.Errorf("<html lang=%q>, want ru", lang)
	}
	if got := p.value("f-given_name"); got != "Айжан" {
		t.Errorf("the given name typed was lost: %q", got)
	}
	list := p.sameSessionTab()
	list.open("/people?q=" + "Айжан")
	if list.exists(`main table a[href^="/people/"]`) {
		t.Fatal("a person with a wrong IIN was saved")
	}

	p.typeInto("f-iin", "850315401231")
	if resp := p.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("corrected IIN: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if !strings.HasPrefix(p.location().Path, "/people/") {
		t.Fatalf("after saving the browser is at %s, want her page", p.location())
	}
	if body := p.text("main"); !strings.Contains(body, i18n.For("ru").Day("1985-03-15")) || !strings.Contains(body, "8503••••1231") {
		t.Errorf("her page does not show the birth date from the IIN and the masked IIN:\n%s", body)
	}

	// The Kargaly case worker (Kazakh) registers her again, in Latin letters.
	const caseworker = "caseworker@birge.example"
	kk := i18n.For("kk")
	other := p.incognito()
	other.login(caseworker, srv.password(t, caseworker))
	other.open("/people/new")
	other.typeInto("f-family_name", "Zhumabaeva")
	other.typeInto("f-given_name", "Aizhan")
	other.typeInto("f-phones", "+7 (701) 1234567")
	if resp := other.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusConflict {
		t.Fatalf("second registration: status %d, want 409 with a warning; the page says:\n%s", resp.Status, other.body())
	}
	warning := other.text("#duplicates")
	if !strings.Contains(warning, kk.T("person.duplicates")) || !strings.Contains(warning, "Ақтөбе отбасы орталығы") {
		t.Errorf("the warning does not name the Aktobe centre in Kazakh:\n%s", warning)
	}
	if strings.Contains(warning, "Жұмабаева") || other.exists(`#duplicates a[href^="/people/"]`) {
		t.Errorf("the warning reveals the record to a case worker of another centre:\n%s", warning)
	}
	if got := other.value("f-family_name"); got != "Zhumabaeva" {
		t.Errorf("what was typed is lost after the warning: %q", got)
	}

	// With her IIN there is nothing to tick away: one IIN is one woman. The refusal is
	// beside the IIN and names only the centre to contact.
	other.typeInto("f-iin", "850315401231")
	if resp := other.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusConflict {
		t.Fatalf("registration with her IIN: status %d, want 409; the page says:\n%s", resp.Status, other.body())
	}
	if got, want := other.text("#e-iin"), kk.T("person.identity_taken"); got != want {
		t.Errorf("beside the IIN: %q, want %q", got, want)
	}
	if alert := other.text(".form-error"); !strings.Contains(alert, "Ақтөбе отбасы орталығы") || strings.Contains(alert, "Жұмабаева") {
		t.Errorf("the refusal does not name only the Aktobe centre:\n%s", alert)
	}
	if other.exists(`input[name="not_duplicate"]`) {
		t.Error("the refusal offers to register her anyway")
	}
}
