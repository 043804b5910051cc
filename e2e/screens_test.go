package e2e

import (
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Every screen a person uses passes axe-core's WCAG 2.1 A and AA rules: the public pages,
// the sign-in and setup forms (empty and refused), the error pages and, for the roles that
// use them, every staff page, forms with their errors shown included.
func TestEveryScreenPassesAxe(t *testing.T) {
	t.Run("public", func(t *testing.T) {
		srv := startServer(t, serverOptions{})
		p := newTabFor(t, srv, time.Minute)
		p.screen("/", http.StatusOK)
		p.screen("/request", http.StatusOK)
		p.screen("/request/sent", http.StatusOK)
		p.screen("/competitions", http.StatusOK)
		p.screen("/certificates", http.StatusOK)
		p.screen("/certificates/AAAAA-AAAAA", http.StatusNotFound)
		// A call's application form, step by step, and its staff pages:
		// TestApplicantAppliesOnHerPhone.
		p.screen("/competitions/status", http.StatusOK)
		p.screen("/trainings", http.StatusOK)
		p.screen("/trainings/signed-up?status=waiting", http.StatusOK)
		p.screen("/no-such-page", http.StatusNotFound)
		p.screen("/login", http.StatusOK)
		p.typeInto("f-email", "nobody@birge.example")
		p.typeInto("f-password", "not the password")
		p.submit(`form[action="/login"] button[type=submit]`)
		p.axe("the sign-in form, refused")
		setup := srv.SetupURL[len(srv.URL):]
		p.screen(setup, http.StatusOK)
		p.submit(`form[action="/setup"] button[type=submit]`)
		p.axe("the setup form with its errors")
	})

	srv := startServer(t, serverOptions{demo: true})
	t.Run("installation administrator", func(t *testing.T) {
		p := newTabFor(t, srv, 2*time.Minute)
		const admin = "admin@birge.example"
		p.login(admin, srv.password(t, admin))
		p.axe("/dashboard")
		p.screen("/organizations", http.StatusOK)
		p.screen("/organizations/new", http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a new organisation, refused")
		org := p.screen(p.firstLink("/organizations", `^/organizations/[0-9]+$`), http.StatusOK)
		p.screen(org+"/edit", http.StatusOK)
		p.screen(org+"/categories", http.StatusOK)
		p.screen(p.firstLink(org+"/categories", `/categories/[^/]+/edit$`), http.StatusOK)
		p.screen(org+"/kinds/deliveries", http.StatusOK)
		p.screen(org+"/kinds/outcomes", http.StatusOK)
		p.submit(`form[action$="/kinds/outcomes"] button[type=submit]`)
		p.axe("a new kind of outcome, refused")
		p.screen(org+"/kinds/outcomes/employed/edit", http.StatusOK)
		p.screen(org+"/services", http.StatusOK)
		p.submit(`form[action$="/services"] button[type=submit]`)
		p.axe("a new outside service, refused")
		p.screen(org+"/kinds/cases", http.StatusOK)
		p.screen(org+"/screening", http.StatusOK)
		p.screen("/centers", http.StatusOK)
		p.screen("/centers/new", http.StatusOK)
		center := p.screen(p.firstLink("/centers", `^/centers/[0-9]+$`), http.StatusOK)
		p.screen(center+"/edit", http.StatusOK)
		p.screen(center+"/families", http.StatusOK)
		program := p.firstLink("/programs", `^/programs/[0-9]+$`)
		p.screen(program+"/edit", http.StatusOK)
		p.screen(program+"/indicators/new", http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a new indicator, refused")
		p.screen("/cases", http.StatusOK)
		kase := p.screen(p.firstLink("/cases", `^/cases/[0-9]+$`), http.StatusOK)
		p.screen(kase+"/edit", http.StatusOK)
		p.screen(kase+"/screen", http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a screening, refused")
		p.screen("/referrals", http.StatusOK)
		p.screen("/referrals?overdue=1", http.StatusOK)
		p.screen("/referrals/new?case_id="+path.Base(kase), http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a referral, refused")
		p.open(kase)
		p.submit(`form[action$="/sessions"] button[type=submit]`)
		p.axe("a session, refused")
		p.screen("/calendar", http.StatusOK)
		p.screen("/calendar?mine=1", http.StatusOK)
		p.screen("/calendar/tomorrow", http.StatusOK)
		p.screen("/cases/new", http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a new case, refused")
		p.screen("/case-requests", http.StatusOK)
		p.screen("/courses", http.StatusOK)
		p.screen(p.firstLink("/courses", `^/courses/[0-9]+/edit$`), http.StatusOK)
		p.screen("/courses/new", http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a new course, refused")
		p.screen("/cohorts/new", http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a new cohort, refused")
		cohort := p.screen(p.firstLink("/cohorts", `^/cohorts/[0-9]+$`), http.StatusOK)
		p.screen(cohort+"?q=а", http.StatusOK)
		p.submit(`form[action$="/enrollments"] button[type=submit]`)
		p.axe("an enrolment, refused or made")
		p.screen(cohort+"/edit", http.StatusOK)
		p.typeInto("f-capacity", "0")
		p.submit(`main form button[type=submit]`)
		p.axe("a cohort's edit form, refused")
		course := p.screen(p.firstLink("/trainings", `^/trainings/[0-9]+$`), http.StatusOK)
		p.screen(p.firstLink(course, `^/trainings/cohorts/[0-9]+/signup$`), http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("the public sign-up form, refused")
		// A follow-up's page and the one-time link: TestWomanAnswersHerFollowup.
		p.screen("/followups", http.StatusOK)
		p.screen("/trainings/figures", http.StatusOK)
		p.screen("/trainings/figures?from=yesterday", http.StatusOK)
		p.screen("/funding", http.StatusOK)
		p.screen("/funding/deadlines", http.StatusOK)
		award := p.screen(p.firstLink("/funding", `^/funding/[0-9]+$`), http.StatusOK)
		p.screen(award+"/edit", http.StatusOK)
		p.screen("/funding/new", http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a new award, refused")
		// A call's own page, its edit form and form editor: TestGrantOfficerOpensACall.
		p.screen("/calls", http.StatusOK)
		p.screen("/calls/new", http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a new call, refused")
		// An award's page and a call's figures: TestOfficerPaysATrancheOnEvidence.
		p.screen("/awards/follow-ups", http.StatusOK)
		p.screen("/calls/figures", http.StatusOK)
		p.screen("/users", http.StatusOK)
		p.screen("/users/new", http.StatusOK)
		p.submit(`main form button[type=submit]`)
		p.axe("a new user, refused")
		user := p.screen(p.firstLink("/users", `^/users/[0-9]+$`), http.StatusOK)
		p.screen(user+"/edit", http.StatusOK)
		p.screen("/account", http.StatusOK)
		p.screen("/audit", http.StatusOK)
	})

	t.Run("coordinator", func(t *testing.T) {
		p := newTabFor(t, srv, 2*time.Minute)
		const coordinator = "coordinator@birge.example" // Aktobe centre, in Russian
		p.login(coordinator, srv.password(t, coordinator))
		p.axe("/dashboard")
		p.screen("/people", http.StatusOK)
		p.screen("/people?q=Жоқадамжоқ", http.StatusOK)
		p.screen("/people/new", http.StatusOK)
		p.typeInto("f-iin", "850315401232")
		p.submit(`form[action="/people"] button[type=submit]`)
		p.axe("a new person, refused")
		person := p.screen(p.firstLink("/people", `^/people/[0-9]+$`), http.StatusOK)
		p.screen(person+"?relative=а", http.StatusOK)
		p.screen(person+"/edit", http.StatusOK)
		p.screen(person+"/dossier", http.StatusOK)
		p.screen(person+"/anonymise", http.StatusOK)
		p.open(person)
		p.submit(`form[action$="/outcomes#outcomes"] button[type=submit]`)
		p.axe("an outcome on her page, refused")
		p.screen("/programs", http.StatusOK)
		p.screen("/programs/new", http.StatusOK)
		p.screen(p.firstLink("/programs", `^/programs/[0-9]+$`), http.StatusOK)
		p.screen("/people/duplicates", http.StatusOK)
		p.screen("/people/import", http.StatusOK)
		file := filepath.Join(t.TempDir(), "people.csv")
		if err := os.WriteFile(file, []byte("Фамилия;Имя;ИИН\nИмпортова;Жанар;850315401232\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		p.do("choose the file", chromedp.SetUploadFiles("#f-file", []string{file}))
		p.submit(`form[action="/people/import"] button[type=submit]`)
		p.waitFor("#import-summary", 20*time.Second)
		p.axe("an import's report")
		p.screen("/organizations/new", http.StatusForbidden)
	})

	t.Run("trainer", func(t *testing.T) {
		p := newTabFor(t, srv, time.Minute)
		const trainer = "trainer@birge.example" // Mama Pro Almaty, in Kazakh
		p.login(trainer, srv.password(t, trainer))
		p.screen("/courses", http.StatusOK)
		cohort := p.screen(p.firstLink("/cohorts", `^/cohorts/[0-9]+$`), http.StatusOK)
		p.screen("/cohorts/new", http.StatusForbidden)
		p.screen("/training-sessions/today", http.StatusOK)
		p.screen(p.firstLink(cohort, `^/training-sessions/[0-9]+/attendance$`), http.StatusOK)
	})

	t.Run("reviewer", func(t *testing.T) {
		// Her blind application and its score form, refused and saved, and the officer's
		// review pages: TestReviewerScoresBlind.
		p := newTabFor(t, srv, time.Minute)
		const reviewer = "reviewer@birge.example"
		p.login(reviewer, srv.password(t, reviewer))
		p.screen("/reviews", http.StatusOK)
	})

	t.Run("viewer", func(t *testing.T) {
		p := newTabFor(t, srv, time.Minute)
		const viewer = "viewer@birge.example" // in Kyrgyz
		p.login(viewer, srv.password(t, viewer))
		p.axe("/dashboard")
		p.screen("/account", http.StatusOK)
		p.screen("/people/new", http.StatusForbidden)
	})
}

// screen opens a page, checks its status and runs axe on it; it returns the path.
func (p *tab) screen(path string, status int) string {
	p.t.Helper()
	if resp := p.open(path); resp.Status != int64(status) {
		p.t.Fatalf("%s: status %d, want %d; the page says:\n%s", path, resp.Status, status, p.body())
	}
	p.axe(path)
	return path
}

// firstLink opens a list and returns the first link of its main part whose path matches.
func (p *tab) firstLink(list, pattern string) string {
	p.t.Helper()
	p.open(list)
	links := js[[]string](p, `[...document.querySelectorAll("main a[href]")].map(a => a.pathname)`)
	re := regexp.MustCompile(pattern)
	for _, l := range links {
		if re.MatchString(l) {
			return l
		}
	}
	p.t.Fatalf("%s links to nothing like %s: %v", list, pattern, links)
	return ""
}
