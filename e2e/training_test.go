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

// The administrator, in Kyrgyz on a 360 px phone, adds Mama Pro's course and a cohort of
// two places at Almaty, generates its weekly sessions, finds three women in the registry
// and enrols them — the third goes to the waiting list — then records that the first
// dropped out and sees the waiting one move up, named on the page. Every screen passes
// axe and fits the phone.
func TestCohortWaitingListMovesUp(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTabFor(t, srv, time.Minute) // eleven screens and nine forms: more than one test's usual 30 s under load
	const admin = "admin@birge.example"
	ky := i18n.For("ky")
	tok := srv.apiToken(t, admin)
	var centers struct{ Items []birge.Center }
	srv.apiGet(t, tok, "/api/v1/centers", &centers)
	var almaty birge.Center
	for _, c := range centers.Items {
		if c.Names.EN == "Mama Pro Almaty" {
			almaty = c
		}
	}
	if almaty.ID == 0 {
		t.Fatal("no Mama Pro Almaty centre")
	}
	surnames := []string{"Асанова", "Бекова", "Токтогулова"}
	for _, family := range surnames {
		if code := srv.api(t, tok, http.MethodPost, "/api/v1/people", map[string]any{"center_id": almaty.ID,
			"family_name": family, "given_name": "Айзада"}, nil); code != http.StatusCreated {
			t.Fatalf("register %s: %d", family, code)
		}
	}
	p.login(admin, srv.password(t, admin))
	p.submit(`form.switcher button[value="ky"]`)
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	fits := func(what string) {
		t.Helper()
		if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
			t.Errorf("%s is %d px wide on a 360 px phone", what, sw)
		}
		p.axe(what)
	}

	p.open("/courses/new")
	p.choose("f-organization_id", strconv.FormatInt(almaty.OrgID, 10))
	for id, v := range map[string]string{"f-name_kk": "Цифрлық маркетинг", "f-name_ru": "Цифровой маркетинг",
		"f-name_ky": "Санариптик маркетинг", "f-name_en": "Digital marketing", "f-hours": "24"} {
		p.typeInto(id, v)
	}
	fits("a new course")
	if resp := p.submit(`form[action="/courses"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("course: status %d; the page says:\n%s", resp.Status, p.body())
	}
	fits("the courses")
	var courses struct{ Items []birge.Course }
	srv.apiGet(t, tok, "/api/v1/courses?organization_id="+strconv.FormatInt(almaty.OrgID, 10), &courses)
	if len(courses.Items) == 0 || courses.Items[len(courses.Items)-1].Names.KY != "Санариптик маркетинг" {
		t.Fatalf("the course is not in the catalogue: %+v", courses.Items)
	}
	p.open("/cohorts/new?course_id=" + strconv.FormatInt(courses.Items[len(courses.Items)-1].ID, 10))
	p.choose("f-center_id", strconv.FormatInt(almaty.ID, 10))
	p.typeInto("f-capacity", "2")
	p.choose("f-starts_on", "2027-01-11")
	p.choose("f-ends_on", "2027-02-28")
	fits("a new cohort")
	if resp := p.submit(`form[action="/cohorts"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("cohort: status %d; the page says:\n%s", resp.Status, p.body())
	}
	cohort := p.location().Path
	if resp := p.submit(`form[action$="/sessions"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("sessions: status %d", resp.Status)
	}
	// Saturdays from 16 January to 27 February.
	if n := strings.Count(p.text("#sessions + ul"), "10:00–12:00"); n != 7 {
		t.Errorf("%d weekly sessions, want 7", n)
	}
	fits("a cohort with its sessions")

	for _, family := range surnames {
		p.open(cohort)
		p.typeInto("f-q", family)
		p.submit(`form[role=search] button[type=submit]`)
		p.axe("women found")
		if resp := p.submit(`form[action$="/enrollments"] button[type=submit]`); resp.Status != http.StatusOK {
			t.Fatalf("enrol %s: status %d; the page says:\n%s", family, resp.Status, p.body())
		}
	}
	if got := p.text("#waiting + ol"); !strings.Contains(got, "Токтогулова") {
		t.Fatalf("the third is not waiting:\n%s", p.text("main"))
	}
	fits("a full cohort with a waiting list")

	p.do("open the first's drop form", chromedp.Click(chromedp.CSS(`#enrolled + ol li:first-child summary`)))
	p.do("type a reason", chromedp.SendKeys(chromedp.CSS(`#enrolled + ol li:first-child textarea`), "Жумушка кирди"))
	if resp := p.submit(`#enrolled + ol li:first-child form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("drop: status %d", resp.Status)
	}
	if got := p.text("#moved-up"); !strings.Contains(got, ky.T("enrollment.moved_up_from_list")) || !strings.Contains(got, "Токтогулова") {
		t.Errorf("the page does not say who moved up: %q", got)
	}
	if got := p.text("#enrolled + ol"); !strings.Contains(got, "Токтогулова") || strings.Contains(got, "Асанова") {
		t.Errorf("enrolled after the drop:\n%s", got)
	}
	if p.exists("#waiting + ol") {
		t.Errorf("someone still waits:\n%s", p.text("#waiting + ol"))
	}
	fits("who moved up")
}
