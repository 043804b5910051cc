package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// certificateFixtures are certificates of women who completed the Almaty cohorts (the
// trainer's and another's), each used by one case.
func certificateFixtures(t *testing.T, s *site, fx *fixture) {
	t.Helper()
	ctx, sys := context.Background(), birge.System("t")
	almaty := s.center("Mama Pro Almaty")
	for _, key := range []string{"almaty", "almaty-revoke", "almaty-api-revoke", "almaty-other"} {
		cohort := fx.ids["cohort:almaty"]
		if key == "almaty-other" {
			cohort = fx.ids["cohort:almaty-other"]
		}
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: almaty.ID, GivenName: "Әйгерім " + key, FamilyName: "Үсенова"})
		if err != nil {
			t.Fatal(err)
		}
		completeAndIssue(t, s.st, cohort, p.ID)
		list, err := s.st.Trainings.Certificates(ctx, sys, cohort)
		if err != nil || len(list) == 0 {
			t.Fatalf("certificates: %v", err)
		}
		fx.ids["certificate:"+key] = list[len(list)-1].ID
	}
}

// completeAndIssue enrols her in the cohort, marks her completed and issues her
// certificate.
func completeAndIssue(t *testing.T, st *store.Store, cohort, person int64) {
	t.Helper()
	ctx, sys := context.Background(), birge.System("t")
	e, err := st.Trainings.Enroll(ctx, sys, cohort, birge.Enrollment{PersonID: person})
	if err != nil {
		t.Fatal(err)
	}
	e.Status = birge.EnrollmentCompleted
	if _, err := st.Trainings.UpdateEnrollment(ctx, sys, e); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Trainings.IssueCertificates(ctx, sys, cohort); err != nil {
		t.Fatal(err)
	}
}

// certificateList is the answer of GET /cohorts/{id}/certificates.
type certificateList struct {
	Issued int `json:"issued"`
	Items  []struct {
		ID         int64   `json:"id"`
		Code       string  `json:"code"`
		PersonName string  `json:"person_name"`
		CourseKY   string  `json:"course_ky"`
		Hours      int     `json:"hours"`
		Revoked    *string `json:"revoked_at"`
		Reason     string  `json:"revoke_reason"`
		Language   string  `json:"language"`
	} `json:"items"`
}

// TestCertificateAPI: issuing through the API gives one certificate to each woman who
// completed and none twice; anyone checks its code with no account and learns her name,
// the course and the day — a revoked one says only that it is revoked, and since when.
func TestCertificateAPI(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s, tok, cohort := trainingSite(t, st)
		p := s.registerAt("Mama Pro Almaty", birge.Person{GivenName: "Әйгерім", FamilyName: "Құрманғазықызы"})
		res := s.api(tok, http.MethodPost, fmt.Sprintf("/api/v1/cohorts/%d/enrollments", cohort.ID), map[string]any{"person_id": p})
		var e birge.Enrollment
		decodeJSON(t, res, &e)
		if res := s.api(tok, http.MethodPatch, fmt.Sprintf("/api/v1/enrollments/%d", e.ID), map[string]any{"status": "completed"}); res.StatusCode != 200 {
			t.Fatalf("completed: %d %s", res.StatusCode, res.Body)
		}
		path := fmt.Sprintf("/api/v1/cohorts/%d/certificates", cohort.ID)
		var got certificateList
		res = s.api(tok, http.MethodPost, path, nil)
		if decodeJSON(t, res, &got); res.StatusCode != 200 || got.Issued != 1 || len(got.Items) != 1 ||
			!strings.Contains(got.Items[0].PersonName, "Әйгерім") || got.Items[0].Hours != 24 || got.Items[0].Language != "ky" {
			t.Fatalf("issue: %d %s", res.StatusCode, res.Body)
		}
		if res := s.api(tok, http.MethodPost, path, nil); !strings.Contains(res.Body, `"issued":0`) {
			t.Errorf("issued again: %s", res.Body)
		}
		code := got.Items[0].Code
		var pub map[string]any
		res = s.api("", http.MethodGet, "/api/v1/certificates/"+strings.ToLower(code), nil)
		if decodeJSON(t, res, &pub); res.StatusCode != 200 || pub["revoked"] != false || !strings.Contains(pub["name"].(string), "Құрманғазықызы") ||
			pub["course_ky"] != "Ишкердик" || pub["completed_on"] != "2027-02-28" || len(pub) != 8 {
			t.Errorf("verify: %d %s", res.StatusCode, res.Body)
		}
		one := fmt.Sprintf("/api/v1/training-certificates/%d", got.Items[0].ID)
		if res := s.api(tok, http.MethodPost, one+"/revoke", map[string]any{"reason": ""}); res.StatusCode != 422 || problemOf(t, res).Errors["reason"] == "" {
			t.Errorf("revoked without a reason: %d %s", res.StatusCode, res.Body)
		}
		if res := s.api(tok, http.MethodPost, one+"/revoke", map[string]any{"reason": "Жобасы қабылданбаған"}); res.StatusCode != 200 {
			t.Fatalf("revoke: %d %s", res.StatusCode, res.Body)
		}
		if res := s.api(tok, http.MethodPost, one+"/revoke", map[string]any{"reason": "Тағы"}); res.StatusCode != 409 {
			t.Errorf("revoked twice: %d %s", res.StatusCode, res.Body)
		}
		pub = nil
		res = s.api("", http.MethodGet, "/api/v1/certificates/"+code, nil)
		if decodeJSON(t, res, &pub); res.StatusCode != 200 || pub["revoked"] != true || pub["revoked_on"] != "2027-01-01" || pub["name"] != nil {
			t.Errorf("revoked: %d %s", res.StatusCode, res.Body)
		}
		if res := s.api("", http.MethodGet, "/api/v1/certificates/ZZZZZ-ZZZZZ", nil); res.StatusCode != 404 ||
			!strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("unknown code: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
		}
	})
}

// TestCertificatePages: the cohort's page issues and lists the certificates; the
// printable page and the PDF are in the cohort's language with her name as typed; the
// public page in Kazakh says valid, revoked or not found.
func TestCertificatePages(t *testing.T) {
	t.Parallel()
	st := testenv.Open(t, testenv.Databases(t)[0])
	s, _, cohort := trainingSite(t, st)
	p := s.registerAt("Mama Pro Almaty", birge.Person{GivenName: "Гүлнәр", FamilyName: "Һамитова"})
	ctx := context.Background()
	e, err := st.Trainings.Enroll(ctx, birge.System("t"), cohort.ID, birge.Enrollment{PersonID: p})
	if err != nil {
		t.Fatal(err)
	}
	e.Status = birge.EnrollmentCompleted
	if _, err := st.Trainings.UpdateEnrollment(ctx, birge.System("t"), e); err != nil {
		t.Fatal(err)
	}
	admin := s.login("admin@birge.example")
	res := s.postForm(admin, fmt.Sprintf("/cohorts/%d/certificates", cohort.ID), url.Values{}, nil)
	to := res.Header.Get("Location")
	if res.StatusCode != 303 || !strings.Contains(to, "issued=1") {
		t.Fatalf("issue: %d to %q", res.StatusCode, to)
	}
	if res := s.get(admin, to); res.StatusCode != 200 || !strings.Contains(res.Body, `id="issued"`) {
		t.Errorf("the cohort's page after the issue: %d", res.StatusCode)
	}
	list, _ := st.Trainings.Certificates(ctx, birge.System("t"), cohort.ID)
	if len(list) != 1 {
		t.Fatalf("%d certificates", len(list))
	}
	c := list[0]
	page := s.get(admin, fmt.Sprintf("/training-certificates/%d", c.ID))
	// The cohort is taught in Kyrgyz: the certificate says so in Kyrgyz.
	if page.StatusCode != 200 || !strings.Contains(page.Body, "Һамитова Гүлнәр") || !strings.Contains(page.Body, "Ишкердик") ||
		!strings.Contains(page.Body, "тастыктайт") || !strings.Contains(page.Body, c.Code) {
		t.Errorf("printable page: %d", page.StatusCode)
	}
	pdf := s.get(admin, fmt.Sprintf("/training-certificates/%d/pdf", c.ID))
	if pdf.StatusCode != 200 || pdf.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(pdf.Body, "%PDF-") {
		t.Errorf("pdf: %d %s", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
	for _, c := range []struct{ path, want string }{
		{"/certificates", ""},
		{"/certificates/" + c.Code, "Һамитова"},
		{"/certificates?code=" + url.QueryEscape(strings.ToLower(c.Code)), "Кәсіпкерлік"}, // the course in the reader's language
		{"/certificates?code=AAAAA-AAAAA", "табылмады"},
	} {
		res := s.do(nil, http.MethodGet, c.path, nil, http.Header{"Accept-Language": {"kk"}})
		if res.StatusCode >= 500 || !strings.Contains(res.Body, c.want) {
			t.Errorf("%s: %d, want %q in it", c.path, res.StatusCode, c.want)
		}
	}
	// Revoked with a reason; the public page then says revoked, without her name.
	res = s.postForm(admin, fmt.Sprintf("/training-certificates/%d/revoke", c.ID), url.Values{"reason": {""}}, nil)
	if res.StatusCode != 422 || !strings.Contains(res.Body, `id="e-reason"`) {
		t.Errorf("revoke without a reason: %d", res.StatusCode)
	}
	res = s.postForm(admin, fmt.Sprintf("/training-certificates/%d/revoke", c.ID), url.Values{"reason": {"Қате берілген"}}, nil)
	if res.StatusCode != 303 {
		t.Errorf("revoke: %d", res.StatusCode)
	}
	if res := s.get(admin, fmt.Sprintf("/training-certificates/%d", c.ID)); !strings.Contains(res.Body, `id="revoked"`) {
		t.Errorf("the revoked certificate's page: %d", res.StatusCode)
	}
	res = s.do(nil, http.MethodGet, "/certificates/"+c.Code, nil, http.Header{"Accept-Language": {"kk"}})
	if !strings.Contains(res.Body, i18n.For("kk").T("verify.revoked")) || strings.Contains(res.Body, "Һамитова") {
		t.Errorf("public page of a revoked certificate: %d", res.StatusCode)
	}
}

// TestCertificateNaughtyStrings: every naughty string as a revoke reason is stored as
// sent or refused beside the field; as a code, it is not found (or, once the address
// has missed too often, throttled) — never a 500.
func TestCertificateNaughtyStrings(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s, tok, cohort := trainingSite(t, st)
		allowed := textRefusals("kk")
		p := s.registerAt("Mama Pro Almaty", birge.Person{GivenName: "Сәуле", FamilyName: "Өмірзақова"})
		completeAndIssue(t, st, cohort.ID, p)
		issue := fmt.Sprintf("/api/v1/cohorts/%d/certificates", cohort.ID)
		var list certificateList
		decodeJSON(t, s.api(tok, http.MethodGet, issue, nil), &list)
		id := list.Items[0].ID
		for _, v := range lines {
			res := s.api(tok, http.MethodPost, fmt.Sprintf("/api/v1/training-certificates/%d/revoke", id), map[string]string{"reason": v})
			switch res.StatusCode {
			case 200:
				var got struct {
					Reason string `json:"revoke_reason"`
				}
				if decodeJSON(t, res, &got); got.Reason != asSent(v) {
					t.Errorf("%q stored as %q", v, got.Reason)
				}
				// Revoked, the next issue gives her a fresh certificate for the next string.
				decodeJSON(t, s.api(tok, http.MethodPost, issue, nil), &list)
				id = list.Items[len(list.Items)-1].ID
			case 422:
				if msg := problemOf(t, res).Errors["reason"]; !allowed[msg] {
					t.Errorf("%q refused with %q", v, msg)
				}
			default:
				t.Fatalf("%q: %d %s", v, res.StatusCode, res.Body)
			}
		}
		for i, v := range lines {
			if v == "." || v == ".." {
				continue // a dot segment is not a code: the router cleans it out of the path
			}
			res := s.api("", http.MethodGet, "/api/v1/certificates/"+url.PathEscape(v), nil)
			page := s.get(nil, "/certificates?code="+url.QueryEscape(v))
			if strings.TrimSpace(v) == "" && page.StatusCode == 200 {
				page.StatusCode = 404 // nothing typed: the empty form, as at first
			}
			for _, r := range []*response{res, page} {
				if r.StatusCode != 404 && (r.StatusCode != 429 || i < birge.FreeFailuresAddress/2) {
					t.Fatalf("code %q: %d %.300s", v, r.StatusCode, r.Body)
				}
			}
		}
	})
}
