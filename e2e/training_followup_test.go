package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A woman who completed Mama Pro's course in September answers her three-month
// follow-up herself: the training manager makes a one-time link in Kazakh, the woman
// opens it on a 360-px phone with no account, her first try is refused beside the
// fields in Kazakh, her second recorded; the link then no longer works, and the manager
// sees her answers recorded through it. Every screen passes axe.
func TestWomanAnswersHerFollowup(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	const admin = "admin@birge.example"
	tok := srv.apiToken(t, admin)
	var courses struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	var orgs struct {
		Items []struct {
			ID     int64  `json:"id"`
			NameEN string `json:"name_en"`
		} `json:"items"`
	}
	srv.apiGet(t, tok, "/api/v1/organizations", &orgs)
	var mamapro int64
	for _, o := range orgs.Items {
		if o.NameEN == "Mama Pro" {
			mamapro = o.ID
		}
	}
	srv.apiGet(t, tok, fmt.Sprintf("/api/v1/courses?organization_id=%d", mamapro), &courses)
	var centers struct {
		Items []struct {
			ID     int64  `json:"id"`
			NameEN string `json:"name_en"`
		} `json:"items"`
	}
	srv.apiGet(t, tok, fmt.Sprintf("/api/v1/centers?organization_id=%d", mamapro), &centers)
	var almaty int64
	for _, c := range centers.Items {
		if c.NameEN == "Mama Pro Almaty" {
			almaty = c.ID
		}
	}
	var cohort, her, enrol struct {
		ID        int64     `json:"id"`
		UpdatedAt time.Time `json:"updated_at"`
	}
	if st := srv.api(t, tok, http.MethodPost, "/api/v1/cohorts", map[string]any{"course_id": courses.Items[0].ID,
		"center_id": almaty, "language": "kk", "capacity": 20, "starts_on": "2026-07-01", "ends_on": "2026-09-15"}, &cohort); st != http.StatusCreated {
		t.Fatalf("cohort: %d", st)
	}
	if st := srv.api(t, tok, http.MethodPost, "/api/v1/people", map[string]any{"center_id": almaty, "family_name": "Сәрсенбаева",
		"given_name": "Ақбота", "phones": []string{"+77015550404"}, "may_call": false}, &her); st != http.StatusCreated {
		t.Fatalf("her record: %d", st)
	}
	if st := srv.api(t, tok, http.MethodPost, fmt.Sprintf("/api/v1/cohorts/%d/enrollments", cohort.ID),
		map[string]any{"person_id": her.ID}, &enrol); st != http.StatusCreated {
		t.Fatalf("enrolment: %d", st)
	}
	if st := srv.api(t, tok, http.MethodPatch, fmt.Sprintf("/api/v1/enrollments/%d", enrol.ID),
		map[string]any{"status": "completed"}, nil); st != http.StatusOK {
		t.Fatalf("completed: %d", st)
	}

	staff := newTabFor(t, srv, 2*time.Minute)
	staff.login(admin, srv.password(t, admin))
	page := fmt.Sprintf("/followups/%d/3", enrol.ID)
	staff.screen("/followups?status=due", http.StatusOK)
	if !staff.exists(`a[href="` + page + `"]`) {
		t.Fatalf("her follow-up is not on the list of those due:\n%s", staff.text("main"))
	}
	staff.screen(page, http.StatusOK)
	// She asked not to be called: her page says so, with no number to dial.
	if staff.exists(`#contact a[href^="tel:"]`) || !staff.exists(`#contact .do-not-call`) {
		t.Errorf("her phone, though she may not be called:\n%s", staff.text("#contact"))
	}
	staff.choose("f-lang", "kk")
	if resp := staff.submit(`form[action$="/link"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("the link: status %d", resp.Status)
	}
	staff.axe("the follow-up with its link")
	link, err := url.Parse(staff.value("followup-link"))
	if err != nil || !strings.HasPrefix(link.Path, "/followup/f_") {
		t.Fatalf("the link: %q, %v", staff.value("followup-link"), err)
	}

	woman := newTabFor(t, srv, time.Minute)
	kk := i18n.For("kk")
	woman.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	woman.screen(link.Path, http.StatusOK)
	if got := woman.text("h1"); got != kk.T("followup.public_title") {
		t.Errorf("the page's title: %q", got)
	}
	if !strings.Contains(woman.text("main"), "Ақбота") || strings.Contains(woman.text("main"), "Сәрсенбаева") {
		t.Errorf("the page says:\n%s", woman.text("main"))
	}
	if sw := js[int](woman, `document.documentElement.scrollWidth`); sw > 360 {
		t.Errorf("the page is %d px wide on a 360 px phone", sw)
	}
	woman.do("a business, but not what", chromedp.Click(chromedp.CSS(`input[name="business_started"]`)))
	if resp := woman.submit(`main form button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty answer: status %d", resp.Status)
	}
	if got := woman.text("#e-employment"); got != kk.T("field.choose") {
		t.Errorf("beside her work: %q", got)
	}
	if got := woman.text("#e-business_kind"); got != kk.T("field.required") {
		t.Errorf("beside her business: %q", got)
	}
	woman.axe("her answers, refused")
	woman.choose("f-employment", "self_employed")
	woman.typeInto("f-business_kind", "Тігін шеберханасы")
	woman.typeInto("f-business_employees", "2")
	woman.choose("f-income_band", "middle")
	woman.choose("f-helped", "yes")
	woman.typeInto("f-comment", "Курс өте пайдалы болды, рахмет!")
	if resp := woman.submit(`main form button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("her answers: status %d; the page says:\n%s", resp.Status, woman.body())
	}
	if got := woman.text("h1"); got != kk.T("followup.thanks_title") {
		t.Errorf("after sending: %q", got)
	}
	woman.axe("thanks")
	woman.screen(link.Path, http.StatusGone)
	woman.axe("a link used already")

	staff.screen(page, http.StatusOK)
	if got := staff.text("#answers"); !strings.Contains(got, "Тігін шеберханасы") || !strings.Contains(got, kk.T("followup.via.link")) {
		t.Errorf("her answers on the staff's page:\n%s", got)
	}
	staff.axe("her follow-up, recorded")
}
