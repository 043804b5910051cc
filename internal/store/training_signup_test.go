package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// signupFixture is trainingFixture's cohort offered on the public site.
func signupFixture(t *testing.T, st *store.Store, capacity int) (*peopleFixture, birge.Cohort) {
	t.Helper()
	fx, h := trainingFixture(t, st, capacity)
	h.PublicSignup = true
	h, err := st.Trainings.UpdateCohort(context.Background(), fx.admin, h)
	if err != nil {
		t.Fatal(err)
	}
	return fx, h
}

func enrollmentsOf(t *testing.T, st *store.Store, a *birge.Actor, cohortID int64) map[int64]birge.Enrollment {
	t.Helper()
	list, err := st.Trainings.Enrollments(context.Background(), a, cohortID)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]birge.Enrollment{}
	for _, e := range list {
		out[e.PersonID] = e
	}
	return out
}

// TestSignupPendingLinkedAndWaiting: a sign-up is a pending enrolment that takes a
// place; a woman the registry knows by her phone and name (in another script) or by her
// identity number is linked to her record, and is told exactly what a newcomer is told,
// even when she signs up twice; a full cohort refuses her until she chooses to wait, and
// a waiting sign-up moves up to pending, for staff to confirm, when a place frees.
func TestSignupPendingLinkedAndWaiting(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h := signupFixture(t, st, 2)
		known := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, FamilyName: "Әбдірахманова",
			GivenName: "Жанар", Phones: []string{"+77011234567"}})
		byIIN := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, FamilyName: "Серікова",
			GivenName: "Дана", IIN: "921108401006"})
		before := countPeople(t, st)

		latin := birge.Signup{FamilyName: "Abdirakhmanova", GivenName: "Zhanar", Phone: "8 701 123 45 67", Childcare: true}
		got, err := st.Trainings.SignUp(ctx, "192.0.2.1", h.ID, latin, false)
		if err != nil || got.Status != birge.EnrollmentPending {
			t.Fatalf("known by phone: %+v, %v", got, err)
		}
		again, err := st.Trainings.SignUp(ctx, "192.0.2.1", h.ID, latin, false)
		if err != nil || again != got {
			t.Errorf("signing up twice is told %+v, %v; the first time %+v", again, err, got)
		}
		stranger, err := st.Trainings.SignUp(ctx, "192.0.2.2", h.ID, birge.Signup{FamilyName: "Жұмабаева",
			GivenName: "Ұлжан", Phone: "+77029876543"}, false)
		if err != nil || stranger != got {
			t.Errorf("a newcomer is told %+v, %v; one known %+v", stranger, err, got)
		}
		if n := countPeople(t, st); n != before+1 {
			t.Errorf("%d people registered, want 1 (the newcomer)", n-before)
		}
		list := enrollmentsOf(t, st, fx.admin, h.ID)
		e, ok := list[known.ID]
		if !ok || e.Status != birge.EnrollmentPending || e.Source != birge.SourceSignup || !e.Childcare || len(list) != 2 {
			t.Fatalf("enrolments: %+v", list)
		}

		// Full: she must choose the waiting list.
		full := birge.Signup{FamilyName: "Sericova", GivenName: "Dana", Phone: "+77025550000", IIN: "921108401006"}
		_, err = st.Trainings.SignUp(ctx, "192.0.2.3", h.ID, full, false)
		if birge.AsError(err).Fields["wait"] != "signup.full_wait" {
			t.Fatalf("full without waiting: %v", err)
		}
		full.Wait = true
		if got, err := st.Trainings.SignUp(ctx, "192.0.2.3", h.ID, full, false); err != nil || got.Status != birge.EnrollmentWaiting {
			t.Fatalf("full, waiting: %+v, %v", got, err)
		}
		if w := enrollmentsOf(t, st, fx.admin, h.ID)[byIIN.ID]; w.Status != birge.EnrollmentWaiting || w.Position != 1 {
			t.Fatalf("linked by her identity number to the waiting list: %+v", w)
		}

		// Staff confirm one and decline the other; the place goes to the one waiting,
		// as pending.
		e.Status = birge.EnrollmentEnrolled
		if e, err = st.Trainings.UpdateEnrollment(ctx, fx.admin, e); err != nil || e.Status != birge.EnrollmentEnrolled {
			t.Fatalf("confirm: %+v, %v", e, err)
		}
		other := enrollmentsOf(t, st, fx.admin, h.ID)
		for id, d := range other {
			if d.Status == birge.EnrollmentPending && id != known.ID {
				d.Status, d.Reason = birge.EnrollmentDropped, "Отказалась"
				moved, err := st.Trainings.UpdateEnrollment(ctx, fx.admin, d)
				if err != nil || len(moved.MovedUp) != 1 || moved.MovedUp[0].PersonID != byIIN.ID ||
					moved.MovedUp[0].Status != birge.EnrollmentPending {
					t.Fatalf("decline: %+v, %v", moved, err)
				}
			}
		}
		if got, err := st.People.Get(ctx, fx.admin, byIIN.ID); err != nil || got.GivenName != "Дана" || len(got.Phones) != 0 {
			t.Errorf("the record found was changed by the form: %+v, %v", got, err)
		}
		pending, err := st.Trainings.PendingSignups(ctx, fx.admin)
		if err != nil || pending[h.ID] != 1 {
			t.Errorf("pending sign-ups: %v, %v", pending, err)
		}
		if pending, err := st.Trainings.PendingSignups(ctx, fx.trainer); err != nil || len(pending) != 0 {
			t.Errorf("a trainer is counted pending sign-ups: %v, %v", pending, err)
		}
	})
}

// TestSignupEligibilityByWhatSheTyped: the cohort's rule is checked against the form
// alone, each part she fails by its field with its reason; what the registry holds about
// her neither refuses nor admits her.
func TestSignupEligibilityByWhatSheTyped(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h := signupFixture(t, st, 5)
		h.MinAge, h.MaxAge, h.RuralOnly, h.Regions = 18, 35, true, []string{"KZ75"}
		h, err := st.Trainings.UpdateCohort(ctx, fx.admin, h)
		if err != nil {
			t.Fatal(err)
		}
		// The registry says she is 70 and a city dweller; she types otherwise.
		old := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, FamilyName: "Ахметова", GivenName: "Салтанат",
			BirthDate: "1956-03-02", Phones: []string{"+77017770000"}})
		su := birge.Signup{FamilyName: "Ахметова", GivenName: "Салтанат", Phone: "+77017770000", BirthDate: "1960-01-01"}
		_, err = st.Trainings.SignUp(ctx, "192.0.2.1", h.ID, su, false)
		want := birge.Problems{"birth_date": "signup.too_old", "rural": "signup.not_rural", "region": "signup.not_in_region"}
		if e := birge.AsError(err); e == nil || fmt.Sprint(e.Fields) != fmt.Sprint(want) {
			t.Fatalf("not eligible: %v, want %v", err, want)
		}
		su.BirthDate, su.Rural, su.Region = "1995-05-05", true, "KZ75"
		if got, err := st.Trainings.SignUp(ctx, "192.0.2.1", h.ID, su, false); err != nil || got.Status != birge.EnrollmentPending {
			t.Fatalf("eligible by what she typed: %+v, %v", got, err)
		}
		if _, ok := enrollmentsOf(t, st, fx.admin, h.ID)[old.ID]; !ok {
			t.Errorf("she was not linked to her record")
		}
	})
}

// TestSignupOpenThrottleAndTrap: only cohorts offered and not yet closed are in the
// public catalogue and take sign-ups; an address past its free sign-ups waits, and a
// form a robot filled in is told what a woman is told and writes nothing.
func TestSignupOpenThrottleAndTrap(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h := signupFixture(t, st, 3)
		closed, err := st.Trainings.CreateCohort(ctx, fx.admin, testCohort(h.CourseID, fx.almaty.ID, 3))
		if err != nil {
			t.Fatal(err)
		}
		past := testCohort(h.CourseID, fx.almaty.ID, 3)
		past.PublicSignup, past.SignupUntil = true, "2026-12-31" // Almaty is on 1 January already
		if past, err = st.Trainings.CreateCohort(ctx, fx.admin, past); err != nil {
			t.Fatal(err)
		}
		// The demo's cohort is offered too, of another course.
		k, err := st.Trainings.PublicCourse(ctx, h.CourseID)
		if err != nil || len(k.Cohorts) != 1 || k.Cohorts[0].ID != h.ID || k.Cohorts[0].PlacesLeft != 3 ||
			k.Cohorts[0].SignupUntil != "2027-01-10" {
			t.Fatalf("public catalogue: %+v, %v", k, err)
		}
		all, err := st.Trainings.PublicCourses(ctx, h.OrgID)
		if err != nil || !slices.ContainsFunc(all, func(c birge.PublicCourse) bool { return c.ID == h.CourseID }) {
			t.Errorf("the organisation's catalogue: %+v, %v", all, err)
		}
		su := birge.Signup{FamilyName: "Жұмабаева", GivenName: "Ұлжан", Phone: "+77029876543"}
		for _, id := range []int64{closed.ID, past.ID, 999999} {
			if _, err := st.Trainings.SignUp(ctx, "192.0.2.9", id, su, false); !errors.Is(err, birge.ErrNotFound) {
				t.Errorf("cohort %d not open: %v", id, err)
			}
		}
		for i := 0; i < birge.FreeRequests; i++ {
			got, err := st.Trainings.SignUp(ctx, "192.0.2.7", h.ID, su, true)
			if err != nil || got.Status != birge.EnrollmentPending {
				t.Fatalf("the trap: %+v, %v", got, err)
			}
		}
		if len(enrollmentsOf(t, st, fx.admin, h.ID)) != 0 {
			t.Errorf("a robot's sign-up was written")
		}
		if _, err := st.Trainings.SignUp(ctx, "192.0.2.7", h.ID, su, false); birge.KindOf(err) != birge.KindTooMany {
			t.Errorf("past the free sign-ups: %v", err)
		}
		if _, err := st.Trainings.SignUp(ctx, "192.0.2.8", h.ID, su, false); err != nil {
			t.Errorf("another address: %v", err)
		}
	})
}

// TestSignupNaughtyStrings: every naughty string in her name and in what she asks for
// is kept exactly or refused by its field, never a failure.
func TestSignupNaughtyStrings(t *testing.T) {
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
		fx, h := signupFixture(t, st, 3)
		stored := map[string]bool{}
		for i, v := range naughty {
			// A distinct phone each, so that no two link to one record.
			su := birge.Signup{FamilyName: v, GivenName: v, Patronymic: v, Accommodation: v,
				Phone: fmt.Sprintf("+7701%07d", i), IIN: v, BirthDate: v, Region: v, Wait: true}
			if _, err := st.Trainings.SignUp(ctx, fmt.Sprintf("10.%d.%d.9", i/250, i%250), h.ID, su, false); err == nil {
				stored[v] = true
				continue
			} else if e := birge.AsError(err); e == nil || e.Kind != birge.KindInvalid {
				t.Fatalf("%q: %v", v, err)
			}
			// Alone in the text fields, it is stored or refused as a text.
			su = birge.Signup{FamilyName: v, GivenName: v, Patronymic: v, Accommodation: v, Phone: fmt.Sprintf("+7701%07d", i), Wait: true}
			_, err := st.Trainings.SignUp(ctx, fmt.Sprintf("10.%d.%d.10", i/250, i%250), h.ID, su, false)
			if err == nil {
				stored[v] = true
				continue
			}
			e := birge.AsError(err)
			if e == nil || e.Kind != birge.KindInvalid {
				t.Fatalf("%q: %v", v, err)
			}
			for field, key := range e.Fields {
				if !texts[key] {
					t.Errorf("%q in %s: %s", v, field, key)
				}
			}
		}
		for _, e := range enrollmentsOf(t, st, fx.admin, h.ID) {
			p, err := st.People.Get(ctx, fx.admin, e.PersonID)
			if err != nil || !stored[e.Accommodation] || p.GivenName != e.Accommodation || p.FamilyName != e.Accommodation {
				t.Errorf("kept differently: %q, %q, %v", e.Accommodation, p.GivenName, err)
			}
		}
		if len(stored) < len(naughty)/2 {
			t.Errorf("only %d of %d strings stored", len(stored), len(naughty))
		}
	})
}

// TestEnrollmentImport: a list's rows are linked to the registry or registered and
// enrolled, each whole or not at all: a bad row, one who does not meet the rule, one
// enrolled already are reported with their reason and leave nothing behind; the
// cohort full, the rest wait in the file's order.
func TestEnrollmentImport(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx, h := trainingFixture(t, st, 2)
		h.MaxAge = 40
		h, err := st.Trainings.UpdateCohort(ctx, fx.admin, h)
		if err != nil {
			t.Fatal(err)
		}
		known := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, FamilyName: "Серікова",
			GivenName: "Дана", IIN: "921108401006"})
		before := countPeople(t, st)
		row := func(line int, p birge.Person) birge.ImportRow {
			return birge.ImportRow{Line: line, Person: p, Problems: birge.Problems{}}
		}
		rows := []birge.ImportRow{
			row(2, birge.Person{FamilyName: "Sericova", GivenName: "Dana", IIN: "921108401006"}),
			row(3, birge.Person{FamilyName: "Жұмабаева", BirthDate: "1990-01-01"}),                       // no given name
			row(4, birge.Person{FamilyName: "Ахметова", GivenName: "Салтанат", BirthDate: "1956-03-02"}), // too old
			row(5, birge.Person{FamilyName: "Серікова", GivenName: "Дана", IIN: "921108401006"}),         // twice
			row(6, birge.Person{FamilyName: "Омарова", GivenName: "Әсел", BirthDate: "1995-02-03"}),
			row(7, birge.Person{FamilyName: "Нұрланова", GivenName: "Айым", BirthDate: "1996-02-03"}),
			row(8, birge.Person{FamilyName: "Қасымова", GivenName: "Мөлдір", BirthDate: "1997-02-03"}),
		}
		rows[1].Problems = birge.Problems{}
		if _, err := st.Trainings.ImportEnrollments(ctx, fx.trainer, h.ID, 0, rows); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("a trainer imports a list: %v", err)
		}
		got, err := st.Trainings.ImportEnrollments(ctx, fx.admin, h.ID, 0, rows)
		if err != nil {
			t.Fatal(err)
		}
		want := []struct {
			status, problem string
		}{{"enrolled", ""}, {"failed", "given_name"}, {"failed", "max_age"}, {"failed", "row"}, {"enrolled", ""},
			{"waiting", ""}, {"waiting", ""}}
		for i, w := range want {
			if got[i].Line != rows[i].Line || got[i].Status != w.status || (w.problem != "" && got[i].Problems[w.problem] == "") {
				t.Errorf("row %d: %+v, want %s %s", rows[i].Line, got[i], w.status, w.problem)
			}
		}
		if got[0].PersonID != known.ID || got[0].Registered || !got[4].Registered || got[3].Problems["row"] != "training.enrolled_twice" {
			t.Errorf("linked: %+v, %+v, %+v", got[0], got[3], got[4])
		}
		if n := countPeople(t, st); n != before+3 {
			t.Errorf("%d registered, want 3: a failed row registers no one", n-before)
		}
		list := enrollmentsOf(t, st, fx.admin, h.ID)
		if e := list[got[6].PersonID]; e.Status != "waiting" || e.Position != 2 || e.Source != birge.SourceImport {
			t.Errorf("the last row: %+v", e)
		}
		tooMany := make([]birge.ImportRow, store.MaxCohortImportRows+1)
		if _, err := st.Trainings.ImportEnrollments(ctx, fx.admin, h.ID, 0, tooMany); birge.AsError(err).Fields["file"] == "" {
			t.Errorf("too many rows: %v", err)
		}
	})
}
