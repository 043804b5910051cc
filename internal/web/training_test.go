package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// trainingFixtures are Mama Pro's course, a cohort at Almaty trained by the demo's
// trainer and one trained by no one, enrolments and sessions the routes act on, each
// used by one case so that the order of cases does not matter.
func trainingFixtures(t *testing.T, s *site, fx *fixture) {
	t.Helper()
	ctx, sys := context.Background(), birge.System("t")
	almaty := s.center("Mama Pro Almaty")
	course, err := s.st.Trainings.CreateCourse(ctx, sys, birge.Course{OrgID: almaty.OrgID, Names: birge.Names{KK: "Кәсіпкерлік",
		RU: "Предпринимательство", KY: "Ишкердик", EN: "Entrepreneurship"}, Hours: 24})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["course:mamapro"] = course.ID
	for key, trainers := range map[string][]int64{"almaty": {fx.ids["user:trainer"]}, "almaty-other": {},
		"almaty-edit": {fx.ids["user:trainer"]}} {
		// The trainer's cohort is offered on the public site (decision 0034); the other is not.
		h, err := s.st.Trainings.CreateCohort(ctx, sys, birge.Cohort{CourseID: course.ID, CenterID: almaty.ID, Language: "kk",
			Capacity: 10, StartsOn: "2027-01-11", EndsOn: "2027-02-28", TrainerIDs: trainers, PublicSignup: key == "almaty"})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["cohort:"+key] = h.ID
	}
	for _, key := range []string{"web", "api", "api-patch", "web-enrol"} {
		p, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: almaty.ID, GivenName: "Гүлнар " + key, FamilyName: "Серікова"})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["person:almaty-"+key] = p.ID
		if key == "web-enrol" {
			continue
		}
		e, err := s.st.Trainings.Enroll(ctx, sys, fx.ids["cohort:almaty"], birge.Enrollment{PersonID: p.ID})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["enrollment:"+key] = e.ID
	}
	for _, key := range []string{"almaty", "almaty-web-delete", "almaty-api-delete"} {
		start := time.Date(2027, 1, 12, 13, 0, 0, 0, time.UTC)
		l, err := s.st.Trainings.AddTrainingSessions(ctx, sys, fx.ids["cohort:almaty"],
			[]birge.TrainingSession{{StartsAt: start, EndsAt: start.Add(2 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["lesson:"+key] = l[0].ID
	}
	certificateFixtures(t, s, fx)
	// Attendance (decision 0031): a session held the day before yesterday in the trainer's
	// cohort and in another's, and a cohort of hers that has ended, for the completion rule.
	held := time.Date(2026, 12, 30, 5, 0, 0, 0, time.UTC)
	for _, key := range []string{"almaty", "almaty-other"} {
		l, err := s.st.Trainings.AddTrainingSessions(ctx, sys, fx.ids["cohort:"+key],
			[]birge.TrainingSession{{StartsAt: held, EndsAt: held.Add(2 * time.Hour)}})
		if err != nil {
			t.Fatal(err)
		}
		fx.ids["lesson:"+key+"-held"] = l[0].ID
	}
	ended, err := s.st.Trainings.CreateCohort(ctx, sys, birge.Cohort{CourseID: course.ID, CenterID: almaty.ID, Language: "kk",
		Capacity: 10, StartsOn: "2026-11-01", EndsOn: "2026-12-20", TrainerIDs: []int64{fx.ids["user:trainer"]}})
	if err != nil {
		t.Fatal(err)
	}
	fx.ids["cohort:almaty-ended"] = ended.ID
	if _, err := s.st.Trainings.Enroll(ctx, sys, ended.ID, birge.Enrollment{PersonID: fx.ids["person:almaty-web"]}); err != nil {
		t.Fatal(err)
	}
}

// marksJSON is a sync of one mark: a woman of the trainer's cohort absent, with a reason.
func marksJSON(fx *fixture) any {
	return fmt.Sprintf(`{"marks": [{"person_id": %s, "mark": "absent", "reason": "Ауырып қалды",
		"marked_at": "2026-12-30T05:10:00Z"}]}`, fx.id(fx.site.t, "person:almaty-api"))
}

func courseJSON(fx *fixture) any {
	return fmt.Sprintf(`{"organization_id": %s, "name_kk": "Компьютерлік сауаттылық", "name_ru": "Компьютерная грамотность",
		"name_ky": "Компьютердик сабаттуулук", "name_en": "Computer literacy", "hours": 20}`, fx.id(fx.site.t, "org:mamapro"))
}

func courseForm(fx *fixture) any {
	return url.Values{"organization_id": {fx.id(fx.site.t, "org:mamapro")}, "name_kk": {"Копирайтинг"}, "name_ru": {"Копирайтинг"},
		"name_ky": {"Копирайтинг"}, "name_en": {"Copywriting"}, "hours": {"16"}, "min_attendance": {"80"}}
}

func cohortJSON(fx *fixture) any {
	return fmt.Sprintf(`{"course_id": %s, "center_id": %s, "language": "ru", "capacity": 15, "starts_on": "2027-02-01",
		"ends_on": "2027-03-31"}`, fx.id(fx.site.t, "course:mamapro"), fx.id(fx.site.t, "center:almaty"))
}

func cohortForm(fx *fixture) any {
	return url.Values{"course_id": {fx.id(fx.site.t, "course:mamapro")}, "center_id": {fx.id(fx.site.t, "center:almaty")},
		"language": {"ru"}, "capacity": {"15"}, "starts_on": {"2027-02-01"}, "ends_on": {"2027-03-31"}}
}

func enrolJSON(key string) func(fx *fixture) any {
	return func(fx *fixture) any { return fmt.Sprintf(`{"person_id": %s}`, fx.id(fx.site.t, key)) }
}

// trainingSite is a site with Mama Pro's course and a cohort of two places at Almaty,
// trained by the demo's trainer, and the administrator's token.
func trainingSite(t *testing.T, st *store.Store) (s *site, tok string, cohort birge.Cohort) {
	t.Helper()
	s = newSite(t, st, Config{})
	_, tok = s.token("admin@birge.example", "trainings")
	almaty := s.center("Mama Pro Almaty")
	res := s.api(tok, http.MethodPost, "/api/v1/courses", map[string]any{"organization_id": almaty.OrgID,
		"name_kk": "Кәсіпкерлік", "name_ru": "Предпринимательство", "name_ky": "Ишкердик", "name_en": "Entrepreneurship",
		"hours": 24, "completion_rule": map[string]any{"min_attendance": 0.8, "project": true}})
	var course birge.Course
	if decodeJSON(t, res, &course); res.StatusCode != http.StatusCreated || course.CompletionRule.MinAttendance != 0.8 {
		t.Fatalf("course: %d %s", res.StatusCode, res.Body)
	}
	res = s.api(tok, http.MethodPost, "/api/v1/cohorts", map[string]any{"course_id": course.ID, "center_id": almaty.ID,
		"language": "ky", "capacity": 2, "starts_on": "2027-01-11", "ends_on": "2027-02-28",
		"trainer_ids": []int64{s.userID("trainer@birge.example")}})
	if decodeJSON(t, res, &cohort); res.StatusCode != http.StatusCreated {
		t.Fatalf("cohort: %d %s", res.StatusCode, res.Body)
	}
	return s, tok, cohort
}

// TestEnrollmentAPIWaitingList: enrolments fill the places and then wait; enrolling
// twice is a 409; dropping one out moves the first who waits up, and the answer says so.
func TestEnrollmentAPIWaitingList(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s, tok, cohort := trainingSite(t, st)
		path := fmt.Sprintf("/api/v1/cohorts/%d/enrollments", cohort.ID)
		var es []birge.Enrollment
		for i, name := range []string{"Айгүл", "Бермет", "Чолпон"} {
			p := s.registerAt("Mama Pro Almaty", birge.Person{GivenName: name, FamilyName: "Асанова"})
			res := s.api(tok, http.MethodPost, path, map[string]any{"person_id": p, "childcare": i == 0})
			var e birge.Enrollment
			if decodeJSON(t, res, &e); res.StatusCode != http.StatusCreated {
				t.Fatalf("enrol %s: %d %s", name, res.StatusCode, res.Body)
			}
			es = append(es, e)
		}
		if es[0].Status != "enrolled" || es[1].Status != "enrolled" || es[2].Status != "waiting" || es[2].Position != 1 {
			t.Errorf("statuses: %+v", es)
		}
		if res := s.api(tok, http.MethodPost, path, map[string]any{"person_id": es[1].PersonID}); res.StatusCode != http.StatusConflict {
			t.Errorf("enrolling twice: %d %s", res.StatusCode, res.Body)
		}
		one := fmt.Sprintf("/api/v1/enrollments/%d", es[0].ID)
		if res := s.api(tok, http.MethodPatch, one, map[string]any{"status": "dropped"}); res.StatusCode != 422 || problemOf(t, res).Errors["reason"] == "" {
			t.Errorf("dropped without a reason: %d %s", res.StatusCode, res.Body)
		}
		res := s.api(tok, http.MethodPatch, one, map[string]any{"status": "dropped", "reason": "Жумушка орношту"})
		var dropped birge.Enrollment
		if decodeJSON(t, res, &dropped); res.StatusCode != 200 || len(dropped.MovedUp) != 1 || dropped.MovedUp[0].ID != es[2].ID ||
			dropped.MovedUp[0].Status != "enrolled" {
			t.Fatalf("drop: %d %s", res.StatusCode, res.Body)
		}
		var list struct{ Items []birge.Enrollment }
		decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &list)
		if len(list.Items) != 3 || list.Items[0].ID != es[1].ID || list.Items[1].ID != es[2].ID || list.Items[2].Status != "dropped" {
			t.Errorf("after the drop: %+v", list.Items)
		}
		// Who moved up is in the audit log, by the drop's actor.
		l, err := st.ListAudit(context.Background(), birge.System("t"), store.AuditFilter{Entity: birge.EntityEnrollment,
			EntityID: es[2].ID, Limit: 10})
		if err != nil || len(l) != 2 {
			t.Errorf("%d entries about the one who moved up, want 2 (%v)", len(l), err)
		}
		// The page names who moved up.
		c := s.login("admin@birge.example")
		page := s.get(c, fmt.Sprintf("/cohorts/%d?moved_up=%d", cohort.ID, es[2].ID))
		if page.StatusCode != 200 || !strings.Contains(page.Body, "Чолпон") {
			t.Errorf("cohort page: %d", page.StatusCode)
		}
	})
}

// TestEnrollmentEligibilityAPI: each rule she does not meet is named by its field with
// its reason; a sensitive category is no rule.
func TestEnrollmentEligibilityAPI(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s, tok, cohort := trainingSite(t, st)
		path := fmt.Sprintf("/api/v1/cohorts/%d", cohort.ID)
		res := s.api(tok, http.MethodPatch, path, map[string]any{"eligible_regions": []string{"KZ75"}, "min_age": 18,
			"max_age": 45, "rural_only": true, "eligible_categories": []string{"low_income"}})
		if res.StatusCode != 200 {
			t.Fatalf("rules: %d %s", res.StatusCode, res.Body)
		}
		if res := s.api(tok, http.MethodPatch, path, map[string]any{"eligible_categories": []string{"dv_survivor"}}); res.StatusCode != 422 ||
			problemOf(t, res).Errors["eligible_categories"] == "" {
			t.Errorf("a sensitive category as a rule: %d %s", res.StatusCode, res.Body)
		}
		p := s.registerAt("Mama Pro Almaty", birge.Person{GivenName: "Жылдыз", FamilyName: "Токтогулова", BirthDate: "1950-02-01",
			Country: "KZ", Region: "KZ71"})
		res = s.api(tok, http.MethodPost, path+"/enrollments", map[string]any{"person_id": p})
		errs := problemOf(t, res).Errors
		if res.StatusCode != 422 || len(errs) != 4 || errs["eligible_regions"] == "" || errs["max_age"] == "" ||
			errs["rural_only"] == "" || errs["eligible_categories"] == "" {
			t.Errorf("not eligible: %d %v", res.StatusCode, errs)
		}
	})
}

// TestCohortTrainerSees: the trainer reads her cohort, its sessions and who is enrolled,
// changes nothing, and finds no other cohort; no sensitive category reaches her.
func TestCohortTrainerSees(t *testing.T) {
	t.Parallel()
	st := testenv.Open(t, testenv.Databases(t)[0])
	s, tok, cohort := trainingSite(t, st)
	other := s.api(tok, http.MethodPost, "/api/v1/cohorts", map[string]any{"course_id": cohort.CourseID,
		"center_id": cohort.CenterID, "language": "ru", "capacity": 5, "starts_on": "2027-03-01", "ends_on": "2027-04-30"})
	var o birge.Cohort
	decodeJSON(t, other, &o)
	// A survivor of violence: the trainer learns her name, never that.
	her := s.registerAt("Mama Pro Almaty", birge.Person{GivenName: "Сауле", FamilyName: "Ибраева",
		Categories: []string{"dv_survivor", "rural"}})
	s.api(tok, http.MethodPost, fmt.Sprintf("/api/v1/cohorts/%d/enrollments", cohort.ID), map[string]any{"person_id": her})
	_, trainer := s.token("trainer@birge.example", "register")
	for path, want := range map[string]int{
		fmt.Sprintf("/api/v1/cohorts/%d", cohort.ID):             200,
		fmt.Sprintf("/api/v1/cohorts/%d/enrollments", cohort.ID): 200,
		fmt.Sprintf("/api/v1/cohorts/%d/sessions", cohort.ID):    200,
		fmt.Sprintf("/api/v1/cohorts/%d", o.ID):                  404,
		fmt.Sprintf("/api/v1/cohorts/%d/enrollments", o.ID):      404,
	} {
		res := s.api(trainer, http.MethodGet, path, nil)
		if res.StatusCode != want {
			t.Errorf("trainer GET %s: %d, want %d", path, res.StatusCode, want)
		}
		if strings.Contains(res.Body, "dv_survivor") {
			t.Errorf("trainer GET %s shows a category: %s", path, res.Body)
		}
	}
	var list struct{ Items []birge.Cohort }
	decodeJSON(t, s.api(trainer, http.MethodGet, "/api/v1/cohorts", nil), &list)
	// Hers and the demo's, which she trains too.
	if len(list.Items) != 2 || list.Items[1].ID != cohort.ID || list.Items[0].ID == o.ID {
		t.Errorf("the trainer's cohorts: %+v", list.Items)
	}
	if res := s.api(trainer, http.MethodPatch, fmt.Sprintf("/api/v1/cohorts/%d", cohort.ID), map[string]any{"capacity": 9}); res.StatusCode != 403 {
		t.Errorf("trainer changes her cohort: %d", res.StatusCode)
	}
}

// TestTrainingNaughtyStrings: every free-text field of trainings stores each naughty
// string exactly or refuses it beside the field; the cohort's page still renders.
func TestTrainingNaughtyStrings(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s, tok, cohort := trainingSite(t, st)
		allowed := textRefusals("kk")
		p := s.registerAt("Mama Pro Almaty", birge.Person{GivenName: "Айгерим", FamilyName: "Нурланова"})
		res := s.api(tok, http.MethodPost, fmt.Sprintf("/api/v1/cohorts/%d/enrollments", cohort.ID), map[string]any{"person_id": p})
		var e birge.Enrollment
		decodeJSON(t, res, &e)
		dropped := s.registerAt("Mama Pro Almaty", birge.Person{GivenName: "Асель", FamilyName: "Нурланова"})
		res = s.api(tok, http.MethodPost, fmt.Sprintf("/api/v1/cohorts/%d/enrollments", cohort.ID), map[string]any{"person_id": dropped})
		var d birge.Enrollment
		decodeJSON(t, res, &d)
		if res := s.api(tok, http.MethodPatch, fmt.Sprintf("/api/v1/enrollments/%d", d.ID), map[string]any{"status": "dropped",
			"reason": "Көшіп кетті"}); res.StatusCode != 200 {
			t.Fatalf("drop: %d %s", res.StatusCode, res.Body)
		}
		res = s.api(tok, http.MethodPost, fmt.Sprintf("/api/v1/cohorts/%d/sessions", cohort.ID), map[string]any{
			"starts_at": "2027-01-12T13:00:00Z", "ends_at": "2027-01-12T15:00:00Z"})
		var lessons struct{ Items []birge.TrainingSession }
		decodeJSON(t, res, &lessons)
		if len(lessons.Items) != 1 {
			t.Fatalf("session: %d %s", res.StatusCode, res.Body)
		}
		targets := map[string][]string{
			fmt.Sprintf("/api/v1/courses/%d", cohort.CourseID): {"name_kk", "name_ru", "name_ky", "name_en",
				"description_kk", "description_ru", "description_ky", "description_en"},
			fmt.Sprintf("/api/v1/cohorts/%d", cohort.ID):                     {"venue"},
			fmt.Sprintf("/api/v1/enrollments/%d", e.ID):                      {"accommodation"},
			fmt.Sprintf("/api/v1/enrollments/%d", d.ID):                      {"reason"},
			fmt.Sprintf("/api/v1/training-sessions/%d", lessons.Items[0].ID): {"venue"},
		}
		tally := map[string]int{}
		for path, fields := range targets {
			for _, v := range lines {
				send := func(fields []string) (int, map[string]string, string) {
					body := map[string]string{}
					for _, f := range fields {
						body[f] = v
					}
					res := s.api(tok, http.MethodPatch, path, body)
					var p problem
					if res.StatusCode == http.StatusUnprocessableEntity {
						decodeJSON(t, res, &p)
					}
					return res.StatusCode, p.Errors, res.Body
				}
				stored := func(fields []string) {
					var got map[string]any
					decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &got)
					for _, f := range fields {
						if got[f] != asSent(v) {
							t.Errorf("%q in %s: GET %s returns %q", v, f, path, got[f])
						}
					}
				}
				tryValue(t, v, fields, http.StatusOK, send, stored, allowed, tally)
			}
		}
		if tally["stored"] == 0 || tally["refused"] == 0 {
			t.Errorf("stored %d, refused %d", tally["stored"], tally["refused"])
		}
		// The page shows whatever was stored last, escaped.
		c := s.login("admin@birge.example")
		for _, path := range []string{fmt.Sprintf("/cohorts/%d", cohort.ID), "/cohorts", "/courses"} {
			if res := s.get(c, path); res.StatusCode != 200 || !strings.Contains(res.Body, "</h1>") {
				t.Errorf("%s after the naughty strings: %d", path, res.StatusCode)
			}
		}
	})
}

// TestTrainingPages: an administrator adds a course and a cohort
// through the pages, generates its weekly sessions, finds women and enrols them until
// one waits, drops one out and sees who moved up; mistakes are shown by their fields.
func TestTrainingPages(t *testing.T) {
	t.Parallel()
	st := testenv.Open(t, testenv.Databases(t)[0])
	s := newSite(t, st, Config{})
	c := s.login("admin@birge.example")
	almaty := s.center("Mama Pro Almaty")
	org := strconv.FormatInt(almaty.OrgID, 10)
	for _, path := range []string{"/courses", "/courses/new", "/cohorts", "/cohorts/new"} {
		if res := s.get(c, path); res.StatusCode != 200 {
			t.Fatalf("GET %s: %d\n%.2000s", path, res.StatusCode, res.Body)
		}
	}
	res := s.postForm(c, "/courses", url.Values{"organization_id": {org}, "name_kk": {"Кәсіпкерлік"}, "hours": {"много"},
		"min_attendance": {"120"}}, nil)
	doc := parseHTML(t, res.Body)
	for _, id := range []string{"e-name_ru", "e-hours", "e-min_attendance"} {
		if first(doc, byID(id)) == nil {
			t.Errorf("a refused course shows no message at %s", id)
		}
	}
	if res.StatusCode != 422 || first(doc, byID("f-name_kk")) == nil {
		t.Fatalf("refused course: %d", res.StatusCode)
	}
	res = s.postForm(c, "/courses", url.Values{"organization_id": {org}, "name_kk": {"Кәсіпкерлік"}, "name_ru": {"Предпринимательство"},
		"name_ky": {"Ишкердик"}, "name_en": {"Entrepreneurship"}, "hours": {"24"}, "min_attendance": {"80"}, "project": {"on"}}, nil)
	if res.StatusCode != 303 {
		t.Fatalf("course: %d\n%.2000s", res.StatusCode, res.Body)
	}
	courses, _ := st.Trainings.Courses(context.Background(), birge.System("t"), almaty.OrgID)
	course := courses[len(courses)-1]
	if course.CompletionRule.MinAttendance != 0.8 || !course.CompletionRule.Project {
		t.Errorf("course saved as %+v", course)
	}
	if res := s.get(c, fmt.Sprintf("/courses/%d/edit", course.ID)); res.StatusCode != 200 || !strings.Contains(res.Body, `value="80"`) {
		t.Errorf("course edit: %d", res.StatusCode)
	}
	trainer := strconv.FormatInt(s.userID("trainer@birge.example"), 10)
	res = s.postForm(c, "/cohorts", url.Values{"course_id": {strconv.FormatInt(course.ID, 10)}, "center_id": {strconv.FormatInt(almaty.ID, 10)},
		"trainer_" + trainer: {"on"}, "language": {"ky"}, "capacity": {"2"}, "starts_on": {"2027-01-11"}, "ends_on": {"2027-01-31"}}, nil)
	if res.StatusCode != 303 {
		t.Fatalf("cohort: %d\n%.3000s", res.StatusCode, res.Body)
	}
	page := res.Header.Get("Location")
	if res := s.postForm(c, page+"/sessions", url.Values{"weekday": {"6"}, "start": {"25:00"}, "minutes": {"120"}}, nil); res.StatusCode != 422 ||
		first(parseHTML(t, res.Body), byID("e-start")) == nil {
		t.Errorf("a bad time: %d", res.StatusCode)
	}
	if res := s.postForm(c, page+"/sessions", url.Values{"weekday": {"6"}, "start": {"10:00"}, "minutes": {"120"}}, nil); res.StatusCode != 303 {
		t.Fatalf("sessions: %d\n%.2000s", res.StatusCode, res.Body)
	}
	// Saturdays 16, 23 and 30 January.
	if res := s.get(c, page); strings.Count(res.Body, "10:00–12:00") != 3 {
		t.Errorf("the cohort's page shows %d sessions, want 3", strings.Count(res.Body, "10:00–12:00"))
	}
	var women []int64
	for _, name := range []string{"Айзада", "Бегимай", "Нурзат"} {
		women = append(women, s.registerAt("Mama Pro Almaty", birge.Person{GivenName: name, FamilyName: "Жумабекова"}))
	}
	if res := s.get(c, page+"?q=Жумабекова"); strings.Count(res.Body, `name="person_id"`) != 3 {
		t.Errorf("the search finds %d women, want 3", strings.Count(res.Body, `name="person_id"`))
	}
	for _, id := range women {
		if res := s.postForm(c, page+"/enrollments", url.Values{"person_id": {strconv.FormatInt(id, 10)}}, nil); res.StatusCode != 303 {
			t.Fatalf("enrol: %d\n%.2000s", res.StatusCode, res.Body)
		}
	}
	if res := s.postForm(c, page+"/enrollments", url.Values{"person_id": {strconv.FormatInt(women[0], 10)}}, nil); res.StatusCode != 409 {
		t.Errorf("enrolling twice: %d", res.StatusCode)
	}
	// A woman from another region is refused with the reason beside the form.
	h, _ := st.Trainings.Cohort(context.Background(), birge.System("t"), pathID(page))
	h.Regions = []string{"KZ75"}
	if _, err := st.Trainings.UpdateCohort(context.Background(), birge.System("t"), h); err != nil {
		t.Fatal(err)
	}
	far := s.registerAt("Mama Pro Almaty", birge.Person{GivenName: "Салтанат", FamilyName: "Алдабергенова", Country: "KZ", Region: "KZ71"})
	res = s.postForm(c, page+"/enrollments", url.Values{"person_id": {strconv.FormatInt(far, 10)}, "q": {"Алдабергенова"}}, nil)
	if e := first(parseHTML(t, res.Body), byID("e-eligibility")); res.StatusCode != 422 || e == nil ||
		!strings.Contains(text(e), i18n.For("kk").T("training.not_in_region")) {
		t.Errorf("not eligible: %d", res.StatusCode)
	}
	list, _ := st.Trainings.Enrollments(context.Background(), birge.System("t"), pathID(page))
	if len(list) != 3 || list[2].Status != "waiting" {
		t.Fatalf("enrolments: %+v", list)
	}
	drop := fmt.Sprintf("/enrollments/%d", list[0].ID)
	if res := s.postForm(c, drop, url.Values{"status": {"dropped"}}, nil); res.StatusCode != 422 ||
		first(parseHTML(t, res.Body), byID(fmt.Sprintf("e-reason-%d", list[0].ID))) == nil {
		t.Errorf("dropped without a reason: %d", res.StatusCode)
	}
	res = s.postForm(c, drop, url.Values{"status": {"dropped"}, "reason": {"Жумушка кирди"}}, nil)
	if res.StatusCode != 303 || !strings.Contains(res.Header.Get("Location"), fmt.Sprintf("moved_up=%d", list[2].ID)) {
		t.Fatalf("drop: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := s.get(c, res.Header.Get("Location")); !strings.Contains(res.Body, "Нурзат") || !strings.Contains(res.Body, "Жумушка кирди") {
		t.Errorf("the page does not say who moved up")
	}
	// Her printable dossier has the training she left, and why.
	if res := s.get(c, fmt.Sprintf("/people/%d/dossier", women[0])); res.StatusCode != 200 ||
		first(parseHTML(t, res.Body), byID("trainings")) == nil || !strings.Contains(res.Body, "Жумушка кирди") {
		t.Errorf("her dossier: %d, no training", res.StatusCode)
	}
}

// pathID is the last number of a path.
func pathID(path string) int64 {
	n, _ := strconv.ParseInt(path[strings.LastIndex(path, "/")+1:], 10, 64)
	return n
}
