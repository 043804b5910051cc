package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/i18n"
)

// TestDemoCompetitions: a newcomer who starts `serve --demo` finds the competitions'
// real figures. The grant officer (Russian) opens Belesteri's closed call: 650 applied,
// 50 awarded, US$200,000 awarded; Erke's round is hers too, with its scholarships; the
// reviewer finds the open round's ten applications waiting for her scores.
func TestDemoCompetitions(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true, history: true})
	p := newTab(t, srv)
	ru := i18n.For("ru")
	const officer = "grants@birge.example"
	p.login(officer, srv.password(t, officer))
	p.open("/calls")
	call := js[string](p, `[...document.querySelectorAll("main a")].find(a => a.innerText === "Бизнес-гранты для сельских женщин").getAttribute("href")`)
	p.screen(call+"/figures", http.StatusOK)
	for id, want := range map[string]string{"#fig-submitted": ru.Number(650), "#fig-awarded": "50", "#fig-awards": "50",
		"#fig-money": ru.Number(200000) + " USD"} {
		if got := p.text(id); got != want {
			t.Errorf("the business call's %s reads %q, want %q", id, got, want)
		}
	}
	p.screen(call+"/fairness", http.StatusOK)
	p.open("/calls")
	erke := js[string](p, `[...document.querySelectorAll("main a")].find(a => a.innerText === "Стипендия «Ерке» для одарённых детей").getAttribute("href")`)
	p.screen(erke+"/figures", http.StatusOK)
	if got := p.text("#fig-awarded"); got != "12" {
		t.Errorf("Erke's scholarships awarded: %q, want 12", got)
	}

	rv := p.incognito()
	const reviewer = "reviewer@birge.example"
	rv.login(reviewer, srv.password(t, reviewer))
	rv.screen("/reviews", http.StatusOK)
	// She reads English; those she has scored say so instead.
	if waiting := strings.Count(rv.text("main ul.list"), i18n.For("en").T("review.status.assigned")); waiting != 10 {
		t.Errorf("the reviewer has %d applications to score, want 10:\n%s", waiting, rv.text("main"))
	}
}
