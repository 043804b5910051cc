package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
)

// The administrator (Kazakh) books a session of the Aktobe family on its page for
// yesterday (her day, from the server's clock), marks that they came, writes a private
// note, and finds the session on her week calendar; the case, the session, the week (on a
// desktop and on a 360 px phone) and tomorrow's list pass axe.
func TestScheduleSessionAndMarkAttendance(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const admin = "admin@birge.example"
	kk := i18n.For("kk")
	p.login(admin, srv.password(t, admin))
	kase := p.firstLink("/cases", `^/cases/[0-9]+$`)
	p.open(kase)
	p.axe("a case with its sessions")
	yesterday := today.AddDate(0, 0, -1).Format(time.DateOnly)
	p.typeInto("f-room", "Кабинет 1")
	p.choose("f-date", yesterday)
	p.choose("f-from", "10:00")
	p.choose("f-to", "11:00")
	if resp := p.submit(`form[action$="/sessions"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("booking: status %d; the page says:\n%s", resp.Status, p.body())
	}
	session := js[string](p, `document.querySelector('#sessions + ul a[href^="/sessions/"]')?.getAttribute("href") ?? ""`)
	if session == "" || !strings.Contains(p.text("main"), "10:00–11:00") {
		t.Fatalf("the booked session is not on the case's page:\n%s", p.text("main"))
	}
	p.open(session)
	p.axe("a session")
	p.choose("f-attendance", "came")
	if resp := p.submit(`form[action="` + session + `"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("attendance: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.value("f-attendance"); got != "came" {
		t.Errorf("attendance after saving: %q", got)
	}
	p.typeInto("f-body", "Екеуі де келді, сабырлы сөйлесті")
	if resp := p.submit(`form[action$="/notes"] button[type=submit]`); resp.Status != http.StatusOK ||
		!strings.Contains(p.text("main"), "Екеуі де келді") {
		t.Fatalf("the note: status %d", resp.Status)
	}
	p.open("/calendar?mine=1&week=" + yesterday)
	if got := p.text("main"); !strings.Contains(got, "10:00–11:00") || !strings.Contains(got, kk.T("session.attendance.came")) {
		t.Errorf("her week lacks the session:\n%s", got)
	}
	p.axe("her week")
	p.open("/calendar/tomorrow")
	p.axe("tomorrow's appointments")
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	for _, path := range []string{"/calendar?mine=1&week=" + yesterday, session, kase} {
		p.open(path)
		if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
			t.Errorf("%s is %d px wide on a 360 px phone", path, sw)
		}
		p.axe(path + " on a phone")
	}
}

// On the Kargaly case, flagged by a screening (a yes to strangling), the case page in
// Kazakh shows mediation refused with the reason; forced through, the booking is refused
// with the reason too, and an individual session is still offered.
func TestFlaggedCaseRefusesMediation(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	const admin = "admin@birge.example"
	kk := i18n.For("kk")
	tok := srv.apiToken(t, admin)
	var cases struct {
		Items []birge.Case `json:"items"`
	}
	if status := srv.apiGet(t, tok, "/api/v1/cases?status=screening", &cases); status != http.StatusOK || len(cases.Items) == 0 {
		t.Fatalf("cases at screening: %d, %d", status, len(cases.Items))
	}
	k := cases.Items[0]
	answers := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		answers[q.Code] = q.Code == "strangling"
	}
	if status := srv.api(t, tok, http.MethodPost, "/api/v1/cases/"+strconv.FormatInt(k.ID, 10)+"/screenings", map[string]any{
		"person_id": k.PartnerIDs[0], "alone": true, "answers": answers, "fear": 8}, nil); status != http.StatusCreated {
		t.Fatalf("screening: %d", status)
	}
	p := newTab(t, srv)
	p.login(admin, srv.password(t, admin))
	p.open("/cases/" + strconv.FormatInt(k.ID, 10))
	if got := p.text("#gate-reason"); got != kk.T("session.flagged") {
		t.Errorf("the gate's reason: %q", got)
	}
	if !js[bool](p, `document.querySelector('input[name="type"][value="mediation"]').disabled`) ||
		js[bool](p, `document.querySelector('input[name="type"][value="individual"]').disabled`) {
		t.Error("mediation is not refused, or an individual session is")
	}
	if got := js[string](p, `document.querySelector('input[name="type"][value="mediation"]').closest("label").textContent`); !strings.Contains(got, kk.T("session.refused")) {
		t.Errorf("the mediation choice does not say why: %q", got)
	}
	p.axe("a flagged case's sessions")
	// Forced through the page, the booking is refused, saying why.
	js[bool](p, `const m = document.querySelector('input[name="type"][value="mediation"]'); m.disabled = false; m.checked = true; true`)
	p.choose("f-date", today.AddDate(0, 0, 7).Format(time.DateOnly))
	p.choose("f-from", "10:00")
	p.choose("f-to", "11:00")
	if resp := p.submit(`form[action$="/sessions"] button[type=submit]`); resp.Status != http.StatusConflict ||
		!strings.Contains(p.text(`[role="alert"]`), kk.T("session.flagged")) {
		t.Errorf("a forced mediation: status %d, alert %q", resp.Status, p.text(`[role="alert"]`))
	}
	p.axe("a mediation refused")
}
