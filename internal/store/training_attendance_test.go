package store_test

import (
	"context"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// attendanceFixture is a cohort of Mama Pro Almaty from 1 December to 15 January, trained
// by the demo's trainer, with five past sessions of two hours (Thursdays of December at
// 10:00 in Almaty) and the women enrolled in it.
type attendanceFixture struct {
	*peopleFixture
	cohort   birge.Cohort
	sessions []birge.TrainingSession
	women    []birge.Enrollment
}

func newAttendanceFixture(t *testing.T, st *store.Store, names ...string) *attendanceFixture {
	t.Helper()
	ctx := context.Background()
	fx := newPeopleFixture(t, st)
	course, err := st.Trainings.CreateCourse(ctx, fx.admin, testCourse(fx.almaty.OrgID))
	if err != nil {
		t.Fatal(err)
	}
	h := testCohort(course.ID, fx.almaty.ID, 30, fx.trainer.UserID)
	h.StartsOn, h.EndsOn = "2026-12-01", "2027-01-15"
	if h, err = st.Trainings.CreateCohort(ctx, fx.admin, h); err != nil {
		t.Fatal(err)
	}
	var list []birge.TrainingSession
	for _, day := range []int{3, 10, 17, 24, 31} {
		start := time.Date(2026, 12, day, 5, 0, 0, 0, time.UTC)
		list = append(list, birge.TrainingSession{StartsAt: start, EndsAt: start.Add(2 * time.Hour)})
	}
	sessions, err := st.Trainings.AddTrainingSessions(ctx, fx.admin, h.ID, list)
	if err != nil {
		t.Fatal(err)
	}
	ax := &attendanceFixture{peopleFixture: fx, cohort: h, sessions: sessions}
	for _, name := range names {
		her := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: name, FamilyName: "Асанова"})
		e, err := st.Trainings.Enroll(ctx, fx.admin, h.ID, birge.Enrollment{PersonID: her.ID})
		if err != nil {
			t.Fatal(err)
		}
		ax.women = append(ax.women, e)
	}
	return ax
}

// tap is an instant of a session's day: 10:mm in Almaty.
func tap(x birge.TrainingSession, minute int) time.Time {
	return x.StartsAt.Add(time.Duration(minute) * time.Minute)
}

func trainingDeliveries(t *testing.T, st *store.Store, sessionID int64) int {
	t.Helper()
	n, err := store.QueryInt(context.Background(), st, `SELECT COUNT(*) FROM deliveries WHERE source = 'training'
		AND source_id = ?`, sessionID)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func markOf(reg birge.TrainingRegister, personID int64) birge.RegisterLine {
	for _, l := range reg.Lines {
		if l.PersonID == personID {
			return l
		}
	}
	return birge.RegisterLine{}
}

// TestAttendanceMarksWriteDeliveries: a present or late mark writes her delivery (two
// hours of training, her centre, the session's day) in the same change, an absence
// removes it; the same marks again change nothing; an older mark is not written and comes
// back as a disagreement; bad marks are refused by their field with nothing written; a
// trainer of another cohort finds no session.
func TestAttendanceMarksWriteDeliveries(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newAttendanceFixture(t, st, "Айгерім", "Дана", "Жанар")
		x := fx.sessions[0]
		a, b, c := fx.women[0].PersonID, fx.women[1].PersonID, fx.women[2].PersonID
		reg, err := st.Trainings.PutMarks(ctx, fx.trainer, x.ID, []birge.TrainingMark{
			{PersonID: a, Mark: "present", MarkedAt: tap(x, 2)},
			{PersonID: b, Mark: "late", Reason: "Автобус", MarkedAt: tap(x, 2)},
			{PersonID: c, Mark: "absent", Reason: "Баласы ауырып қалды", MarkedAt: tap(x, 2)}})
		if err != nil {
			t.Fatal(err)
		}
		if len(reg.Lines) != 3 || len(reg.Conflicts) != 0 || markOf(reg, c).Reason != "Баласы ауырып қалды" ||
			markOf(reg, a).MarkedBy == "" || !markOf(reg, a).MarkedAt.Equal(tap(x, 2)) {
			t.Fatalf("register: %+v", reg)
		}
		if n := trainingDeliveries(t, st, x.ID); n != 2 {
			t.Errorf("%d deliveries, want 2 (present and late)", n)
		}
		ds, err := st.Deliveries.List(ctx, fx.admin, store.DeliveryFilter{PersonID: a})
		if err != nil || len(ds) != 1 {
			t.Fatalf("her deliveries: %+v, %v", ds, err)
		}
		if d := ds[0]; d.Kind != "training_session" || d.Quantity != 2 || d.Unit != "hours" || d.Date != "2026-12-03" ||
			d.Time != "10:00" || d.CenterID != fx.almaty.ID || d.Source != store.SourceTraining || d.SourceID != x.ID {
			t.Errorf("her delivery: %+v", d)
		}
		// Absent now: her delivery goes.
		if _, err := st.Trainings.PutMarks(ctx, fx.trainer, x.ID, []birge.TrainingMark{
			{PersonID: a, Mark: "absent", MarkedAt: tap(x, 30)}}); err != nil {
			t.Fatal(err)
		}
		if n := trainingDeliveries(t, st, x.ID); n != 1 {
			t.Errorf("%d deliveries after an absence, want 1", n)
		}
		// The same again writes nothing.
		before, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'training_mark'`)
		again, err := st.Trainings.PutMarks(ctx, fx.trainer, x.ID, []birge.TrainingMark{
			{PersonID: a, Mark: "absent", MarkedAt: tap(x, 30)}})
		after, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'training_mark'`)
		if err != nil || len(again.Conflicts) != 0 || before != after || before != 4 {
			t.Errorf("the same marks again: %+v, %v; %d entries then %d", again.Conflicts, err, before, after)
		}
		// An older mark, different, is a disagreement: not written, named.
		old, err := st.Trainings.PutMarks(ctx, fx.admin, x.ID, []birge.TrainingMark{
			{PersonID: a, Mark: "present", MarkedAt: tap(x, 5)}})
		if err != nil || len(old.Conflicts) != 1 || markOf(old, a).Mark != "absent" {
			t.Fatalf("an older mark: %+v, %v", old, err)
		}
		if cf := old.Conflicts[0]; cf.Sent != "present" || cf.Kept != "absent" || !cf.KeptAt.Equal(tap(x, 30)) ||
			cf.KeptBy != markOf(old, a).MarkedBy || cf.PersonName == "" {
			t.Errorf("conflict: %+v", cf)
		}
		// Refused by their fields, nothing written.
		outsider := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Бөтен"})
		_, err = st.Trainings.PutMarks(ctx, fx.trainer, x.ID, []birge.TrainingMark{
			{PersonID: b, Mark: "absent", MarkedAt: tap(x, 40)},
			{PersonID: c, Mark: "present", MarkedAt: testenv.Evening.Add(time.Hour)},
			{PersonID: outsider.ID, Mark: "present", MarkedAt: tap(x, 40)},
			{PersonID: b, Mark: "maybe", MarkedAt: tap(x, 40)}})
		e := birge.AsError(err)
		if e.Kind != birge.KindInvalid || e.Fields["marks[1].marked_at"] != "training.marked_ahead" ||
			e.Fields["marks[2].person_id"] != "training.not_enrolled" || e.Fields["marks[3].mark"] != "field.choose" ||
			e.Fields["marks[3].person_id"] != "training.marked_twice" || e.Fields["marks[0].person_id"] != "" {
			t.Errorf("bad marks: %v %+v", err, e.Fields)
		}
		if reg, _ := st.Trainings.Register(ctx, fx.trainer, x.ID); markOf(reg, b).Mark != "late" {
			t.Errorf("half applied: %+v", markOf(reg, b))
		}
		// A session still to come takes no marks.
		ahead, err := st.Trainings.AddTrainingSessions(ctx, fx.admin, fx.cohort.ID, []birge.TrainingSession{
			{StartsAt: time.Date(2027, 1, 5, 5, 0, 0, 0, time.UTC), EndsAt: time.Date(2027, 1, 5, 6, 30, 0, 0, time.UTC)}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Trainings.PutMarks(ctx, fx.trainer, ahead[0].ID, []birge.TrainingMark{
			{PersonID: a, Mark: "present", MarkedAt: testenv.Evening}}); birge.AsError(err).Key != "training.session_ahead" {
			t.Errorf("a session to come: %v", err)
		}
		// A session held keeps its register.
		if err := st.Trainings.DeleteTrainingSession(ctx, fx.admin, x.ID); birge.AsError(err).Key != "training.session_marked" {
			t.Errorf("deleting a marked session: %v", err)
		}
		moved := x
		moved.StartsAt, moved.EndsAt = x.StartsAt.Add(time.Hour), x.EndsAt.Add(time.Hour)
		if _, err := st.Trainings.UpdateTrainingSession(ctx, fx.admin, moved); birge.AsError(err).Key != "training.session_marked" {
			t.Errorf("moving a marked session: %v", err)
		}
		// Another's cohort: not found to the trainer, for reading and marking.
		other, err := st.Trainings.CreateCohort(ctx, fx.admin, testCohort(fx.cohort.CourseID, fx.almaty.ID, 5))
		if err != nil {
			t.Fatal(err)
		}
		l, err := st.Trainings.AddTrainingSessions(ctx, fx.admin, other.ID, []birge.TrainingSession{{StartsAt: x.StartsAt, EndsAt: x.EndsAt}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Trainings.Register(ctx, fx.trainer, l[0].ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("another's register: %v", err)
		}
		if _, err := st.Trainings.PutMarks(ctx, fx.trainer, l[0].ID, nil); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("marking another's session: %v", err)
		}
		// Her dossier has her marks, with the reasons.
		if d, err := st.People.Dossier(ctx, fx.admin, c); err != nil || len(d.Marks) != 1 || d.Marks[0].Reason != "Баласы ауырып қалды" {
			t.Errorf("dossier: %+v, %v", d.Marks, err)
		}
		// Her anonymisation erases why she was absent.
		if err := st.People.Anonymise(ctx, fx.admin, c); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM training_marks WHERE reason <> ''`); n != 1 {
			t.Errorf("%d reasons kept after her anonymisation, want 1 (the late one's)", n)
		}
	})
}

// TestAttendanceSyncOrder: two phones' marks of the same register, synced in either
// order, end in the same register, with the same deliveries; the later sync of older
// marks is told what was kept.
func TestAttendanceSyncOrder(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newAttendanceFixture(t, st, "Айгерім", "Дана", "Жанар")
		a, b, c := fx.women[0].PersonID, fx.women[1].PersonID, fx.women[2].PersonID
		phone1 := func(x birge.TrainingSession) []birge.TrainingMark {
			return []birge.TrainingMark{{PersonID: a, Mark: "present", MarkedAt: tap(x, 0)},
				{PersonID: b, Mark: "absent", Reason: "Ауырып қалды", MarkedAt: tap(x, 2)},
				{PersonID: c, Mark: "present", MarkedAt: tap(x, 0)}}
		}
		phone2 := func(x birge.TrainingSession) []birge.TrainingMark {
			return []birge.TrainingMark{{PersonID: b, Mark: "present", MarkedAt: tap(x, 5)},
				{PersonID: c, Mark: "late", MarkedAt: tap(x, 1)}}
		}
		x, y := fx.sessions[0], fx.sessions[1]
		// x: the first phone syncs first; y: the second does.
		for _, sync := range []struct {
			x     birge.TrainingSession
			actor *birge.Actor
			marks func(birge.TrainingSession) []birge.TrainingMark
			want  int // conflicts
		}{{x, fx.trainer, phone1, 0}, {x, fx.admin, phone2, 0}, {y, fx.admin, phone2, 0}, {y, fx.trainer, phone1, 2}} {
			reg, err := st.Trainings.PutMarks(ctx, sync.actor, sync.x.ID, sync.marks(sync.x))
			if err != nil || len(reg.Conflicts) != sync.want {
				t.Fatalf("sync of %d: %+v, %v", sync.x.ID, reg.Conflicts, err)
			}
		}
		rx, _ := st.Trainings.Register(ctx, fx.trainer, x.ID)
		ry, _ := st.Trainings.Register(ctx, fx.trainer, y.ID)
		shape := func(reg birge.TrainingRegister, x birge.TrainingSession) []string {
			var out []string
			for _, l := range reg.Lines {
				out = append(out, l.PersonName+" "+l.Mark+" "+l.Reason+" "+l.MarkedBy+" "+l.MarkedAt.Sub(x.StartsAt).String())
			}
			return out
		}
		if sx, sy := shape(rx, x), shape(ry, y); !reflect.DeepEqual(sx, sy) {
			t.Errorf("the orders differ:\n%q\n%q", sx, sy)
		}
		if markOf(rx, b).Mark != "present" || markOf(rx, c).Mark != "late" || markOf(rx, b).Reason != "" {
			t.Errorf("kept: %+v", rx.Lines)
		}
		if dx, dy := trainingDeliveries(t, st, x.ID), trainingDeliveries(t, st, y.ID); dx != 3 || dy != 3 {
			t.Errorf("deliveries %d and %d, want 3 each", dx, dy)
		}
	})
}

// TestCompletionRule: after the last day, each woman is completed when her attendance
// reaches the course's share and her project passed, else stays enrolled with why;
// applying it again after a correction moves her either way; before the last day, or by
// a trainer, it is refused.
func TestCompletionRule(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newAttendanceFixture(t, st, "Айгерім", "Дана", "Жанар")
		attends := []int{5, 4, 3} // of the five sessions
		for _, x := range fx.sessions {
			var marks []birge.TrainingMark
			for i, e := range fx.women {
				mark := "absent"
				if attends[i] > 0 {
					mark, attends[i] = "present", attends[i]-1
				}
				marks = append(marks, birge.TrainingMark{PersonID: e.PersonID, Mark: mark, MarkedAt: tap(x, 1)})
			}
			if _, err := st.Trainings.PutMarks(ctx, fx.trainer, x.ID, marks); err != nil {
				t.Fatal(err)
			}
		}
		// Her project, marked by her trainer.
		project := func(e birge.Enrollment) {
			e, err := st.Trainings.Enrollment(ctx, fx.trainer, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			e.ProjectPassed = true
			if _, err := st.Trainings.UpdateEnrollment(ctx, fx.trainer, e); err != nil {
				t.Fatal(err)
			}
		}
		project(fx.women[0])
		project(fx.women[2])
		// The trainer changes nothing else.
		e, _ := st.Trainings.Enrollment(ctx, fx.trainer, fx.women[1].ID)
		e.Status, e.Reason = "dropped", "Кетті"
		if _, err := st.Trainings.UpdateEnrollment(ctx, fx.trainer, e); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("a trainer dropping a woman: %v", err)
		}
		if _, err := st.Trainings.Complete(ctx, fx.admin, fx.cohort.ID); birge.AsError(err).Key != "training.not_ended" {
			t.Fatalf("before the last day: %v", err)
		}
		st.SetClock(testenv.ClockFrom(time.Date(2027, 1, 16, 6, 0, 0, 0, time.UTC)))
		if _, err := st.Trainings.Complete(ctx, fx.trainer, fx.cohort.ID); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("a trainer applying the rule: %v", err)
		}
		check := func(want map[int64]string) {
			t.Helper()
			list, err := st.Trainings.Complete(ctx, fx.admin, fx.cohort.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range list {
				got := e.Status
				if e.Completion != nil {
					got += " " + strings.Join(e.Completion.Reasons, ",")
				}
				if e.Status == "completed" && e.CompletedOn != "2027-01-16" || e.Status != "completed" && e.CompletedOn != "" {
					t.Errorf("%s completed on %q", e.PersonName, e.CompletedOn)
				}
				if got != want[e.ID] {
					t.Errorf("%s: %q, want %q (%+v)", e.PersonName, got, want[e.ID], e.Completion)
				}
			}
		}
		check(map[int64]string{fx.women[0].ID: "completed ", fx.women[1].ID: "enrolled project",
			fx.women[2].ID: "enrolled attendance"})
		list, _ := st.Trainings.Enrollments(ctx, fx.admin, fx.cohort.ID)
		for _, e := range list {
			if e.ID == fx.women[2].ID && (e.Completion.Held != 5 || e.Completion.Attended != 3 || birge.Percent(e.Completion.Share()) != 60) {
				t.Errorf("her note: %+v", e.Completion)
			}
		}
		// Corrections: Dana's project passed; two of Aigerim's sessions were absences.
		project(fx.women[1])
		for _, x := range fx.sessions[:2] {
			if _, err := st.Trainings.PutMarks(ctx, fx.admin, x.ID, []birge.TrainingMark{
				{PersonID: fx.women[0].PersonID, Mark: "absent", MarkedAt: tap(x, 90)}}); err != nil {
				t.Fatal(err)
			}
		}
		check(map[int64]string{fx.women[0].ID: "enrolled attendance", fx.women[1].ID: "completed ",
			fx.women[2].ID: "enrolled attendance"})
	})
}

// TestAttendanceReasonNaughtyStrings: every naughty string as the reason of an absence is
// kept exactly or refused by its field.
func TestAttendanceReasonNaughtyStrings(t *testing.T) {
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
	texts := map[string]bool{"field.invalid_chars": true, "field.invalid_utf8": true, "field.too_long": true}
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newAttendanceFixture(t, st, "Айгерім")
		x, her := fx.sessions[0], fx.women[0].PersonID
		for i, v := range naughty {
			reg, err := st.Trainings.PutMarks(ctx, fx.trainer, x.ID, []birge.TrainingMark{
				{PersonID: her, Mark: "absent", Reason: v, MarkedAt: tap(x, 0).Add(time.Duration(i) * time.Millisecond)}})
			if err != nil {
				if e := birge.AsError(err); e.Kind != birge.KindInvalid || len(e.Fields) != 1 || !texts[e.Fields["marks[0].reason"]] {
					t.Errorf("%q: %v %+v", v, err, e.Fields)
				}
				continue
			}
			if got := markOf(reg, her).Reason; got != v {
				t.Errorf("%q kept as %q", v, got)
			}
		}
	})
}
