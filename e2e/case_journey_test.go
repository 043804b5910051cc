package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A family's whole way through the centre, in Kazakh, as the issue tells it: the
// administrator takes in a couple who have filed for divorce; a couple's session is refused until each partner has
// been screened alone; she screens each (nothing found), books the couple's session for
// yesterday, marks that they came, and closes the case as reconciled with the divorce
// application withdrawn. Each screen on the way passes axe.
func TestFamilyCaseJourney(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const admin = "admin@birge.example"
	kk := i18n.For("kk")
	p.login(admin, srv.password(t, admin))
	p.open("/people")
	number := func(name string) string {
		href := js[string](p, `[...document.querySelectorAll("main a")].find(a => a.innerText.startsWith("`+name+`")).getAttribute("href")`)
		return strings.TrimPrefix(href, "/people/")
	}
	wife, husband := number("Омарова Динара"), number("Омаров Ержан")

	// Intake.
	p.open("/cases/new")
	centre := js[string](p, `[...document.querySelectorAll("#f-center_id option")].find(o => o.textContent == "Ақтөбе отбасы орталығы").value`)
	p.choose("f-center_id", centre)
	p.typeInto("f-partner_1", wife)
	p.typeInto("f-partner_2", husband)
	p.choose("f-came_from", "court")
	p.choose("f-intake_date", today.AddDate(0, 0, -7).Format(time.DateOnly))
	p.do("tick a reason", chromedp.Click(chromedp.CSS(`input[name="reason_communication"]`)))
	p.do("a divorce application filed", chromedp.Click(chromedp.CSS(`input[name="divorce_filed"]`)))
	p.typeInto("f-divorce_court", "Ақтөбе қалалық №2 соты")
	if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("an intake: status %d; the page says:\n%s", resp.Status, p.body())
	}
	kase := p.location().Path

	// Before the screenings the couple's session is refused, saying why.
	if got := p.text("#gate-reason"); got != kk.T("session.unscreened") {
		t.Errorf("the gate's reason before the screenings: %q", got)
	}
	if !js[bool](p, `document.querySelector('input[name="type"][value="couple"]').disabled`) {
		t.Error("a couple's session is offered before the partners are screened")
	}
	p.axe("a new case, before its screenings")

	// Each partner screened alone; nothing found.
	forms := js[[]string](p, `[...document.querySelectorAll('main a[href*="/screen?person_id="]')].map(a => a.getAttribute("href"))`)
	if len(forms) != 2 {
		t.Fatalf("%d screening links, want one for each partner", len(forms))
	}
	for i, form := range forms {
		p.open(form)
		p.do("alone", chromedp.Click(chromedp.CSS(`input[name="alone"]`)))
		js[bool](p, `document.querySelectorAll('main input[value="no"]').forEach(i => i.checked = true); true`)
		p.choose("f-fear", "1")
		if i == 0 {
			p.axe("the screening form")
		}
		if resp := p.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
			t.Fatalf("screening %d: status %d; the page says:\n%s", i+1, resp.Status, p.body())
		}
	}
	p.open(kase)
	if p.exists("#gate-reason") || js[bool](p, `document.querySelector('input[name="type"][value="couple"]').disabled`) {
		t.Fatalf("both screened, nothing found, and the couple's session is still refused: %q", p.text("#gate-reason"))
	}

	// The couple's session, yesterday in Almaty; they came.
	yesterday := today.AddDate(0, 0, -1).Format(time.DateOnly)
	p.do("a couple's session", chromedp.Click(chromedp.CSS(`input[name="type"][value="couple"]`)))
	js[bool](p, `document.querySelectorAll('.session-form input[type="checkbox"][name^="person_"]').forEach(i => i.checked = true); true`)
	p.typeInto("f-room", "Кабинет 2")
	p.choose("f-date", yesterday)
	p.choose("f-from", "15:00")
	p.choose("f-to", "16:00")
	if resp := p.submit(`form[action$="/sessions"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("booking: status %d; the page says:\n%s", resp.Status, p.body())
	}
	session := js[string](p, `document.querySelector('#sessions + ul a[href^="/sessions/"]')?.getAttribute("href") ?? ""`)
	if session == "" {
		t.Fatalf("the session is not on the case's page:\n%s", p.text("main"))
	}
	p.open(session)
	p.choose("f-attendance", "came")
	if resp := p.submit(`form[action="` + session + `"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("attendance: status %d; the page says:\n%s", resp.Status, p.body())
	}

	// Closed with its outcome.
	p.open(kase)
	if got := p.text("main"); !strings.Contains(got, kk.T("session.type.couple")) || !strings.Contains(got, kk.T("session.attendance.came")) {
		t.Errorf("the case's page lacks the attended couple's session:\n%s", got)
	}
	p.choose("f-outcome", "reconciled_withdrawn")
	p.choose("f-satisfaction", "5")
	if resp := p.submit(`form[action$="/close"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("closing: status %d; the page says:\n%s", resp.Status, p.body())
	}
	main := p.text("main")
	for _, want := range []string{kk.T("case.status.closed"), kk.T("case.outcome.reconciled_withdrawn")} {
		if !strings.Contains(main, want) {
			t.Errorf("the closed case's page lacks %q:\n%s", want, main)
		}
	}
	p.axe("the family's case, closed")
}
