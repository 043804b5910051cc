package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/demo"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestLoadTrainingHistory: Mama Pro's year, run through the store as staff would. Every
// held session's register is marked, one mark for each woman still enrolled, at the
// session's time; the completion rule finds exactly 200 women completed, each on her
// cohort's last day, leaves one woman of each cohort short of it with the reason, and
// each of the 200 has a certificate issued that day whose code the public page
// verifies. The figures are the story's: 220 enrolments, 200 completed, an attendance
// rate between 85 % and 95 %, 52 women with work at six months from six regions. The
// store's clock is the one it had.
func TestLoadTrainingHistory(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		start := time.Now() // how long loading takes, for the log
		history, err := demo.LoadTrainingHistory(ctx, st)
		if err != nil || len(history) != 10 {
			t.Fatalf("history: %d cohorts, %v", len(history), err)
		}
		t.Logf("the trainings history in %v", time.Since(start).Round(time.Millisecond))
		if now := st.Now(); now.Before(testenv.Evening) || now.After(testenv.Evening.Add(time.Hour)) {
			t.Errorf("the store's clock was left at %v", now)
		}
		sys := birge.System("test")
		completed, marks := 0, 0
		for _, hc := range history {
			enrolled := 0
			for _, ts := range hc.Sessions {
				reg, err := st.Trainings.Register(ctx, sys, ts.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range reg.Lines {
					if r.Mark == "" {
						continue
					}
					marks++
					if r.MarkedAt == nil || r.MarkedAt.Before(ts.StartsAt) || r.MarkedAt.After(ts.EndsAt) {
						t.Errorf("session %d: %s marked at %v, outside %v–%v", ts.ID, r.Mark, r.MarkedAt, ts.StartsAt, ts.EndsAt)
					}
				}
			}
			for _, e := range hc.Enrollments {
				switch e.Status {
				case birge.EnrollmentCompleted:
					completed++
					if e.CompletedOn != hc.Cohort.EndsOn || e.Completion == nil || !e.Completion.Completed() {
						t.Errorf("completed on %q (cohort ends %s), %+v", e.CompletedOn, hc.Cohort.EndsOn, e.Completion)
					}
				case birge.EnrollmentEnrolled:
					enrolled++
					if e.CompletedOn != "" || e.Completion == nil || e.Completion.Completed() {
						t.Errorf("short of the rule: completed on %q, %+v", e.CompletedOn, e.Completion)
					}
				case birge.EnrollmentDropped:
					if e.Reason == "" {
						t.Errorf("dropped out with no reason")
					}
				}
			}
			if enrolled != 1 {
				t.Errorf("cohort %d: %d women short of the rule, want 1", hc.Cohort.ID, enrolled)
			}
			certs, err := st.Trainings.Certificates(ctx, sys, hc.Cohort.ID)
			if err != nil || len(certs) != 20 {
				t.Fatalf("cohort %d: %d certificates, %v; want 20", hc.Cohort.ID, len(certs), err)
			}
			for _, c := range certs {
				if c.IssuedOn != hc.Cohort.EndsOn || c.CompletedOn != hc.Cohort.EndsOn {
					t.Errorf("certificate issued on %s for %s, cohort ends %s", c.IssuedOn, c.CompletedOn, hc.Cohort.EndsOn)
				}
			}
			if got, err := st.Trainings.VerifyCertificate(ctx, "192.0.2.1", certs[0].Code); err != nil || got.ID != certs[0].ID {
				t.Errorf("verifying %s: %v", certs[0].Code, err)
			}
		}
		if completed != 200 {
			t.Errorf("%d completed, want 200", completed)
		}

		f, err := st.Trainings.TrainingFigures(ctx, sys, store.TrainingFiguresFilter{})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("figures: %+v, attendance %.1f %%", f, *f.AttendanceRate)
		if f.Enrolled != 220 || f.Completed != 200 || f.Working != 52 || f.Regions != 6 || f.Marks != marks {
			t.Errorf("figures: %+v; want 220 enrolled, 200 completed, 52 with work in 6 regions, %d marks", f, marks)
		}
		if f.AttendanceRate == nil || *f.AttendanceRate < 85 || *f.AttendanceRate > 95 {
			t.Errorf("attendance rate %v, want 85–95 %%", f.AttendanceRate)
		}
	})
}
