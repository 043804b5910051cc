package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

func testCourse(org int64) birge.Course {
	return birge.Course{OrgID: org, Names: birge.Names{KK: "Кәсіпкерлік", RU: "Предпринимательство", KY: "Ишкердик",
		EN: "Entrepreneurship"}, Hours: 24, CompletionRule: birge.CompletionRule{MinAttendance: 0.8, Project: true}}
}

func testCohort(course, center int64, capacity int, trainers ...int64) birge.Cohort {
	return birge.Cohort{CourseID: course, CenterID: center, Language: "kk", Capacity: capacity,
		StartsOn: "2027-01-11", EndsOn: "2027-02-28", TrainerIDs: trainers}
}

// trainingFixture is a course and a cohort of three places at Mama Pro Almaty, trained
// by the demo's trainer, run by the administrator.
func trainingFixture(t *testing.T, st *store.Store, capacity int) (*peopleFixture, birge.Cohort) {
	t.Helper()
	ctx := context.Background()
	fx := newPeopleFixture(t, st)
	course, err := st.Trainings.CreateCourse(ctx, fx.admin, testCourse(fx.almaty.OrgID))
	if err != nil {
		t.Fatal(err)
	}
	h, err := st.Trainings.CreateCohort(ctx, fx.admin, testCohort(course.ID, fx.almaty.ID, capacity, fx.trainer.UserID))
	if err != nil {
		t.Fatal(err)
	}
	return fx, h
}

// TestEnrollmentWaitingList: enrolments fill the places, then wait in order; a woman
// dropping out frees her place for the first who waits, in the same change, which says
// who moved up; enrolling twice is a conflict.
func TestEnrollmentWaitingList(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h := trainingFixture(t, st, 2)
		var es []birge.Enrollment
		for i, name := range []string{"Айгерім", "Гүлнар", "Жанар", "Меруерт"} {
			her := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: name, FamilyName: "Сейітова"})
			e, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: her.ID, Childcare: i == 0})
			if err != nil {
				t.Fatal(err)
			}
			es = append(es, e)
		}
		for i, want := range []struct {
			status string
			pos    int
		}{{"enrolled", 0}, {"enrolled", 0}, {"waiting", 1}, {"waiting", 2}} {
			if es[i].Status != want.status || es[i].Position != want.pos {
				t.Errorf("enrolment %d: %s at %d, want %s at %d", i, es[i].Status, es[i].Position, want.status, want.pos)
			}
		}
		if _, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: es[1].PersonID}); birge.AsError(err).Kind != birge.KindConflict {
			t.Errorf("enrolling twice: %v", err)
		}
		// Dropping out needs a reason.
		drop := es[0]
		drop.Status = "dropped"
		if _, err := st.Trainings.UpdateEnrollment(ctx, fx.admin, drop); birge.AsError(err).Fields["reason"] == "" {
			t.Errorf("dropped without a reason: %v", err)
		}
		drop.Reason = "Нашла работу"
		got, err := st.Trainings.UpdateEnrollment(ctx, fx.admin, drop)
		if err != nil || got.Status != "dropped" || len(got.MovedUp) != 1 || got.MovedUp[0].ID != es[2].ID {
			t.Fatalf("drop: %+v, %v", got, err)
		}
		list, err := st.Trainings.Enrollments(ctx, fx.admin, h.ID)
		if err != nil || len(list) != 4 {
			t.Fatal(list, err)
		}
		at := map[int64]birge.Enrollment{}
		for _, e := range list {
			at[e.ID] = e
		}
		if at[es[2].ID].Status != "enrolled" || at[es[3].ID].Status != "waiting" || at[es[3].ID].Position != 1 {
			t.Errorf("after the drop: %+v", list)
		}
		// A full cohort takes no one off the waiting list by hand.
		w := at[es[3].ID]
		w.Status = "enrolled"
		if _, err := st.Trainings.UpdateEnrollment(ctx, fx.admin, w); birge.AsError(err).Kind != birge.KindConflict {
			t.Errorf("enrolled past capacity: %v", err)
		}
		// More places take the rest of the waiting list in.
		cohort, _ := st.Trainings.Cohort(ctx, fx.admin, h.ID)
		cohort.Capacity = 3
		if cohort, err = st.Trainings.UpdateCohort(ctx, fx.admin, cohort); err != nil || cohort.Enrolled != 3 || cohort.Waiting != 0 {
			t.Errorf("more places: %+v, %v", cohort, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'enrollment'`); n != 4+1+1+1 {
			t.Errorf("%d entries about enrolments, want 7", n)
		}
		// Fewer places than are taken are refused.
		cohort.Capacity = 1
		if _, err := st.Trainings.UpdateCohort(ctx, fx.admin, cohort); birge.AsError(err).Fields["capacity"] == "" {
			t.Errorf("fewer places than taken: %v", err)
		}
		// Her dossier has her enrolment.
		d, err := st.People.Dossier(ctx, fx.admin, es[0].PersonID)
		if err != nil || len(d.Enrollments) != 1 || d.Enrollments[0].Reason != "Нашла работу" {
			t.Errorf("dossier: %+v, %v", d.Enrollments, err)
		}
	})
}

// TestEnrollmentEligibility: each rule she does not meet is refused by its field with
// its reason; a rule never names a sensitive category.
func TestEnrollmentEligibility(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h := trainingFixture(t, st, 5)
		h.Regions = []string{"KZ75"}
		h.MinAge, h.MaxAge, h.RuralOnly = 18, 35, true
		h, err := st.Trainings.UpdateCohort(ctx, fx.admin, h)
		if err != nil {
			t.Fatal(err)
		}
		old := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Бибігүл", FamilyName: "Оспанова",
			BirthDate: "1960-05-01", Country: "KZ", Region: "KZ71"})
		_, err = st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: old.ID})
		e := birge.AsError(err)
		if e == nil || e.Fields["eligible_regions"] != "training.not_in_region" || e.Fields["max_age"] != "training.too_old" ||
			e.Fields["rural_only"] != "training.not_rural" {
			t.Errorf("not eligible: %v %+v", err, e)
		}
		young := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Аружан", FamilyName: "Оспанова",
			BirthDate: "2000-05-01", Country: "KZ", Region: "KZ75", Rural: true})
		if got, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: young.ID}); err != nil || got.Status != "enrolled" {
			t.Errorf("eligible: %+v, %v", got, err)
		}
		cats, _ := st.Categories(ctx, fx.admin, fx.almaty.OrgID)
		if len(cats) == 0 {
			t.Fatal("no categories")
		}
		for _, c := range cats {
			h.Categories = []string{c.Code}
			_, err := st.Trainings.UpdateCohort(ctx, fx.admin, h)
			if c.Sensitive && birge.AsError(err).Fields["eligible_categories"] != "training.category_sensitive" {
				t.Errorf("a sensitive category %s in a rule: %v", c.Code, err)
			}
			if !c.Sensitive && !c.Retired && err != nil {
				t.Errorf("category %s: %v", c.Code, err)
			}
			h, _ = st.Trainings.Cohort(ctx, fx.admin, h.ID)
		}
	})
}

// TestCohortTrainerScope: a trainer sees the cohorts she trains and nothing of another's,
// and changes none; one without training.view sees none.
func TestCohortTrainerScope(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, hers := trainingFixture(t, st, 5)
		other, err := st.Trainings.CreateCohort(ctx, fx.admin, testCohort(hers.CourseID, fx.almaty.ID, 5))
		if err != nil {
			t.Fatal(err)
		}
		// Hers and the demo's, which she trains too; not the other.
		list, err := st.Trainings.Cohorts(ctx, fx.trainer, store.CohortFilter{})
		if err != nil || len(list) != 2 || list[1].ID != hers.ID {
			t.Errorf("her cohorts: %+v, %v", list, err)
		}
		all, _ := st.Trainings.Cohorts(ctx, fx.admin, store.CohortFilter{})
		if len(all) != 3 {
			t.Errorf("the administrator sees %d cohorts, want 3", len(all))
		}
		if _, err := st.Trainings.Cohort(ctx, fx.trainer, other.ID); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("another's cohort: %v", err)
		}
		if _, err := st.Trainings.Enrollments(ctx, fx.trainer, other.ID); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("another's enrolments: %v", err)
		}
		hers.Capacity = 9
		if _, err := st.Trainings.UpdateCohort(ctx, fx.trainer, hers); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("trainer edits her cohort: %v", err)
		}
		if _, err := st.Trainings.Cohorts(ctx, fx.caseworker, store.CohortFilter{}); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("a case worker lists cohorts: %v", err)
		}
		// Only a trainer of the centre trains a cohort.
		c := testCohort(hers.CourseID, fx.almaty.ID, 5, fx.caseworker.UserID)
		if _, err := st.Trainings.CreateCohort(ctx, fx.admin, c); birge.AsError(err).Fields["trainer_ids"] == "" {
			t.Errorf("a case worker as trainer: %v", err)
		}
	})
}

// TestTrainingSessionsGenerate: a weekly pattern gives one session each week between the
// cohort's days, in the actor's zone; one is moved, one deleted.
func TestTrainingSessionsGenerate(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h := trainingFixture(t, st, 5)
		list, err := st.Trainings.GenerateTrainingSessions(ctx, fx.admin, h.ID, birge.SessionPattern{Weekday: 2, Start: "18:30", Minutes: 120})
		// 2027-01-11 is a Monday; Tuesdays to 2027-02-28: 12, 19, 26 Jan, 2, 9, 16, 23 Feb.
		if err != nil || len(list) != 7 || list[0].StartsAt.In(fx.admin.Location()).Format("2006-01-02 15:04 Mon") != "2027-01-12 18:30 Tue" {
			t.Fatalf("generated: %d %v", len(list), err)
		}
		if _, err := st.Trainings.GenerateTrainingSessions(ctx, fx.admin, h.ID, birge.SessionPattern{Weekday: 9, Start: "25:00"}); birge.AsError(err).Fields["start"] == "" {
			t.Errorf("bad pattern: %v", err)
		}
		s := list[1]
		s.Venue = "Зал 2"
		s.EndsAt = s.StartsAt.Add(-1)
		if _, err := st.Trainings.UpdateTrainingSession(ctx, fx.admin, s); birge.AsError(err).Fields["ends_at"] == "" {
			t.Errorf("ending before it starts: %v", err)
		}
		s.EndsAt = s.StartsAt.Add(90 * 60 * 1e9)
		if got, err := st.Trainings.UpdateTrainingSession(ctx, fx.admin, s); err != nil || got.Venue != "Зал 2" {
			t.Errorf("moved: %+v, %v", got, err)
		}
		if err := st.Trainings.DeleteTrainingSession(ctx, fx.trainer, list[2].ID); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("trainer deletes: %v", err)
		}
		if err := st.Trainings.DeleteTrainingSession(ctx, fx.admin, list[2].ID); err != nil {
			t.Error(err)
		}
		if got, _ := st.Trainings.TrainingSessions(ctx, fx.trainer, h.ID); len(got) != 6 {
			t.Errorf("%d sessions left, want 6", len(got))
		}
	})
}

// TestEnrollmentsFollowHer: an enrolment moves with her record on a merge and back on
// undo, is on her timeline to those who see the cohort, and stays after she is
// anonymised, for the counts, without what she said.
func TestEnrollmentsFollowHer(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h := trainingFixture(t, st, 5)
		her := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Динара", FamilyName: "Ахметова"})
		twin := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Динара", FamilyName: "Ахметова"})
		e, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: twin.ID, Accommodation: "Балабақша керек"})
		if err != nil {
			t.Fatal(err)
		}
		person := func() int64 {
			got, err := st.Trainings.Enrollment(ctx, fx.admin, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.PersonID
		}
		m, err := st.People.Merge(ctx, fx.admin, her.ID, twin.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p := person(); p != her.ID {
			t.Errorf("after the merge the enrolment is %d's, want %d's", p, her.ID)
		}
		if err := st.People.UndoMerge(ctx, fx.admin, her.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if p := person(); p != twin.ID {
			t.Errorf("after undo the enrolment is %d's, want %d's", p, twin.ID)
		}
		// On her timeline to those who run the cohort and to its trainer.
		for _, c := range []struct {
			a    *birge.Actor
			want bool
		}{{fx.admin, true}, {fx.trainer, true}} {
			tl, err := st.People.Timeline(ctx, c.a, twin.ID, "", 50)
			found := false
			for _, ev := range tl {
				found = found || ev.Kind == "enrollment"
			}
			if err != nil || found != c.want {
				t.Errorf("timeline: enrolment shown %v, want %v (%v)", found, c.want, err)
			}
		}
		e.Status, e.Reason, e.UpdatedAt = "dropped", "Ерімен көшіп кетті", time.Time{}
		if _, err := st.Trainings.UpdateEnrollment(ctx, fx.admin, e); err != nil {
			t.Fatal(err)
		}
		if err := st.People.Anonymise(ctx, fx.admin, twin.ID); err != nil {
			t.Fatal(err)
		}
		got, err := st.Trainings.Enrollment(ctx, fx.admin, e.ID)
		if err != nil || got.Status != "dropped" || got.Reason != "" || got.Accommodation != "" || got.PersonName != "" {
			t.Errorf("after anonymisation: %+v, %v", got, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'enrollment' AND changes LIKE '%көшіп%'`); n != 0 {
			t.Errorf("%d entries of her enrolment show why she left in the clear", n)
		}
	})
}

// TestEnrollmentOtherTrainerTimeline: a trainer who does not train the cohort does not
// see the enrolment on the timeline of a woman she may see.
func TestEnrollmentOtherTrainerTimeline(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		course, err := st.Trainings.CreateCourse(ctx, fx.admin, testCourse(fx.almaty.OrgID))
		if err != nil {
			t.Fatal(err)
		}
		h, err := st.Trainings.CreateCohort(ctx, fx.admin, testCohort(course.ID, fx.almaty.ID, 5))
		if err != nil {
			t.Fatal(err)
		}
		her := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Жанна"})
		if _, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: her.ID}); err != nil {
			t.Fatal(err)
		}
		tl, err := st.People.Timeline(ctx, fx.trainer, her.ID, "", 50)
		for _, ev := range tl {
			if ev.Kind == "enrollment" {
				t.Errorf("another's cohort on the trainer's timeline of her: %+v", ev)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	})
}
