package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/net/html"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// sqliteSite is a fresh SQLite site with the demo data, for tests that are about HTTP
// rather than the database.
func sqliteSite(t *testing.T, cfg Config) *site {
	t.Helper()
	return openSite(t, testenv.Database{Name: "sqlite", DataDir: t.TempDir()}, cfg)
}

// loadOpenAPI fetches the served OpenAPI document and validates it.
func loadOpenAPI(t *testing.T, s *site) *openapi3.T {
	t.Helper()
	res := s.get(nil, "/api/v1/openapi.json")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(res.Body))
	if err != nil {
		t.Fatalf("load OpenAPI document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("OpenAPI document is not valid: %v", err)
	}
	return doc
}

// TestOpenAPIMatchesRoutes: the served document is valid OpenAPI and documents exactly
// the API routes of the route table, with every status the authorisation matrix expects.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	doc := loadOpenAPI(t, s)

	documented := map[string]*openapi3.Operation{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			documented[strings.ToUpper(method)+" "+path] = op
		}
	}
	routed := map[string]bool{}
	for _, rt := range s.srv.Routes() {
		if strings.Contains(rt.Pattern, "/api/") {
			routed[rt.Pattern] = true
			if documented[rt.Pattern] == nil {
				t.Errorf("route %q is not in openapi.json", rt.Pattern)
			}
		}
	}
	for k := range documented {
		if !routed[k] {
			t.Errorf("openapi.json documents %q, which is not routed", k)
		}
	}

	// Every status the matrix expects of an API route is a documented response.
	for pattern, cases := range authzTable {
		op := documented[pattern]
		if op == nil {
			continue
		}
		for _, c := range cases {
			for i, st := range c.want {
				if op.Responses.Status(st) == nil {
					t.Errorf("%s answers %d to %s, but openapi.json does not document %d", pattern, st, roles[i].name, st)
				}
			}
		}
	}
}

// TestOpenAPIDescribesResponses: what the API answers fits the document's schemas.
func TestOpenAPIDescribesResponses(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	doc := loadOpenAPI(t, s)
	_, tok := s.token("admin@birge.example", "schema")
	ids := map[string]string{
		"/api/v1/organizations/{id}":                       strconv.FormatInt(s.org("Family Preservation Centre").ID, 10),
		"/api/v1/organizations/{id}/categories":            strconv.FormatInt(s.org("Family Preservation Centre").ID, 10),
		"/api/v1/organizations/{id}/categories/{category}": strconv.FormatInt(s.org("Family Preservation Centre").ID, 10),
		"/api/v1/centers/{id}":                             strconv.FormatInt(s.center("Aktobe family centre").ID, 10),
		"/api/v1/users/{id}":                               strconv.FormatInt(s.userID("caseworker@birge.example"), 10),
		"/api/v1/users/{id}/tokens":                        strconv.FormatInt(s.userID("caseworker@birge.example"), 10),
	}
	s.token("caseworker@birge.example", "a listed token")
	children := 2
	p, err := s.st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: s.center("Aktobe family centre").ID,
		FamilyName: "Жұмабаева", GivenName: "Айжан", IIN: "850315401231", Phones: []string{"87011234567"}, Children: &children,
		Categories: []string{"dv_survivor", "rural"}, Consents: []birge.Consent{{Purpose: "services", Channel: "paper", GivenOn: "2026-01-05"}}})
	if err != nil {
		t.Fatal(err)
	}
	ids["/api/v1/people/{id}"] = strconv.FormatInt(p.ID, 10)
	ids["/api/v1/people/{id}/dossier"] = strconv.FormatInt(p.ID, 10)
	ids["/api/v1/imports/{id}"] = strconv.FormatInt(s.checkedImport(s.center("Aktobe family centre").ID), 10)
	aktobe := s.center("Aktobe family centre")
	prog, err := s.st.Programs.Create(context.Background(), birge.System("t"), birge.Program{OrgID: aktobe.OrgID,
		CenterIDs: []int64{aktobe.ID}, Names: birge.Names{KK: "Кеңес", RU: "Консультации", KY: "Кеңеш", EN: "Counselling"},
		Descriptions: birge.Descriptions{EN: "Counselling of families"}, Kind: "counselling", Status: "active",
		StartsOn: "2026-01-01", EndsOn: "2026-12-31", Categories: []string{"rural"}, SDGTargets: []string{"5.2"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Programs.AddParticipant(context.Background(), birge.System("t"), prog.ID, birge.Participant{PersonID: p.ID, JoinedOn: "2026-02-01"}); err != nil {
		t.Fatal(err)
	}
	ids["/api/v1/programs/{id}"] = strconv.FormatInt(prog.ID, 10)
	ids["/api/v1/programs/{id}/participants"] = strconv.FormatInt(prog.ID, 10)
	del, err := s.st.Deliveries.Record(context.Background(), birge.System("t"), birge.Delivery{PersonID: p.ID, ProgramID: &prog.ID,
		Date: "2026-03-02", Kind: "grant_payment", Unit: "money", Money: &birge.Money{Amount: 5000000, Currency: "KZT"}})
	if err != nil {
		t.Fatal(err)
	}
	ids["/api/v1/deliveries/{id}"] = strconv.FormatInt(del.ID, 10)
	// Indicators of each shape of figure: people, money, a share.
	names := birge.Names{KK: "Көрсеткіш", RU: "Показатель", KY: "Көрсөткүч", EN: "Indicator"}
	reached, err := s.st.Indicators.Create(context.Background(), birge.System("t"), birge.Indicator{ProgramID: prog.ID, Names: names,
		Measure: birge.MeasurePeopleReached, Target: 10})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []birge.Indicator{{Measure: birge.MeasureQuantitySum, Unit: "money", Currency: "KZT", Target: 100000000},
		{Measure: birge.MeasureShare, Of: &reached.ID, DeliveryKinds: []string{"grant_payment"}, Target: 50}} {
		in.ProgramID, in.Names = prog.ID, names
		if _, err := s.st.Indicators.Create(context.Background(), birge.System("t"), in); err != nil {
			t.Fatal(err)
		}
	}
	ids["/api/v1/programs/{id}/indicators"] = strconv.FormatInt(prog.ID, 10)
	award := fpcAward(aktobe.OrgID)
	award.ProgramIDs = []int64{prog.ID}
	if award, err = s.st.Funding.Create(context.Background(), birge.System("t"), award); err != nil {
		t.Fatal(err)
	}
	ids["/api/v1/funding/{id}"] = strconv.FormatInt(award.ID, 10)
	out, err := s.st.Outcomes.Record(context.Background(), birge.System("t"), birge.Outcome{PersonID: p.ID, ProgramID: &prog.ID,
		Date: "2026-03-02", Kind: "income_increased", Value: &birge.OutcomeValue{Amount: 5000000, Currency: "KZT"},
		Upload: &birge.EvidenceUpload{Name: "contract.pdf", Content: testPDF}})
	if err != nil {
		t.Fatal(err)
	}
	ids["/api/v1/outcomes/{id}"] = strconv.FormatInt(out.ID, 10)
	ids["/api/v1/outcomes/{id}/file"] = strconv.FormatInt(out.ID, 10)
	k, err := s.st.Cases.Create(context.Background(), birge.System("t"), birge.Case{CenterID: aktobe.ID, PartnerIDs: []int64{p.ID},
		IntakeDate: "2026-03-02", Reasons: []string{"housing"}, CameFrom: "akimat", DivorceFiled: true})
	if err != nil {
		t.Fatal(err)
	}
	ids["/api/v1/cases/{id}"] = strconv.FormatInt(k.ID, 10)
	answers := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		answers[q.Code] = q.Code == "control"
	}
	if _, err := s.st.Screenings.Create(context.Background(), birge.System("t"), k.ID, birge.Screening{PersonID: p.ID,
		Alone: true, Answers: answers, Fear: 5}); err != nil {
		t.Fatal(err)
	}
	ids["/api/v1/cases/{id}/screenings"] = ids["/api/v1/cases/{id}"]
	// Without person_id the plan's GET is a 422; her plan and a referral are in the list.
	ids["/api/v1/cases/{id}/safety-plan"] = ids["/api/v1/cases/{id}"]
	if _, err := s.st.SafetyPlans.Save(context.Background(), birge.System("t"), birge.SafetyPlan{CaseID: k.ID, PersonID: p.ID,
		SafePlace: "Әпкесінің үйі"}); err != nil {
		t.Fatal(err)
	}
	sv, err := s.st.Services.Create(context.Background(), birge.System("t"), birge.Service{OrgID: aktobe.OrgID, Name: "Баспана",
		Kind: "shelter"})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := s.st.Referrals.Create(context.Background(), birge.System("t"), birge.Referral{PersonID: p.ID, CaseID: k.ID,
		ServiceID: sv.ID, FollowUpOn: "2027-03-09"})
	if err != nil {
		t.Fatal(err)
	}
	ids["/api/v1/referrals/{id}"] = strconv.FormatInt(ref.ID, 10)
	x, err := s.st.Sessions.Schedule(context.Background(), birge.System("t"), k.ID, birge.Session{Type: "individual",
		WorkerID: s.userID("coordinator@birge.example"), Room: "Кабинет 1", StartsAt: time.Date(2026, 3, 2, 4, 0, 0, 0, time.UTC),
		EndsAt: time.Date(2026, 3, 2, 5, 0, 0, 0, time.UTC), Attendance: "came", PersonIDs: []int64{p.ID}})
	if err != nil {
		t.Fatal(err)
	}
	ids["/api/v1/cases/{id}/sessions"] = ids["/api/v1/cases/{id}"]
	ids["/api/v1/sessions/{id}"] = strconv.FormatInt(x.ID, 10)
	cfx := &fixture{site: s, ids: map[string]int64{}}
	callFixtures(t, s, cfx)
	ids["/api/v1/calls/{id}"] = strconv.FormatInt(cfx.ids["call:open"], 10)
	ids["/api/v1/public/calls/{id}"] = ids["/api/v1/calls/{id}"]
	applicationFixtures(t, s, cfx)
	ids["/api/v1/calls/{id}/applications"] = ids["/api/v1/calls/{id}"]
	ids["/api/v1/applications/{id}"] = strconv.FormatInt(cfx.ids["application:submitted"], 10)
	ids["/api/v1/applications/{id}/files/{file}"] = ids["/api/v1/applications/{id}"]
	ids["/api/v1/public/applications/{reference}"] = ""
	ids["/api/v1/calls/{id}/figures"] = ids["/api/v1/calls/{id}"]
	awardFixtures(t, s, cfx)
	ids["/api/v1/awards/{id}"] = strconv.FormatInt(cfx.ids["award:grant"], 10)
	ids["/api/v1/awards/{id}/evidence/{evidence}"] = ids["/api/v1/awards/{id}"]
	evidence := strconv.FormatInt(cfx.ids["evidence:grant"], 10)
	reviewFixtures(t, s, cfx)
	for _, path := range []string{"/api/v1/calls/{id}/assignments", "/api/v1/calls/{id}/ranking"} {
		ids[path] = ids["/api/v1/calls/{id}"]
	}
	ids["/api/v1/calls/{id}/fairness"] = strconv.FormatInt(cfx.ids["call:decided"], 10)
	ids["/api/v1/applications/{id}/reviews"] = ids["/api/v1/applications/{id}"]
	// A course, a cohort with a session, and her enrolment (in her dossier too).
	course, err := s.st.Trainings.CreateCourse(context.Background(), birge.System("t"), birge.Course{OrgID: aktobe.OrgID,
		Names: birge.Names{KK: "Кәсіпкерлік", RU: "Предпринимательство", KY: "Ишкердик", EN: "Entrepreneurship"}, Hours: 24,
		CompletionRule: birge.CompletionRule{MinAttendance: 0.8, Project: true}})
	if err != nil {
		t.Fatal(err)
	}
	cohort, err := s.st.Trainings.CreateCohort(context.Background(), birge.System("t"), birge.Cohort{CourseID: course.ID,
		CenterID: aktobe.ID, Language: "ru", Capacity: 1, StartsOn: "2026-03-02", EndsOn: "2026-04-30",
		TrainerIDs: []int64{}, Categories: []string{"rural"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Trainings.Enroll(context.Background(), birge.System("t"), cohort.ID, birge.Enrollment{PersonID: p.ID,
		Childcare: true}); err != nil {
		t.Fatal(err)
	}
	lessons, err := s.st.Trainings.GenerateTrainingSessions(context.Background(), birge.System("t"), cohort.ID,
		birge.SessionPattern{Weekday: 6, Start: "10:00", Minutes: 120})
	if err != nil {
		t.Fatal(err)
	}
	enrolled, _ := s.st.Trainings.Enrollments(context.Background(), birge.System("t"), cohort.ID)
	ids["/api/v1/courses/{id}"] = strconv.FormatInt(course.ID, 10)
	ids["/api/v1/cohorts/{id}"] = strconv.FormatInt(cohort.ID, 10)
	ids["/api/v1/cohorts/{id}/enrollments"] = ids["/api/v1/cohorts/{id}"]
	ids["/api/v1/cohorts/{id}/sessions"] = ids["/api/v1/cohorts/{id}"]
	ids["/api/v1/enrollments/{id}"] = strconv.FormatInt(enrolled[0].ID, 10)
	ids["/api/v1/training-sessions/{id}"] = strconv.FormatInt(lessons[0].ID, 10)
	// She completed it: her certificate, read by id and checked by its code.
	done := enrolled[0]
	done.Status = birge.EnrollmentCompleted
	if _, err := s.st.Trainings.UpdateEnrollment(context.Background(), birge.System("t"), done); err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.Trainings.IssueCertificates(context.Background(), birge.System("t"), cohort.ID); err != nil {
		t.Fatal(err)
	}
	certs, _ := s.st.Trainings.Certificates(context.Background(), birge.System("t"), cohort.ID)
	ids["/api/v1/cohorts/{id}/certificates"] = ids["/api/v1/cohorts/{id}"]
	ids["/api/v1/training-certificates/{id}"] = strconv.FormatInt(certs[0].ID, 10)
	ids["/api/v1/certificates/{code}"] = certs[0].Code
	ids["/api/v1/training-sessions/{id}/attendance"] = ids["/api/v1/training-sessions/{id}"]
	check := func(what string, resp *openapi3.ResponseRef, res *response) {
		t.Helper()
		if resp == nil || resp.Value == nil {
			t.Errorf("%s: status %d is not documented", what, res.StatusCode)
			return
		}
		ct, _, _ := strings.Cut(res.Header.Get("Content-Type"), ";")
		media := resp.Value.Content.Get(ct)
		if media == nil || media.Schema == nil {
			t.Errorf("%s: %d with Content-Type %q is not documented", what, res.StatusCode, ct)
			return
		}
		if !strings.HasSuffix(ct, "json") {
			return // a file to download (CSV, XLSX, evidence): documented, not JSON to validate
		}
		var v any
		if err := json.Unmarshal([]byte(res.Body), &v); err != nil {
			t.Errorf("%s: not JSON: %v", what, err)
			return
		}
		if err := doc.ValidateSchemaJSON(media.Schema.Value, v, openapi3.EnableJSONSchema2020()); err != nil {
			t.Errorf("%s: response does not fit the documented schema: %v\n%.1000s", what, err, res.Body)
		}
	}
	for path, item := range doc.Paths.Map() {
		op := item.Get
		if op == nil {
			continue
		}
		concrete := path
		if id, ok := ids[path]; ok {
			concrete = strings.NewReplacer("{id}", id, "{category}", "rural", "{code}", id, "{file}", strconv.FormatInt(cfx.ids["file:application"], 10),
				"{evidence}", evidence, "{reference}", "BG-2222-2222?phone=87015551234").Replace(path)
		} else if strings.Contains(path, "{") {
			t.Errorf("no id to try GET %s with", path)
			continue
		}
		res := s.api(tok, http.MethodGet, concrete, nil)
		check("GET "+concrete, op.Responses.Status(res.StatusCode), res)
		if strings.Contains(path, "{id}") { // and a record that does not exist
			missing := strings.Replace(path, "{id}", "999999", 1)
			res := s.api(tok, http.MethodGet, missing, nil)
			check("GET "+missing, op.Responses.Status(res.StatusCode), res)
		}
	}
}

// TestAPIValidationProblem: a refused field is a 422 problem document with a message per
// field, in the languages the request names (Accept-Language), else in the token's
// user's.
func TestAPIValidationProblem(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		const email = "fpc.admin@birge.example" // speaks Kazakh
		_, tok := s.token(email, "validation")
		fpc := s.org("Family Preservation Centre")
		before, _ := st.ListCenters(context.Background(), birge.System("t"), store.CenterFilter{})
		body := fmt.Sprintf(`{"organization_id": %d, "name_kk": "Жаңа", "name_ru": "Новый", "name_ky": "Жаңы", "name_en": "New",
			"type": "office", "country": "KZ", "region": "KZ15", "time_zone": "Asia/Aqtobe", "phone": "12"}`, fpc.ID)
		post := func(accept string) problem {
			t.Helper()
			h := http.Header{"Authorization": {"Bearer " + tok}}
			if accept != "" {
				h.Set("Accept-Language", accept)
			}
			res := s.do(nil, http.MethodPost, "/api/v1/centers", body, h)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("POST /api/v1/centers with a bad phone: %d, want 422\n%s", res.StatusCode, res.Body)
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			var p problem
			decodeJSON(t, res, &p)
			if p.Status != 422 || p.Title == "" || p.Type == "" {
				t.Errorf("problem document %+v lacks type, title or status", p)
			}
			if len(p.Errors) != 1 || p.Errors["phone"] == "" {
				t.Errorf("errors %v, want exactly a message for phone", p.Errors)
			}
			return p
		}
		for _, lang := range []string{"kk", "ru"} {
			if lang != "kk" { // the user changes their own language setting
				id := strconv.FormatInt(s.userID(email), 10)
				if res := s.api(tok, http.MethodPatch, "/api/v1/users/"+id, map[string]string{"language": lang}); res.StatusCode != http.StatusOK {
					t.Fatalf("PATCH own language: %d\n%s", res.StatusCode, res.Body)
				}
			}
			p := post("")
			if want := i18n.For(lang).T("field.phone"); p.Errors["phone"] != want {
				t.Errorf("user speaking %s: phone message %q, want %q", lang, p.Errors["phone"], want)
			}
			if want := i18n.For(lang).T("error.invalid"); p.Detail != want {
				t.Errorf("user speaking %s: detail %q, want %q", lang, p.Detail, want)
			}
			// A program that names its language gets it, whoever the token belongs to.
			p = post("ky-KG,ky;q=0.9,en;q=0.5")
			if want := i18n.For("ky").T("field.phone"); p.Errors["phone"] != want {
				t.Errorf("user speaking %s, Accept-Language ky: phone message %q, want %q", lang, p.Errors["phone"], want)
			}
		}
		after, _ := st.ListCenters(context.Background(), birge.System("t"), store.CenterFilter{})
		if len(after) != len(before) {
			t.Errorf("a refused centre was saved: %d centres before, %d after", len(before), len(after))
		}

		// A body that is not JSON at all is a 400; an unknown field is named.
		res := s.api(tok, http.MethodPost, "/api/v1/centers", `{"name_kk": `)
		if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("malformed JSON: %d %s, want 400 problem+json", res.StatusCode, res.Header.Get("Content-Type"))
		}
		res = s.api(tok, http.MethodPost, "/api/v1/centers", `{"nmae_kk": "x"}`)
		var p problem
		decodeJSON(t, res, &p)
		if res.StatusCode != http.StatusUnprocessableEntity || p.Errors["nmae_kk"] == "" {
			t.Errorf("unknown field: %d %v, want 422 naming nmae_kk", res.StatusCode, p.Errors)
		}
	})
}

// TestAPIPaging: collections come in pages linked by next_cursor, without gaps or repeats.
func TestAPIPaging(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("admin@birge.example", "paging")
		sys := birge.System("t")
		ctx := context.Background()
		centers, _ := st.ListCenters(ctx, sys, store.CenterFilter{})
		orgs, _ := st.ListOrgs(ctx, sys)
		users, _ := st.ListUsers(ctx, sys, store.UserFilter{})
		if len(centers) != 7 {
			t.Fatalf("demo data has %d centres, the test expects 7", len(centers))
		}
		for _, c := range []struct {
			path string
			want int
		}{{"/api/v1/centers", len(centers)}, {"/api/v1/organizations", len(orgs)}, {"/api/v1/users", len(users)}} {
			seen := map[int64]bool{}
			cursor, pages := "", 0
			for {
				q := url.Values{"limit": {"2"}}
				if cursor != "" {
					q.Set("cursor", cursor)
				}
				res := s.api(tok, http.MethodGet, c.path+"?"+q.Encode(), nil)
				if res.StatusCode != http.StatusOK {
					t.Fatalf("GET %s?%s: %d\n%s", c.path, q.Encode(), res.StatusCode, res.Body)
				}
				var page struct {
					Items []struct {
						ID int64 `json:"id"`
					} `json:"items"`
					NextCursor *string `json:"next_cursor"`
				}
				decodeJSON(t, res, &page)
				pages++
				for _, it := range page.Items {
					if seen[it.ID] {
						t.Errorf("%s: id %d on two pages", c.path, it.ID)
					}
					seen[it.ID] = true
				}
				if page.NextCursor == nil {
					if len(page.Items) > 2 || len(page.Items) == 0 && len(seen) > 0 {
						t.Errorf("%s: last page has %d items", c.path, len(page.Items))
					}
					break
				}
				if len(page.Items) != 2 {
					t.Errorf("%s: a page with next_cursor has %d items, want 2", c.path, len(page.Items))
				}
				if pages > c.want {
					t.Fatalf("%s: more pages than records", c.path)
				}
				cursor = *page.NextCursor
			}
			if len(seen) != c.want {
				t.Errorf("%s: pages hold %d records, want %d", c.path, len(seen), c.want)
			}
			if wantPages := (c.want + 1) / 2; pages != wantPages {
				t.Errorf("%s: %d pages of 2 for %d records, want %d", c.path, pages, c.want, wantPages)
			}
		}
		for _, q := range []string{"limit=0", "limit=201", "limit=two", "cursor=-1", "cursor=x"} {
			res := s.api(tok, http.MethodGet, "/api/v1/centers?"+q, nil)
			var p problem
			decodeJSON(t, res, &p)
			field, _, _ := strings.Cut(q, "=")
			if res.StatusCode != http.StatusUnprocessableEntity || p.Errors[field] == "" {
				t.Errorf("GET /api/v1/centers?%s: %d %v, want 422 naming %s", q, res.StatusCode, p.Errors, field)
			}
		}
	})
}

// TestAPIUnauthenticated: without a valid token the API answers 401 with a problem
// document — a browser's session cookie is not a credential for it.
func TestAPIUnauthenticated(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	id, revoked := s.token("viewer@birge.example", "revoked")
	if err := s.st.DeleteToken(context.Background(), &birge.Actor{UserID: s.userID("viewer@birge.example")}, id); err != nil {
		t.Fatal(err)
	}
	disabled := s.userID("trainer@birge.example")
	_, ofDisabled := s.token("trainer@birge.example", "disabled")
	u, _ := s.st.GetUser(context.Background(), birge.System("t"), disabled)
	u.Disabled = true
	if _, err := s.st.UpdateUser(context.Background(), birge.System("t"), u); err != nil {
		t.Fatal(err)
	}
	signedIn := s.login("admin@birge.example")
	for name, h := range map[string]http.Header{
		"no header":      {},
		"empty bearer":   {"Authorization": {"Bearer "}},
		"basic auth":     {"Authorization": {"Basic YWRtaW46YWRtaW4="}},
		"unknown token":  {"Authorization": {"Bearer birge_notatoken"}},
		"revoked token":  {"Authorization": {"Bearer " + revoked}},
		"disabled user":  {"Authorization": {"Bearer " + ofDisabled}},
		"session cookie": {}, // a signed-in browser without a token
	} {
		c := s.client()
		if name == "session cookie" {
			c = signedIn
		}
		h.Set("Accept-Language", "ru")
		res := s.do(c, http.MethodGet, "/api/v1/me", nil, h)
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: %d, want 401", name, res.StatusCode)
			continue
		}
		if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
			t.Errorf("%s: Content-Type %q, want application/problem+json", name, ct)
		}
		if wa := res.Header.Get("WWW-Authenticate"); !strings.HasPrefix(wa, "Bearer ") {
			t.Errorf("%s: WWW-Authenticate %q, want the Bearer scheme (RFC 6750)", name, wa)
		}
		var p problem
		decodeJSON(t, res, &p)
		// Accept-Language, which the API follows over the browser's language cookie (kk).
		if want := i18n.For("ru").T("token.invalid"); p.Status != 401 || p.Detail != want {
			t.Errorf("%s: problem %+v, want status 401 and detail %q", name, p, want)
		}
	}
}

// TestAPINotFound: an address or method the API does not have is a problem document too.
func TestAPINotFound(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	_, tok := s.token("admin@birge.example", "404")
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, "/api/v1/nothing"}, {http.MethodGet, "/api/v2/centers"},
		{http.MethodGet, "/api/v1/centers/abc"}, {http.MethodDelete, "/api/v1/nothing/1"},
	} {
		res := s.api(tok, r.method, r.path, nil)
		if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d %s, want 404 application/problem+json", r.method, r.path, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	// A known address with a method it does not take is a 405 that names the right ones.
	for _, r := range []struct{ method, path, allow string }{
		{http.MethodPut, "/api/v1/centers/1", "GET, PATCH, DELETE"},
		{http.MethodDelete, "/api/v1/me", "GET, PATCH"},
		{http.MethodPost, "/api/v1/openapi.json", "GET"},
	} {
		res := s.api(tok, r.method, r.path, nil)
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != r.allow ||
			res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d Allow %q, want 405 problem+json with Allow %q", r.method, r.path, res.StatusCode, res.Header.Get("Allow"), r.allow)
		}
	}
	// Pages keep their own error page.
	if res := s.get(nil, "/no/such/page"); res.StatusCode != http.StatusNotFound || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Errorf("GET /no/such/page: %d %s, want a 404 page", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// TestCrossOriginPostRefused: a form posted from another site is refused before any
// handler runs, so a malicious page cannot sign someone in or act with their session.
func TestCrossOriginPostRefused(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	cross := http.Header{"Origin": {"http://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}
	form := url.Values{"email": {"admin@birge.example"}, "password": {s.passwords["admin@birge.example"]}}
	res := s.postForm(nil, "/login", form, cross)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST /login: %d, want 403", res.StatusCode)
	}
	if strings.Contains(res.Header.Get("Set-Cookie"), sessionCookie) {
		t.Error("cross-site POST /login set a session cookie")
	}
	doc := parseHTML(t, res.Body)
	if msg := first(doc, func(n *html.Node) bool { return attr(n, "role") == "alert" }); msg == nil || text(msg) != i18n.For(htmlLang(t, res.Body)).T("error.cross_origin") {
		t.Errorf("cross-site POST /login: the page does not explain the refusal")
	}

	// With a session, a cross-site post changes nothing.
	c := s.login("admin@birge.example")
	spare := s.center("Erke Aktobe")
	path := "/centers/" + strconv.FormatInt(spare.ID, 10) + "/delete"
	if res := s.postForm(c, path, url.Values{}, cross); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST %s: %d, want 403", path, res.StatusCode)
	}
	if _, err := s.st.GetCenter(context.Background(), birge.System("t"), spare.ID); err != nil {
		t.Errorf("the centre was deleted by a cross-site post: %v", err)
	}
	// The API is refused the same way when a browser says the request is cross-site.
	_, tok := s.token("admin@birge.example", "cross")
	h := http.Header{"Origin": {"http://evil.example"}, "Sec-Fetch-Site": {"cross-site"}, "Authorization": {"Bearer " + tok}}
	if res := s.do(nil, http.MethodDelete, "/api/v1/centers/"+strconv.FormatInt(spare.ID, 10), nil, h); res.StatusCode != http.StatusForbidden ||
		res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("cross-site DELETE via the API: %d %s, want 403 problem+json", res.StatusCode, res.Header.Get("Content-Type"))
	}
	// The same site may post.
	same := http.Header{"Origin": {s.URL}, "Sec-Fetch-Site": {"same-origin"}}
	if res := s.postForm(nil, "/login", form, same); res.StatusCode != http.StatusSeeOther {
		t.Errorf("same-origin POST /login: %d, want 303", res.StatusCode)
	}
}

// TestSecurityHeaders: every kind of response forbids framing, inline script and
// referrers, and nothing but the static assets may be cached.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	c := s.login("coordinator@birge.example")
	_, tok := s.token("coordinator@birge.example", "headers")
	for _, tc := range []struct {
		name    string
		res     *response
		noStore bool
	}{
		{"public page", s.get(nil, "/"), true},
		{"sign-in page", s.get(nil, "/login"), true},
		{"staff page", s.get(c, "/dashboard"), true},
		{"centre page", s.get(c, "/centers/"+strconv.FormatInt(s.center("Aktobe family centre").ID, 10)), true},
		{"error page", s.get(c, "/no/such/page"), true},
		{"redirect", s.get(nil, "/dashboard"), true},
		{"static file", s.get(nil, "/static/app.js"), false},
		// API answers carry personal data as pages do (issue 8).
		{"API", s.api(tok, http.MethodGet, "/api/v1/me", nil), true},
		{"API people", s.api(tok, http.MethodGet, "/api/v1/people", nil), true},
		{"API problem", s.api("", http.MethodGet, "/api/v1/me", nil), true},
	} {
		h := tc.res.Header
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q lacks frame-ancestors 'none'", tc.name, csp)
		}
		for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "*"} {
			if strings.Contains(csp, bad) {
				t.Errorf("%s: Content-Security-Policy %q allows %s", tc.name, csp, bad)
			}
		}
		if !strings.Contains(csp, "script-src 'self'") && !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: Content-Security-Policy %q does not limit scripts to this site", tc.name, csp)
		}
		if v := h.Get("Referrer-Policy"); v != "no-referrer" {
			t.Errorf("%s: Referrer-Policy %q", tc.name, v)
		}
		if v := h.Get("X-Content-Type-Options"); v != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", tc.name, v)
		}
		if tc.noStore != strings.Contains(h.Get("Cache-Control"), "no-store") {
			t.Errorf("%s: Cache-Control %q, want no-store: %v", tc.name, h.Get("Cache-Control"), tc.noStore)
		}
	}

	// The session cookie is out of reach of scripts and of other sites' requests.
	res := s.postForm(nil, "/login", url.Values{"email": {"viewer@birge.example"}, "password": {s.passwords["viewer@birge.example"]}}, nil)
	found := false
	for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
		if ck.Name == sessionCookie {
			found = true
			if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" {
				t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/", ck)
			}
		}
	}
	if !found {
		t.Error("sign-in set no session cookie")
	}
}

// TestRedirectsStayOnSite: the page to return to after signing in or switching language
// is always on this site, however the address is disguised. Browsers drop tabs and line
// breaks from a Location and read a backslash as a slash.
func TestRedirectsStayOnSite(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	raw := func(path string, f url.Values) string {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, s.URL+path, strings.NewReader(f.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultTransport.RoundTrip(req) // a client would refuse to parse some of these
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %d", path, res.StatusCode)
		}
		return res.Header.Get("Location")
	}
	browser := strings.NewReplacer("\t", "", "\n", "", "\r", "", "\\", "/")
	for _, next := range []string{"https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example/",
		"/\n/evil.example/", "/\r\n/evil.example", "\t//evil.example/", "/\t\\evil.example", " //evil.example"} {
		for _, path := range []string{"/lang", "/login"} {
			f := url.Values{"lang": {"ru"}, "next": {next}}
			if path == "/login" {
				f = url.Values{"email": {"viewer@birge.example"}, "password": {s.passwords["viewer@birge.example"]}, "next": {next}}
			}
			loc := raw(path, f)
			read := browser.Replace(strings.TrimSpace(loc))
			if !strings.HasPrefix(read, "/") || strings.HasPrefix(read, "//") {
				t.Errorf("POST %s with next=%q redirects to %q, which a browser reads as %q: another site", path, next, loc, read)
			}
		}
	}
	// An ordinary path is kept.
	if loc := raw("/lang", url.Values{"lang": {"ru"}, "next": {"/centers?x=1"}}); loc != "/centers?x=1" {
		t.Errorf("next=/centers?x=1 redirects to %q", loc)
	}

	// A page opened without a session comes back, whole, after signing in.
	const page = "/audit?action=login&entity=user"
	res := s.get(nil, page)
	loc, err := url.Parse(res.Header.Get("Location"))
	if res.StatusCode != http.StatusSeeOther || err != nil || loc.Path != "/login" {
		t.Fatalf("GET %s without a session: %d → %q", page, res.StatusCode, res.Header.Get("Location"))
	}
	var form *html.Node
	if f := first(parseHTML(t, s.get(nil, loc.RequestURI()).Body), func(n *html.Node) bool { return n.Data == "form" && attr(n, "action") == "/login" }); f != nil {
		form = first(f, func(n *html.Node) bool { return attr(n, "name") == "next" })
	}
	if form == nil || attr(form, "value") != page {
		t.Fatalf("the sign-in form reached from %s (%s) does not return to it", page, loc)
	}
	res = s.postForm(nil, "/login", url.Values{"email": {"admin@birge.example"}, "password": {s.passwords["admin@birge.example"]},
		"next": {attr(form, "value")}}, nil)
	if got := res.Header.Get("Location"); got != page {
		t.Errorf("after signing in, back to %q, want %q", got, page)
	}
}

// TestLoginThrottling: after five wrong passwords for an account from one address, even
// the right one is refused from that address for a while, but not from another: someone
// guessing cannot keep the owner out. An address with many failures is throttled for
// every account; the first entry of X-Forwarded-For, which the client writes, does not
// change the address. The clock is the store's, so no test waits.
func TestLoginThrottling(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{TrustProxy: true}) // X-Forwarded-For sets the address
		now := time.Date(2027, 3, 10, 20, 30, 0, 0, time.UTC)
		st.SetClock(func() time.Time { return now })
		attempt := func(email, pw, forwarded string) *response {
			t.Helper()
			return s.postForm(nil, "/login", url.Values{"email": {email}, "password": {pw}},
				http.Header{"X-Forwarded-For": {forwarded}, "Accept-Language": {"ru"}})
		}
		message := func(r *response) string {
			if n := first(parseHTML(t, r.Body), func(n *html.Node) bool { return attr(n, "role") == "alert" }); n != nil {
				return text(n)
			}
			return ""
		}
		ru := i18n.For("ru")
		const who = "coordinator@birge.example"
		right := s.passwords[who]
		for i := 1; i <= birge.FreeFailuresPair; i++ {
			// The guesser writes a new first address each time; the proxy adds the real one.
			r := attempt(who, "wrong password", fmt.Sprintf("192.0.2.%d, 10.0.0.1", i))
			if r.StatusCode != http.StatusUnauthorized || message(r) != ru.T("login.failed") {
				t.Fatalf("wrong password #%d: %d %q, want 401 %q", i, r.StatusCode, message(r), ru.T("login.failed"))
			}
		}
		r := attempt(who, right, "192.0.2.99, 10.0.0.1")
		if r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("right password from the guessing address after %d failures: %d, want 429", birge.FreeFailuresPair, r.StatusCode)
		}
		// Any wait under a second is shown as one second, never "0 seconds".
		now = now.Add(400 * time.Millisecond)
		r = attempt(who, right, "10.0.0.1")
		if want := ru.T("login.throttled", "seconds", 1); r.StatusCode != http.StatusTooManyRequests || message(r) != want {
			t.Errorf("0.4 s later: %d %q, want 429 %q", r.StatusCode, message(r), want)
		}
		if first(parseHTML(t, r.Body), byID("f-email")) == nil {
			t.Errorf("throttled: the sign-in form is not shown again")
		}
		if strings.Contains(r.Header.Get("Set-Cookie"), sessionCookie) {
			t.Errorf("throttled: a session cookie was set")
		}
		// The owner from her own address is not held up by the guessing.
		if r := attempt(who, right, "10.0.0.2"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("the right password from another address: %d, want 303\n%s", r.StatusCode, message(r))
		}
		// Nor is another account from the guessing address.
		if r := attempt("caseworker@birge.example", s.passwords["caseworker@birge.example"], "10.0.0.1"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("another account from the same address: %d, want 303", r.StatusCode)
		}
		// Waiting out the delay is enough; signing in clears this address's count.
		now = now.Add(600 * time.Millisecond)
		if r := attempt(who, right, "10.0.0.1"); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("right password after the wait: %d, want 303\n%s", r.StatusCode, message(r))
		}
		if r := attempt(who, "wrong again", "10.0.0.1"); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("a wrong password after signing in: %d, want 401 (the count starts again)", r.StatusCode)
		}

		// An address that fails for many accounts is throttled for all of them.
		for i := 0; i < birge.FreeFailuresAddress; i++ {
			r := attempt(fmt.Sprintf("guess%d@birge.example", i), "wrong password", "10.0.0.9")
			if r.StatusCode != http.StatusUnauthorized {
				t.Fatalf("guess %d from one address: %d, want 401", i, r.StatusCode)
			}
		}
		if r := attempt("analyst@birge.example", s.passwords["analyst@birge.example"], "10.0.0.9"); r.StatusCode != http.StatusTooManyRequests {
			t.Errorf("a real account from an address with %d failures: %d, want 429", birge.FreeFailuresAddress, r.StatusCode)
		}
		if r := attempt("analyst@birge.example", s.passwords["analyst@birge.example"], "10.0.0.10"); r.StatusCode != http.StatusSeeOther {
			t.Errorf("the same account from another address: %d, want 303", r.StatusCode)
		}
	})
}

// TestLanguageChoice: a signed-in user's setting wins over the switcher's cookie, which
// wins over the browser's Accept-Language.
func TestLanguageChoice(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	get := func(c *http.Client, path, cookieLang string) *response {
		t.Helper()
		h := http.Header{"Accept-Language": {"ky-KG,ky;q=0.9,en;q=0.5"}}
		if cookieLang != "" {
			h.Set("Cookie", langCookie+"="+cookieLang)
		}
		res := s.do(c, http.MethodGet, path, nil, h)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		return res
	}
	check := func(what string, res *response, want string) {
		t.Helper()
		if got := htmlLang(t, res.Body); got != want {
			t.Errorf("%s: <html lang=%q>, want %q", what, got, want)
		}
		// And the page is really in that language, not just labelled so.
		doc := parseHTML(t, res.Body)
		if h1 := first(doc, byTag("h1")); h1 == nil {
			t.Errorf("%s: no <h1>", what)
		}
	}
	check("Accept-Language ky", get(nil, "/", ""), "ky")
	check("Accept-Language ky, cookie en", get(nil, "/", "en"), "en")
	login := get(nil, "/login", "en")
	check("sign-in page, cookie en", login, "en")
	if h1 := text(first(parseHTML(t, login.Body), byTag("h1"))); h1 != i18n.For("en").T("login.title") {
		t.Errorf("sign-in page with cookie en: <h1> %q, want %q", h1, i18n.For("en").T("login.title"))
	}
	if res := s.get(nil, "/"); htmlLang(t, res.Body) != i18n.Langs[0] {
		t.Errorf("no preference at all: lang %q, want the default %q", htmlLang(t, res.Body), i18n.Langs[0])
	}

	// The coordinator's setting is Russian; a cookie or the browser does not change that.
	c := s.client()
	res := s.do(c, http.MethodPost, "/login", url.Values{"email": {"coordinator@birge.example"}, "password": {s.passwords["coordinator@birge.example"]}},
		http.Header{"Cookie": {langCookie + "=en"}, "Accept-Language": {"ky"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", res.StatusCode)
	}
	check("signed in (ru), cookie en, Accept-Language ky: staff page", get(c, "/dashboard", "en"), "ru")
	check("signed in (ru), cookie en, Accept-Language ky: public page", get(c, "/", "en"), "ru")

	// Switching language while signed in changes the setting itself.
	if res := s.postForm(c, "/lang", url.Values{"lang": {"kk"}, "next": {"/dashboard"}}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST /lang: %d", res.StatusCode)
	}
	check("after switching to kk, cookie en", get(c, "/dashboard", "en"), "kk")
	if u, _ := s.st.GetUser(context.Background(), birge.System("t"), s.userID("coordinator@birge.example")); u.Lang != "kk" {
		t.Errorf("switching language while signed in left the setting at %q", u.Lang)
	}
	// An unknown language is refused and changes nothing.
	if res := s.postForm(c, "/lang", url.Values{"lang": {"de"}, "next": {"/"}}, nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("POST /lang de: %d, want 422", res.StatusCode)
	}
}
