package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// BenchmarkTrainingFiguresAtSize measures the budget of issue 12 on generated data: a
// programme's 4,000 cohorts of 25 women (100,000 enrolments), 20 sessions each with every
// woman marked (2,000,000 marks, nine in ten present or late), 10,000 six-month follow-ups
// and 3,000 of them with an outcome. Budget: the programme's figures ≤ 300 ms.
//
//	go test ./internal/store -run - -bench TrainingFiguresAtSize -benchtime 20x
func BenchmarkTrainingFiguresAtSize(b *testing.B) {
	for _, db := range testenv.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			st := testenv.Open(b, db)
			fx := newPeopleFixture(b, st)
			ctx := context.Background()
			program, err := st.Programs.Create(ctx, fx.admin, birge.Program{OrgID: fx.almaty.OrgID, Names: birge.Names{KK: "Дағдылар",
				RU: "Навыки", KY: "Көндүмдөр", EN: "Skills"}, Kind: "training", Status: "active", StartsOn: "2024-01-01"})
			if err != nil {
				b.Fatal(err)
			}
			course := testCourse(fx.almaty.OrgID)
			course.ProgramID = program.ID
			k, err := st.Trainings.CreateCourse(ctx, fx.admin, course)
			if err != nil {
				b.Fatal(err)
			}
			generateTrainings(b, st, fx, k.ID, 4_000, 25, 20)
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				f, err := st.Trainings.TrainingFigures(ctx, fx.admin, store.TrainingFiguresFilter{ProgramID: program.ID})
				took = append(took, time.Since(start))
				if err != nil || f.Enrolled != 100_000 || f.Marks != 2_000_000 || f.Working == 0 || f.Regions != 6 {
					b.Fatalf("%+v, %v", f, err)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "ms-p95")
		})
	}
}

// generateTrainings writes cohorts of a course with their women, sessions, marks and
// follow-ups straight into the tables, in bulk.
func generateTrainings(b testing.TB, st *store.Store, fx *peopleFixture, course int64, cohorts, women, sessions int) {
	b.Helper()
	ctx := context.Background()
	at := time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)
	base := func(table string) int64 {
		n, err := store.QueryInt(ctx, st, `SELECT COALESCE(MAX(id), 0) FROM `+table)
		if err != nil {
			b.Fatal(err)
		}
		return int64(n)
	}
	cohort0, enrol0, session0, followup0, outcome0 := base("cohorts"), base("enrollments"), base("training_sessions"),
		base("training_followups"), base("outcomes")
	// The women: one for every five enrolments, in six regions.
	people0, nPeople := base("people"), cohorts*women/5
	regions := []string{"KZ75", "KZ71", "KZ19", "KZ11", "KZ15", "KZ31"}
	var peopleRows [][]any
	for i := range nPeople {
		peopleRows = append(peopleRows, []any{people0 + int64(i) + 1, fx.almaty.OrgID, fx.almaty.ID, "Әйел", []byte{byte(i)},
			regions[i%len(regions)], at, at})
		if len(peopleRows) == 10_000 || i == nPeople-1 {
			if err := store.BulkInsert(ctx, st, "people", []string{"id", "org_id", "center_id", "given_name", "sort_key",
				"region", "created_at", "updated_at"}, peopleRows); err != nil {
				b.Fatal(err)
			}
			peopleRows = nil
		}
	}
	personOf := func(e int) int64 { return people0 + int64(e%nPeople) + 1 }
	marks := []string{"present", "present", "present", "present", "present", "present", "present", "present", "late", "absent"}
	const batch = 200 // cohorts at a time: 5,000 enrolments and 100,000 marks
	nf, no := int64(0), int64(0)
	for done := 0; done < cohorts; done += batch {
		var cohortRows, enrolRows, sessionRows, markRows, followRows, outcomeRows [][]any
		for i := done; i < min(cohorts, done+batch); i++ {
			h := cohort0 + int64(i) + 1
			cohortRows = append(cohortRows, []any{h, fx.almaty.OrgID, course, fx.almaty.ID, "kk", women, "2025-04-01",
				"2025-06-01", at, at})
			for s := range sessions {
				sessionRows = append(sessionRows, []any{session0 + int64(i*sessions+s) + 1, h, at, at.Add(time.Hour), at, at})
			}
			for j := range women {
				e := enrol0 + int64(i*women+j) + 1
				status := birge.EnrollmentCompleted
				if j%10 == 9 {
					status = birge.EnrollmentDropped
				}
				enrolRows = append(enrolRows, []any{e, h, personOf(i*women + j), status, at, at})
				for s := range sessions {
					markRows = append(markRows, []any{session0 + int64(i*sessions+s) + 1, e, marks[(j+s)%len(marks)], at, at, at})
				}
				if j%10 == 0 {
					nf++
					f := followup0 + nf
					followRows = append(followRows, []any{f, e, 6, "2025-12-01", "employed", "yes", "call", "2025-12-03", at})
					if nf%10 < 3 {
						no++
						outcomeRows = append(outcomeRows, []any{outcome0 + no, fx.almaty.OrgID, fx.almaty.ID, personOf(i*women + j), "2025-12-03",
							"employed", birge.SourceFollowup, f, at, at})
					}
				}
			}
		}
		for _, t := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"cohorts", []string{"id", "org_id", "course_id", "center_id", "language", "capacity", "starts_on", "ends_on",
				"created_at", "updated_at"}, cohortRows},
			{"training_sessions", []string{"id", "cohort_id", "starts_at", "ends_at", "created_at", "updated_at"}, sessionRows},
			{"enrollments", []string{"id", "cohort_id", "person_id", "status", "created_at", "updated_at"}, enrolRows},
			{"training_marks", []string{"session_id", "enrollment_id", "mark", "marked_at", "created_at", "updated_at"}, markRows},
			{"training_followups", []string{"id", "enrollment_id", "months", "due_on", "employment", "helped", "via",
				"recorded_on", "created_at"}, followRows},
			{"outcomes", []string{"id", "org_id", "center_id", "person_id", "date", "kind", "source", "source_id",
				"created_at", "updated_at"}, outcomeRows},
		} {
			if len(t.rows) == 0 {
				continue
			}
			if err := store.BulkInsert(ctx, st, t.table, t.cols, t.rows); err != nil {
				b.Fatal(err)
			}
		}
	}
	if st.Dialect() == "postgres" {
		for _, q := range []string{`SELECT setval('cohorts_id_seq', (SELECT MAX(id) FROM cohorts))`,
			`SELECT setval('enrollments_id_seq', (SELECT MAX(id) FROM enrollments))`,
			`SELECT setval('people_id_seq', (SELECT MAX(id) FROM people))`, `VACUUM ANALYZE`} {
			if _, err := store.Exec(ctx, st, q); err != nil {
				b.Fatal(err)
			}
		}
	} else {
		// As the server's checkpoints would, the write-ahead log goes into the database.
		for _, q := range []string{`ANALYZE`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
			if _, err := store.Exec(ctx, st, q); err != nil {
				b.Fatal(err)
			}
		}
	}
}
