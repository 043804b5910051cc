package web

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
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
	for key, trainers := range map[string][]int64{"almaty": {fx.ids["user:trainer"]}, "almaty-other": {}} {
		h, err := s.st.Trainings.CreateCohort(ctx, sys, birge.Cohort{CourseID: course.ID, CenterID: almaty.ID, Language: "kk",
			Capacity: 10, StartsOn: "2027-01-11", EndsOn: "2027-02-28", TrainerIDs: trainers})
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
