package store_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// followupFixture is two cohorts at Almaty that ended on 28 February 2027: one of the
// default course (3, 6, 12 months) trained by the demo's trainer, one of a course
// followed up at 2 months only, trained by no one; in each, women who completed it. The
// clock stands on 5 September 2027.
type followupFixture struct {
	*peopleFixture
	own, other birge.Cohort
	women      []birge.Enrollment // own: Айгерім (completed with the cohort), Гүлнар (completed on 10 March); other: Жанар
}

var followupDay = time.Date(2027, 9, 5, 9, 0, 0, 0, time.UTC)

func newFollowupFixture(t *testing.T, st *store.Store) followupFixture {
	t.Helper()
	ctx := context.Background()
	st.SetClock(func() time.Time { return followupDay })
	fx, own := trainingFixture(t, st, 10)
	course := testCourse(fx.almaty.OrgID)
	course.FollowupMonths = []int{2}
	k, err := st.Trainings.CreateCourse(ctx, fx.admin, course)
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.Trainings.CreateCohort(ctx, fx.admin, testCohort(k.ID, fx.almaty.ID, 10))
	if err != nil {
		t.Fatal(err)
	}
	ff := followupFixture{peopleFixture: fx, own: own, other: other}
	for i, name := range []string{"Айгерім", "Гүлнар", "Жанар"} {
		h := own
		if i == 2 {
			h = other
		}
		her := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: name, FamilyName: "Сейітова",
			Phones: []string{"+7701555010" + fmt.Sprint(i)}, MayCall: i != 1, Region: "KZ75"})
		e, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: her.ID})
		if err != nil {
			t.Fatal(err)
		}
		e.Status = birge.EnrollmentCompleted
		if e, err = st.Trainings.UpdateEnrollment(ctx, fx.admin, e); err != nil {
			t.Fatal(err)
		}
		ff.women = append(ff.women, e)
	}
	// Гүлнар's completion was recorded by the completion rule on 10 March.
	execSQL(t, st, fmt.Sprintf(`UPDATE enrollments SET completed_on = '2027-03-10' WHERE id = %d`, ff.women[1].ID))
	return ff
}

func followupKeys(list []birge.Followup) string {
	var s []string
	for _, f := range list {
		s = append(s, fmt.Sprintf("%s %d %s %s", f.PersonName[strings.LastIndex(f.PersonName, " ")+1:], f.Months, f.DueOn, f.State))
	}
	return strings.Join(s, "; ")
}

// TestFollowupDueDates: follow-ups fall due 3, 6 and 12 months after her completion (the
// cohort's last day when none is recorded), or at the months of the course's own list; a
// month's grace after its day one is due, then overdue; those still to come are not
// listed.
func TestFollowupDueDates(t *testing.T) {
	if got, _ := birge.AddMonths("2026-08-31", 6); got != "2027-02-28" {
		t.Errorf("31 August and six months: %s", got)
	}
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newFollowupFixture(t, st)
		list, err := st.Trainings.Followups(ctx, fx.admin, store.FollowupFilter{})
		if err != nil {
			t.Fatal(err)
		}
		want := "Жанар 2 2027-04-28 overdue; Айгерім 3 2027-05-28 overdue; Гүлнар 3 2027-06-10 overdue; Айгерім 6 2027-08-28 due"
		if got := followupKeys(list); got != want {
			t.Errorf("follow-ups on 5 September:\n got %s\nwant %s", got, want)
		}
		due, err := st.Trainings.Followups(ctx, fx.admin, store.FollowupFilter{State: birge.FollowupDue})
		if err != nil || followupKeys(due) != "Айгерім 6 2027-08-28 due" {
			t.Errorf("due: %s, %v", followupKeys(due), err)
		}
		overdue, err := st.Trainings.Followups(ctx, fx.admin, store.FollowupFilter{State: birge.FollowupOverdue, CohortID: fx.own.ID})
		if err != nil || followupKeys(overdue) != "Айгерім 3 2027-05-28 overdue; Гүлнар 3 2027-06-10 overdue" {
			t.Errorf("overdue in the own cohort: %s, %v", followupKeys(overdue), err)
		}
		// A month on, Гүлнар's six-month one (10 September) is due and Айгерім's overdue.
		st.SetClock(func() time.Time { return followupDay.AddDate(0, 1, 0) })
		due, err = st.Trainings.Followups(ctx, fx.admin, store.FollowupFilter{State: birge.FollowupDue})
		if err != nil || followupKeys(due) != "Гүлнар 6 2027-09-10 due" {
			t.Errorf("due on 5 October: %s, %v", followupKeys(due), err)
		}
		if _, err := st.Trainings.Followups(ctx, fx.admin, store.FollowupFilter{State: "soon"}); birge.AsError(err).Fields["status"] == "" {
			t.Errorf("an unknown state: %v", err)
		}
		// A course's months must rise, within three years.
		for _, months := range [][]int{{6, 3}, {0}, {37}, {3, 3}} {
			k := testCourse(fx.almaty.OrgID)
			k.FollowupMonths = months
			if _, err := st.Trainings.CreateCourse(ctx, fx.admin, k); birge.AsError(err).Fields["followup_months"] == "" {
				t.Errorf("months %v: %v", months, err)
			}
		}
	})
}

// TestFollowupRecordWritesOutcomes: recording her answers writes the follow-up and her
// outcomes (a job, a business) in one transaction: when an outcome cannot be written,
// neither is the follow-up. Recording it twice is a conflict; one still to come is
// refused.
func TestFollowupRecordWritesOutcomes(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newFollowupFixture(t, st)
		e := fx.women[0]
		answers := birge.FollowupAnswers{Employment: "self_employed", Business: true, BusinessKind: "Тігін шеберханасы",
			BusinessRegistered: true, BusinessEmployees: 2, IncomeBand: "middle", Helped: "yes"}
		// The organisation retired "business started": nothing is written.
		retire := fmt.Sprintf(`UPDATE outcome_kinds SET retired_at = %s WHERE code = 'business_started'`, nowSQL(st))
		execSQL(t, st, retire)
		if _, err := st.Trainings.RecordFollowup(ctx, fx.admin, e.ID, 3, answers); birge.AsError(err).Fields["kind"] == "" {
			t.Fatalf("with a retired kind: %v", err)
		}
		if n := countSQL(t, st, `SELECT COUNT(*) FROM training_followups`); n != 0 {
			t.Fatalf("%d follow-ups written beside a refused outcome", n)
		}
		execSQL(t, st, `UPDATE outcome_kinds SET retired_at = NULL WHERE code = 'business_started'`)
		fu, err := st.Trainings.RecordFollowup(ctx, fx.admin, e.ID, 3, answers)
		if err != nil || fu.State != birge.FollowupRecorded || fu.Via != birge.FollowupViaCall || len(fu.Outcomes) != 2 {
			t.Fatalf("recorded: %+v, %v", fu, err)
		}
		got, err := st.Trainings.Followup(ctx, fx.admin, e.ID, 3)
		if err != nil || got.BusinessKind != "Тігін шеберханасы" || got.RecordedOn != "2027-09-05" || len(got.Outcomes) != 2 {
			t.Errorf("read back: %+v, %v", got, err)
		}
		for _, id := range fu.Outcomes {
			o, err := st.Outcomes.Get(ctx, fx.admin, id)
			if err != nil || o.Source != birge.SourceFollowup || o.SourceID != fu.ID || o.PersonID != e.PersonID || o.Date != "2027-09-05" {
				t.Errorf("outcome %d: %+v, %v", id, o, err)
			}
		}
		if _, err := st.Trainings.RecordFollowup(ctx, fx.admin, e.ID, 3, answers); birge.AsError(err).Kind != birge.KindConflict {
			t.Errorf("recorded twice: %v", err)
		}
		if _, err := st.Trainings.RecordFollowup(ctx, fx.admin, e.ID, 12, answers); birge.AsError(err).Fields["months"] != "followup.not_due" {
			t.Errorf("a year early: %v", err)
		}
		if _, err := st.Trainings.RecordFollowup(ctx, fx.admin, e.ID, 4, answers); birge.AsError(err).Kind != birge.KindNotFound {
			t.Errorf("a month the course does not follow up: %v", err)
		}
		bad := answers
		bad.Business, bad.Helped = false, "maybe"
		if err := birge.AsError(func() error { _, err := st.Trainings.RecordFollowup(ctx, fx.admin, e.ID, 6, bad); return err }()); err.Fields["helped"] == "" || err.Fields["business_kind"] != "followup.business_only" {
			t.Errorf("bad answers: %+v", err)
		}
		list, _ := st.Trainings.Followups(ctx, fx.admin, store.FollowupFilter{CohortID: fx.own.ID})
		if strings.Contains(followupKeys(list), "Айгерім 3") {
			t.Errorf("a recorded follow-up still listed: %s", followupKeys(list))
		}
	})
}

// TestFollowupLinkOnce: a one-time link opens while it works, records her answers once
// (through the link, by no user) and then no longer works; one not used in 30 days has
// expired; the database keeps only its hash.
func TestFollowupLinkOnce(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newFollowupFixture(t, st)
		secret, expires, err := st.Trainings.CreateFollowupLink(ctx, fx.admin, fx.women[0].ID, 6, "kk")
		if err != nil || !expires.Equal(followupDay.Add(30*24*time.Hour)) {
			t.Fatalf("link: %v, %v", expires, err)
		}
		if n := countSQL(t, st, fmt.Sprintf(`SELECT COUNT(*) FROM training_followup_links WHERE token_hash = '%s'`, secret)); n != 0 {
			t.Errorf("the secret is stored as it is")
		}
		if _, _, err := st.Trainings.CreateFollowupLink(ctx, fx.trainer, fx.women[0].ID, 6, "kk"); birge.AsError(err).Kind != birge.KindForbidden {
			t.Errorf("a trainer sends a link: %v", err)
		}
		l, err := st.Trainings.OpenFollowupLink(ctx, secret)
		if err != nil || l.Lang != "kk" || l.GivenName != "Айгерім" || l.Months != 6 || l.Course.KK != "Кәсіпкерлік" {
			t.Fatalf("open: %+v, %v", l, err)
		}
		answers := birge.FollowupAnswers{Employment: "employed", IncomeBand: "low", Helped: "partly", Comment: "Рахмет!"}
		if err := st.Trainings.AnswerFollowupLink(ctx, secret, birge.FollowupAnswers{Employment: "?"}); birge.AsError(err).Fields["employment"] == "" {
			t.Fatalf("a wrong answer: %v", err)
		}
		if err := st.Trainings.AnswerFollowupLink(ctx, secret, answers); err != nil {
			t.Fatalf("answer: %v", err)
		}
		fu, err := st.Trainings.Followup(ctx, fx.admin, fx.women[0].ID, 6)
		if err != nil || fu.Via != birge.FollowupViaLink || fu.RecordedBy != 0 || fu.Comment != "Рахмет!" || len(fu.Outcomes) != 1 {
			t.Errorf("recorded through the link: %+v, %v", fu, err)
		}
		if err := st.Trainings.AnswerFollowupLink(ctx, secret, answers); birge.AsError(err).Key != "followup.link_gone" {
			t.Errorf("answered twice: %v", err)
		}
		if _, err := st.Trainings.OpenFollowupLink(ctx, secret); birge.AsError(err).Key != "followup.link_gone" {
			t.Errorf("opened after use: %v", err)
		}
		if _, err := st.Trainings.OpenFollowupLink(ctx, "f_nothing"); birge.AsError(err).Key != "followup.link_gone" {
			t.Errorf("a made-up link: %v", err)
		}
		old, _, err := st.Trainings.CreateFollowupLink(ctx, fx.admin, fx.women[1].ID, 3, "ru")
		if err != nil {
			t.Fatal(err)
		}
		st.SetClock(func() time.Time { return followupDay.Add(30*24*time.Hour + time.Second) })
		if err := st.Trainings.AnswerFollowupLink(ctx, old, answers); birge.AsError(err).Key != "followup.link_gone" {
			t.Errorf("answered after 30 days: %v", err)
		}
	})
}

// TestFollowupTrainerSeesOwn: a trainer sees the follow-ups of the cohorts she trains,
// her women's safe-contact preferences with them, and records none; the list by trainer
// narrows it the same way for a manager.
func TestFollowupTrainerSeesOwn(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newFollowupFixture(t, st)
		list, err := st.Trainings.Followups(ctx, fx.trainer, store.FollowupFilter{})
		if err != nil || len(list) != 3 || strings.Contains(followupKeys(list), "Жанар") {
			t.Errorf("the trainer's: %s, %v", followupKeys(list), err)
		}
		mine, err := st.Trainings.Followups(ctx, fx.admin, store.FollowupFilter{TrainerID: fx.trainer.UserID})
		if err != nil || followupKeys(mine) != followupKeys(list) {
			t.Errorf("by trainer: %s, %v", followupKeys(mine), err)
		}
		if _, err := st.Trainings.Followup(ctx, fx.trainer, fx.women[2].ID, 2); birge.AsError(err).Kind != birge.KindNotFound {
			t.Errorf("another's cohort: %v", err)
		}
		if _, err := st.Trainings.RecordFollowup(ctx, fx.trainer, fx.women[0].ID, 3,
			birge.FollowupAnswers{Employment: "employed", Helped: "yes"}); birge.AsError(err).Kind != birge.KindForbidden {
			t.Errorf("a trainer records: %v", err)
		}
		if _, err := st.Trainings.Followups(ctx, fx.analyst, store.FollowupFilter{}); birge.AsError(err).Kind != birge.KindForbidden {
			t.Errorf("an analyst lists names: %v", err)
		}
		// Гүлнар may not be called: her contact says so.
		c, err := st.Trainings.FollowupContact(ctx, fx.admin, fx.women[1].PersonID)
		if err != nil || c.MayCall || len(c.Phones) != 1 {
			t.Errorf("contact: %+v, %v", c, err)
		}
	})
}

// TestFollowupNaughtyStrings: every naughty string as the business she started and in
// her words is kept exactly or refused by its field, never half written.
func TestFollowupNaughtyStrings(t *testing.T) {
	b, err := os.ReadFile("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	var naughty []string
	for _, line := range strings.Split(string(b), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			naughty = append(naughty, line)
		}
	}
	texts := map[string]bool{"field.invalid_chars": true, "field.invalid_utf8": true, "field.single_line": true,
		"field.required": true, "field.too_long": true}
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newFollowupFixture(t, st)
		// One enrolment per string would be slow: each string goes through the answers'
		// validation, and those it keeps are recorded once, then read back.
		kept := 0
		for _, v := range naughty {
			a := birge.FollowupAnswers{Employment: "self_employed", Business: true, BusinessKind: v, Helped: "yes", Comment: v}
			err := a.Validate()
			if err == nil {
				kept++
				continue
			}
			for field, key := range birge.AsError(err).Fields {
				if !texts[key] {
					t.Errorf("%q in %s: %s", v, field, key)
				}
			}
		}
		if kept < len(naughty)/2 {
			t.Errorf("only %d of %d kept", kept, len(naughty))
		}
		var sample []string
		for _, v := range naughty {
			a := birge.FollowupAnswers{Employment: "employed", Helped: "no", Comment: v}
			if a.Validate() == nil && strings.ContainsAny(v, "'\"<\\%") {
				sample = append(sample, v)
			}
		}
		for i, v := range sample[:min(3, len(sample))] {
			month := []int{3, 6}[i%2]
			e := fx.women[i/2]
			if _, err := st.Trainings.RecordFollowup(ctx, fx.admin, e.ID, month, birge.FollowupAnswers{Employment: "employed",
				Helped: "no", Comment: v}); err != nil {
				t.Fatalf("%q: %v", v, err)
			}
			got, err := st.Trainings.Followup(ctx, fx.admin, e.ID, month)
			if err != nil || got.Comment != v {
				t.Errorf("%q read back as %q, %v", v, got.Comment, err)
			}
		}
	})
}

func execSQL(t *testing.T, st *store.Store, query string) {
	t.Helper()
	if _, err := store.Exec(context.Background(), st, query); err != nil {
		t.Fatal(err)
	}
}

func countSQL(t *testing.T, st *store.Store, query string) int {
	t.Helper()
	n, err := store.QueryInt(context.Background(), st, query)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// nowSQL is a time literal both databases take for a timestamp column.
func nowSQL(st *store.Store) string {
	if st.Dialect() == "postgres" {
		return "now()"
	}
	return "'2027-09-01 00:00:00+00:00'"
}

// TestTrainingFiguresCountMarks: the figures count attendance from the counts each
// enrolment keeps, which follow every mark written, changed and deleted, whichever module
// writes them; completion counts the cohorts that ended; a trainer sees no figures.
func TestTrainingFiguresCountMarks(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newFollowupFixture(t, st)
		lessons, err := st.Trainings.AddTrainingSessions(ctx, fx.admin, fx.own.ID, []birge.TrainingSession{
			{StartsAt: time.Date(2027, 1, 12, 13, 0, 0, 0, time.UTC), EndsAt: time.Date(2027, 1, 12, 15, 0, 0, 0, time.UTC)},
			{StartsAt: time.Date(2027, 1, 19, 13, 0, 0, 0, time.UTC), EndsAt: time.Date(2027, 1, 19, 15, 0, 0, 0, time.UTC)}})
		if err != nil {
			t.Fatal(err)
		}
		mark := func(session int, e birge.Enrollment, m string) {
			execSQL(t, st, fmt.Sprintf(`INSERT INTO training_marks (session_id, enrollment_id, mark, marked_at, created_at, updated_at)
				VALUES (%d, %d, '%s', '2027-01-12 13:00:00+00:00', '2027-01-12 13:00:00+00:00', '2027-01-12 13:00:00+00:00')`,
				lessons[session].ID, e.ID, m))
		}
		mark(0, fx.women[0], "present")
		mark(0, fx.women[1], "absent")
		mark(1, fx.women[0], "late")
		mark(1, fx.women[1], "present")
		figures := func() store.TrainingFigures {
			t.Helper()
			f, err := st.Trainings.TrainingFigures(ctx, fx.admin, store.TrainingFiguresFilter{CenterID: fx.almaty.ID})
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		if f := figures(); f.Marks != 4 || *f.AttendanceRate != 75 || f.Enrolled != 3 || f.Completed != 3 || *f.CompletionRate != 100 {
			t.Errorf("figures: %+v", f)
		}
		execSQL(t, st, fmt.Sprintf(`UPDATE training_marks SET mark = 'present' WHERE enrollment_id = %d AND session_id = %d`,
			fx.women[1].ID, lessons[0].ID))
		execSQL(t, st, fmt.Sprintf(`DELETE FROM training_marks WHERE enrollment_id = %d AND session_id = %d`,
			fx.women[0].ID, lessons[1].ID))
		if f := figures(); f.Marks != 3 || *f.AttendanceRate != 100 {
			t.Errorf("after a change and a deletion: %d marks, %v %%", f.Marks, *f.AttendanceRate)
		}
		if f, err := st.Trainings.TrainingFigures(ctx, fx.admin, store.TrainingFiguresFilter{From: "2027-03-01"}); err != nil || f.Enrolled != 0 {
			t.Errorf("cohorts that ended after March: %+v, %v", f, err)
		}
		if _, err := st.Trainings.TrainingFigures(ctx, fx.trainer, store.TrainingFiguresFilter{}); birge.AsError(err).Kind != birge.KindForbidden {
			t.Errorf("a trainer's figures: %v", err)
		}
		if f, err := st.Trainings.TrainingFigures(ctx, fx.analyst, store.TrainingFiguresFilter{}); err != nil || f.Enrolled != 0 {
			t.Errorf("FPC's analyst counts Mama Pro's women: %+v, %v", f, err)
		}
	})
}

// TestTrainingFiguresHostileRegion: a region filter that is no region (a NUL byte, which
// PostgreSQL refuses to compare) is refused beside the field, never a failure.
func TestTrainingFiguresHostileRegion(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		fx := newFollowupFixture(t, st)
		_, err := st.Trainings.TrainingFigures(context.Background(), fx.admin, store.TrainingFiguresFilter{Region: "KZ\x00"})
		if e := birge.AsError(err); e == nil || e.Fields["region"] == "" {
			t.Errorf("figures of region NUL: %v, want refused beside region", err)
		}
		if _, err := st.Trainings.TrainingFigures(context.Background(), fx.admin, store.TrainingFiguresFilter{Region: "KZ75"}); err != nil {
			t.Errorf("figures of Almaty: %v", err)
		}
	})
}
