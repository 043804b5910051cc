package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// In Kazakh, FPC's administrator creates a programme (names and descriptions in the four
// languages, a centre, an SDG target), adds a woman by her record number, and finds her
// on the programme's page with its count; the pages pass axe at 1280 and 360 px.
func TestCreateProgramAndAddParticipant(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const email = "fpc.admin@birge.example" // speaks Kazakh
	kk := i18n.For("kk")
	p.login(email, srv.password(t, email))
	p.do("set the width", chromedp.EmulateViewport(1280, 800))

	// Her record number, from the people list: Сәуле Төлегенова of the demo, at Kargaly.
	person := p.firstLink("/people?q=Төлегенова", `^/people/[0-9]+$`)
	number := strings.TrimPrefix(person, "/people/")

	if resp := p.open("/programs/new"); resp.Status != http.StatusOK {
		t.Fatalf("/programs/new: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.axe("the new programme form")
	for id, text := range map[string]string{
		"f-name_kk": "Ауыл әйелдеріне құқықтық кеңес", "f-name_ru": "Правовые консультации для сельских женщин",
		"f-name_ky": "Айыл аялдарына укуктук кеңеш", "f-name_en": "Legal advice for rural women",
		"f-description_kk": "Аптасына бір рет, Қарғалы кеңсесінде.",
	} {
		p.typeInto(id, text)
	}
	p.choose("f-kind", "counselling")
	p.choose("f-status", "active")
	p.do("tick the Kargaly office and target 5.1", chromedp.Click(chromedp.CSS(`input[name^="ctr_"]`)),
		chromedp.Click(chromedp.CSS(`input[name="sdg_5.1"]`)), chromedp.Click(chromedp.CSS(`input[name="cat_rural"]`)))
	if resp := p.submit(`form[action="/programs"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("create: status %d; the page says:\n%s", resp.Status, p.body())
	}
	page := p.location().Path
	if got := p.text("h1"); got != "Ауыл әйелдеріне құқықтық кеңес" {
		t.Fatalf("the programme's page is titled %q (at %s)", got, page)
	}
	if got, want := p.text("#participants p"), kk.T("program.count", "active", 0, "total", 0); got != want {
		t.Errorf("count before: %q, want %q", got, want)
	}
	p.axe("the programme's page")

	p.typeInto("f-person_id", number)
	if resp := p.submit(`form[action$="/participants"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("add participant: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got, want := p.text("#participants p"), kk.T("program.count", "active", 1, "total", 1); got != want {
		t.Errorf("count after: %q, want %q", got, want)
	}
	if got := p.text("#participants td a"); got != "Төлегенова Сәуле" {
		t.Errorf("participants list names %q, want Төлегенова Сәуле", got)
	}
	p.axe("the programme's page with a participant")

	// On a phone: nothing scrolls sideways, the table scrolls in its own box.
	phone := newTab(t, srv)
	phone.login(email, srv.password(t, email))
	phone.do("set the width", chromedp.EmulateViewport(360, 780))
	for _, path := range []string{page, "/programs", "/programs/new", page + "/edit"} {
		phone.open(path)
		if sw := js[int](phone, `document.documentElement.scrollWidth`); sw > 360 {
			t.Errorf("%s: the page is %d px wide on a 360 px screen", path, sw)
		}
		phone.axe(fmt.Sprintf("%s at 360 px", path))
	}
	// Her page lists the programme.
	phone.open(person)
	if got := phone.text("#programs a"); got != "Ауыл әйелдеріне құқықтық кеңес" {
		t.Errorf("her page lists %q under her programmes", got)
	}
}
