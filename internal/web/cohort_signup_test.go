package web

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// Bodies of the authorisation matrix's trainings sign-up and list routes.

func signupFormBody(fx *fixture) any {
	return url.Values{"family_name": {"Сейітова"}, "given_name": {"Гүлнар"}, "phone": {"+77015550101"},
		"childcare": {"on"}}
}

func signupJSON(fx *fixture) any {
	return `{"family_name": "Сейітова", "given_name": "Айгүл", "phone": "+77015550102", "special_needs": true}`
}

// cohortListUpload is a two-row list of women for a cohort.
func cohortListUpload(fx *fixture) any {
	return upload{name: "list.csv", content: []byte("Фамилия;Имя;Телефон\nСейітова;Гүлнар;+77015550103\nОмарова;Әсел;\n")}
}

// cohortEditBody is a cohort's edit form as its page sends it, on the version saved now.
func cohortEditBody(key string) func(fx *fixture) any {
	return func(fx *fixture) any {
		h, err := fx.site.st.Trainings.Cohort(context.Background(), birge.System("t"), fx.ids[key])
		if err != nil {
			fx.site.t.Fatal(err)
		}
		f := url.Values{}
		for k, v := range cohortToForm(h, "").Values {
			f.Set(k, v)
		}
		f.Set("capacity", "12")
		f.Set("public_signup", "on")
		f.Set("version", h.UpdatedAt.Format(time.RFC3339Nano))
		return f
	}
}

// signupSite is trainingSite's cohort offered on the public site, for women aged 18 to
// 45, with capacity places.
func signupSite(t *testing.T, st *store.Store, capacity int) (*site, string, birge.Cohort) {
	t.Helper()
	s, tok, h := trainingSite(t, st)
	res := s.api(tok, http.MethodPatch, fmt.Sprintf("/api/v1/cohorts/%d", h.ID), map[string]any{"public_signup": true,
		"capacity": capacity, "min_age": 18, "max_age": 45, "language": "kk"})
	if decodeJSON(t, res, &h); res.StatusCode != http.StatusOK || !h.PublicSignup {
		t.Fatalf("offer the cohort: %d %s", res.StatusCode, res.Body)
	}
	return s, tok, h
}

// TestSignupPageWeight: the catalogue, the course's page and the sign-up form, with their
// stylesheet and script, weigh at most 100 KB as served, in every language, and carry
// the quick exit.
func TestSignupPageWeight(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		s, _, h := signupSite(t, st, 3)
		for _, lang := range i18n.Langs {
			hd := http.Header{"Cookie": {langCookie + "=" + lang}}
			for _, path := range []string{"/trainings", fmt.Sprintf("/trainings/%d", h.CourseID), fmt.Sprintf("/trainings/cohorts/%d/signup", h.ID)} {
				page := s.do(nil, http.MethodGet, path, nil, hd)
				if page.StatusCode != 200 || !strings.Contains(page.Body, `id="quick-exit"`) || !strings.Contains(page.Body, fmt.Sprintf("/trainings/%d", h.CourseID)) && !strings.Contains(page.Body, fmt.Sprintf("/trainings/cohorts/%d/signup", h.ID)) {
					t.Fatalf("%s %s: %d\n%s", lang, path, page.StatusCode, page.Body)
				}
				total, zipped := len(page.Body), gzipped(page.Body)
				for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(page.Body, -1) {
					res := s.get(nil, html.UnescapeString(m[1]))
					total, zipped = total+len(res.Body), zipped+gzipped(res.Body)
				}
				if total > 100*1024 {
					t.Errorf("%s %s weighs %d bytes as served, over 100 KB", lang, path, total)
				}
				t.Logf("%s %s: %d bytes as served, %d gzipped", lang, path, total, zipped)
			}
		}
	})
}

// TestSignupFormAndConfirm: in Kazakh, what she did not fill in or does not meet is said
// beside its field in Kazakh; a sign-up is told the same whether the registry knew her
// or not; the cohort's page lists her as pending for staff, who confirm her; once full,
// the form offers the waiting list.
func TestSignupFormAndConfirm(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		s, _, h := signupSite(t, st, 2)
		kk := http.Header{"Cookie": {langCookie + "=kk"}}
		p := i18n.For("kk")
		path := fmt.Sprintf("/trainings/cohorts/%d/signup", h.ID)
		res := s.do(nil, http.MethodPost, path, url.Values{"family_name": {"Сейітова"}, "birth_date": {"1950-01-01"}}, kk)
		if res.StatusCode != 422 {
			t.Fatalf("refused: %d", res.StatusCode)
		}
		for field, key := range map[string]string{"given_name": "field.required", "phone": "field.required"} {
			if !strings.Contains(res.Body, `id="e-`+field+`">`+html.EscapeString(p.T(key))+`<`) {
				t.Errorf("no message %q beside %s:\n%s", p.T(key), field, res.Body)
			}
		}
		res = s.do(nil, http.MethodPost, path, url.Values{"given_name": {"Гүлнар"}, "phone": {"+77015550000"}, "birth_date": {"1950-01-01"}}, kk)
		if !strings.Contains(res.Body, `id="e-birth_date">`+html.EscapeString(p.T("signup.too_old"))+`<`) {
			t.Errorf("not eligible: %d\n%s", res.StatusCode, res.Body)
		}
		known := s.registerAt("Mama Pro Almaty", birge.Person{FamilyName: "Әбдірахманова", GivenName: "Жанар", Phones: []string{"+77011234567"}})
		first := s.do(nil, http.MethodPost, path, url.Values{"family_name": {"Abdirakhmanova"}, "given_name": {"Zhanar"},
			"phone": {"87011234567"}, "birth_date": {"1990-04-05"}, "childcare": {"on"}, "accommodation": {"Балам арбамен жүреді"}}, kk)
		second := s.do(nil, http.MethodPost, path, url.Values{"family_name": {"Жұмабаева"}, "given_name": {"Ұлжан"},
			"phone": {"+77029876543"}, "birth_date": {"1988-12-01"}}, kk)
		if first.StatusCode != 303 || second.StatusCode != 303 || first.Header.Get("Location") != second.Header.Get("Location") ||
			first.Header.Get("Location") != "/trainings/signed-up?status=pending" {
			t.Fatalf("answers: %d %s, %d %s", first.StatusCode, first.Header.Get("Location"), second.StatusCode, second.Header.Get("Location"))
		}
		if sent := s.do(nil, http.MethodGet, first.Header.Get("Location"), nil, kk); !strings.Contains(sent.Body, html.EscapeString(p.T("signup.next_pending"))) {
			t.Errorf("thanks page:\n%s", sent.Body)
		}
		form := s.do(nil, http.MethodGet, path, nil, kk)
		if !strings.Contains(form.Body, `name="wait"`) {
			t.Errorf("the full cohort's form does not offer the waiting list")
		}
		admin := s.login("admin@birge.example")
		page := s.get(admin, fmt.Sprintf("/cohorts/%d", h.ID))
		if page.StatusCode != 200 || !strings.Contains(page.Body, `id="pending"`) ||
			!strings.Contains(page.Body, fmt.Sprintf(`href="/people/%d">Әбдірахманова Жанар`, known)) {
			t.Fatalf("the cohort's page:\n%s", page.Body)
		}
		if list := s.get(admin, "/cohorts"); !strings.Contains(list.Body, fmt.Sprintf(`href="/cohorts/%d#pending"`, h.ID)) {
			t.Errorf("the list does not count pending sign-ups:\n%s", list.Body)
		}
		id := regexp.MustCompile(`action="/enrollments/(\d+)" class="inline"><input type="hidden" name="status" value="enrolled">`).FindStringSubmatch(page.Body)
		if id == nil {
			t.Fatalf("no confirm button:\n%s", page.Body)
		}
		if res := s.postForm(admin, "/enrollments/"+id[1], url.Values{"status": {"enrolled"}}, nil); res.StatusCode != 303 {
			t.Fatalf("confirm: %d %s", res.StatusCode, res.Body)
		}
		e, err := st.Trainings.Enrollment(context.Background(), birge.System("t"), mustInt(t, id[1]))
		if err != nil || e.Status != birge.EnrollmentEnrolled || e.Source != birge.SourceSignup {
			t.Errorf("confirmed: %+v, %v", e, err)
		}
	})
}

// TestSignupNaughtyForm: every naughty string in every text field of the public form is
// kept exactly or refused beside its field — never a 500.
func TestSignupNaughtyForm(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		s, _, h := signupSite(t, st, birge.MaxCohortCapacity)
		s.srv.cfg.TrustProxy = true // each string from its own address
		path := fmt.Sprintf("/trainings/cohorts/%d/signup", h.ID)
		for i, v := range naughtyStrings(t) {
			f := url.Values{"family_name": {v}, "given_name": {v}, "patronymic": {v}, "accommodation": {v},
				"phone": {fmt.Sprintf("+7701%07d", i)}, "birth_date": {"1990-01-01"}, "wait": {"on"}}
			res := s.do(nil, http.MethodPost, path, f, http.Header{"X-Forwarded-For": {"10.3." + strconv.Itoa(i/200) + "." + strconv.Itoa(i%200)}})
			if res.StatusCode != 303 && res.StatusCode != 422 {
				t.Fatalf("%q: %d", v, res.StatusCode)
			}
		}
		list, err := st.Trainings.Enrollments(context.Background(), birge.System("t"), h.ID)
		if err != nil || len(list) < 100 {
			t.Fatalf("%d kept: %v", len(list), err)
		}
		for _, e := range list {
			p, err := st.People.Get(context.Background(), birge.System("t"), e.PersonID)
			if err != nil || p.FamilyName != e.Accommodation || p.Patronymic != e.Accommodation {
				t.Errorf("kept differently: %q, %q", p.FamilyName, e.Accommodation)
			}
		}
	})
}

// TestCohortListImport: a list uploaded on the cohort's page enrols its good rows and
// says why the others were not; a hostile or oversized file is refused beside the file
// field, on the page and in the API, and nothing is enrolled.
func TestCohortListImport(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		s, tok, h := trainingSite(t, st)
		admin := s.login("admin@birge.example")
		path := fmt.Sprintf("/cohorts/%d/enrollments/import", h.ID)
		list := []byte("Фамилия;Имя;Дата рождения\nСейітова;Гүлнар;1990-01-01\nОмарова;;1991-02-02\nНұрланова;Айым;1992-03-03\nҚасымова;Мөлдір;1993-04-04\n")
		res := s.do(admin, http.MethodPost, path, upload{name: "list.csv", content: list}, nil)
		p := i18n.For(htmlLang(t, res.Body))
		if res.StatusCode != 200 || strings.Count(res.Body, "<td>"+p.T("cohort_import.status.enrolled")+"</td>") != 2 ||
			!strings.Contains(res.Body, p.T("cohort_import.status.waiting")) || !strings.Contains(res.Body, p.T("field.required")) {
			t.Fatalf("results: %d\n%s", res.StatusCode, res.Body)
		}
		wide := []byte(strings.Repeat(",", 1_000_000) + "Имя\n" + strings.Repeat(",", 1_000_000) + "Айжан\n")
		for name, c := range map[string]struct {
			content []byte
			status  int
			key     string
		}{"wide.csv": {wide, 422, "import.too_many_columns"}, "fake.xlsx": {[]byte("PK\x03\x04not a zip at all"), 422, "import.not_table"},
			"big.csv": {bytes.Repeat([]byte("Имя\n"), api.MaxCohortListBytes/7+1), 413, "import.too_large"}} {
			res := s.do(admin, http.MethodPost, path, upload{name: name, content: c.content}, nil)
			// The page shows the form again with the message: a 422, whatever the API says.
			if res.StatusCode != 422 || !strings.Contains(res.Body, html.EscapeString(i18n.For(htmlLang(t, res.Body)).T(c.key))) || len(res.Body) > 100<<10 {
				t.Errorf("page, %s: %d, %d bytes, want 422 with %s", name, res.StatusCode, len(res.Body), c.key)
			}
			res = s.do(nil, http.MethodPost, "/api/v1"+path, upload{name: name, content: c.content}, http.Header{"Authorization": {"Bearer " + tok}})
			if pr := problemOf(t, res); res.StatusCode != c.status || pr.Errors["file"] == "" {
				t.Errorf("API, %s: %d %v", name, res.StatusCode, pr.Errors)
			}
		}
		res = s.api(tok, http.MethodGet, fmt.Sprintf("/api/v1/cohorts/%d/enrollments", h.ID), nil)
		if n := strings.Count(res.Body, `"source":"import"`); n != 3 {
			t.Errorf("%d enrolled from lists, want 3:\n%s", n, res.Body)
		}
	})
}

// TestCohortEditForm: the cohort's edit form shows it as saved; a bad capacity and a
// sign-up closing after the cohort ends are said beside their fields, with what was
// typed kept; a good form saves and offers the cohort on the public site.
func TestCohortEditForm(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		s, _, h := trainingSite(t, st)
		admin := s.login("admin@birge.example")
		edit := s.get(admin, fmt.Sprintf("/cohorts/%d/edit", h.ID))
		if edit.StatusCode != 200 || !strings.Contains(edit.Body, `name="version"`) || !strings.Contains(edit.Body, `value="2027-01-11"`) {
			t.Fatalf("edit form: %d\n%s", edit.StatusCode, edit.Body)
		}
		p := i18n.For(htmlLang(t, edit.Body))
		f := url.Values{}
		for k, v := range cohortToForm(h, "").Values {
			f.Set(k, v)
		}
		f.Set("capacity", "many")
		f.Set("signup_until", "2027-03-01")
		f.Set("venue", "Зал 4")
		res := s.postForm(admin, fmt.Sprintf("/cohorts/%d", h.ID), f, nil)
		for field, key := range map[string]string{"capacity": "training.capacity_range", "signup_until": "signup.until_after_end"} {
			if !strings.Contains(res.Body, `id="e-`+field+`">`+html.EscapeString(p.T(key))+`<`) {
				t.Errorf("no message %q beside %s", p.T(key), field)
			}
		}
		if res.StatusCode != 422 || !strings.Contains(res.Body, `value="Зал 4"`) {
			t.Fatalf("refused: %d\n%s", res.StatusCode, res.Body)
		}
		f.Set("capacity", "3")
		f.Set("signup_until", "2027-01-20")
		f.Set("public_signup", "on")
		if res := s.postForm(admin, fmt.Sprintf("/cohorts/%d", h.ID), f, nil); res.StatusCode != 303 {
			t.Fatalf("saved: %d\n%s", res.StatusCode, res.Body)
		}
		got, err := st.Trainings.Cohort(context.Background(), birge.System("t"), h.ID)
		if err != nil || got.Capacity != 3 || got.Venue != "Зал 4" || !got.PublicSignup || got.SignupUntil != "2027-01-20" {
			t.Errorf("saved as %+v, %v", got, err)
		}
		if res := s.get(nil, fmt.Sprintf("/trainings/cohorts/%d/signup", h.ID)); res.StatusCode != 200 {
			t.Errorf("offered cohort's form: %d", res.StatusCode)
		}
	})
}

// TestSignupAPI: the public catalogue lists the offered cohort with its places; a
// sign-up with no account is a 201 with the status she may be told, the same for one the
// registry knows; a bad one is a 422 by field; an address past its free sign-ups waits.
func TestSignupAPI(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		s, tok, h := signupSite(t, st, 1)
		var courses struct{ Items []birge.PublicCourse }
		res := s.api("", http.MethodGet, "/api/v1/public/courses", nil)
		decodeJSON(t, res, &courses)
		var offered []birge.PublicCohort
		for _, k := range courses.Items {
			if k.ID == h.CourseID {
				offered = k.Cohorts
			}
		}
		if res.StatusCode != 200 || len(offered) != 1 || offered[0].PlacesLeft != 1 || offered[0].MaxAge != 45 {
			t.Fatalf("catalogue: %d %s", res.StatusCode, res.Body)
		}
		path := fmt.Sprintf("/api/v1/public/cohorts/%d/signups", h.ID)
		res = s.api("", http.MethodPost, path, map[string]any{"given_name": "Айгүл", "phone": "+77015550000", "birth_date": "1950-01-01"})
		if pr := problemOf(t, res); res.StatusCode != 422 || pr.Errors["birth_date"] == "" {
			t.Errorf("too old: %d %v", res.StatusCode, pr.Errors)
		}
		s.registerAt("Mama Pro Almaty", birge.Person{FamilyName: "Асанова", GivenName: "Айгүл", Phones: []string{"+77015550001"}})
		first := s.api("", http.MethodPost, path, map[string]any{"family_name": "Asanova", "given_name": "Aigul",
			"phone": "+77015550001", "birth_date": "1990-01-01"})
		res = s.api("", http.MethodPost, path, map[string]any{"given_name": "Бермет", "phone": "+77015550002", "birth_date": "1990-01-01"})
		if pr := problemOf(t, res); res.StatusCode != 422 || pr.Errors["wait"] == "" {
			t.Errorf("full, not waiting: %d %v", res.StatusCode, pr.Errors)
		}
		again := s.api("", http.MethodPost, path, map[string]any{"family_name": "Asanova", "given_name": "Aigul",
			"phone": "+77015550001", "birth_date": "1990-01-01", "wait": true})
		waiting := s.api("", http.MethodPost, path, map[string]any{"given_name": "Бермет", "phone": "+77015550002",
			"birth_date": "1990-01-01", "wait": true})
		if first.StatusCode != 201 || first.Body != `{"status":"pending"}`+"\n" && first.Body != `{"status":"pending"}` ||
			again.StatusCode != 201 || waiting.StatusCode != 201 || again.Body != waiting.Body || !strings.Contains(waiting.Body, `"waiting"`) {
			t.Errorf("answers: %d %s; twice %d %s; waiting %d %s", first.StatusCode, first.Body, again.StatusCode, again.Body,
				waiting.StatusCode, waiting.Body)
		}
		res = s.api(tok, http.MethodGet, fmt.Sprintf("/api/v1/cohorts/%d/enrollments", h.ID), nil)
		if strings.Count(res.Body, `"source":"signup"`) != 2 || !strings.Contains(res.Body, `"status":"pending"`) {
			t.Errorf("enrolments: %s", res.Body)
		}
		for i := 0; ; i++ {
			res := s.api("", http.MethodPost, path, map[string]any{"given_name": "Чолпон", "phone": "+77015550009",
				"birth_date": "1990-01-01", "wait": true})
			if res.StatusCode == http.StatusTooManyRequests {
				break
			}
			if i > birge.FreeRequests {
				t.Fatalf("no wait after %d sign-ups from one address: %d", i, res.StatusCode)
			}
		}
	})
}
