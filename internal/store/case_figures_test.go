package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestCaseFigures is the test of the centre's figures: 164 families over four
// months, 83 of whom withdrew their divorce application, is 50.6 %; when 10 of the 83 had
// been screened above none, the share of success drops to 44.5 % (73 of 164). Families
// taken in outside the period or at another office do not count; sessions count by
// type when the family came; the wait is the median of days to the first session came
// to, in the centre's time zone. Analysts see the figures; a case worker does not.
func TestCaseFigures(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her, _ := fx.couple(t, fx.coord, fx.aktobe.ID)
		kargalyWoman := fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, GivenName: "Сауле", FamilyName: "Омарова"})
		open := func(center, person int64, day string, worker int64) birge.Case {
			t.Helper()
			k, err := st.Cases.Create(ctx, fx.admin, birge.Case{CenterID: center, PartnerIDs: []int64{person}, IntakeDate: day,
				Reasons: []string{"communication"}, CameFrom: "court", DivorceFiled: true, PsychologistID: worker})
			if err != nil {
				t.Fatal(err)
			}
			return k
		}
		// May to August: the demo's own families came later.
		start := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		var families []birge.Case
		for i := range 164 {
			var worker int64
			if i >= 100 && i < 105 {
				worker = fx.coord.UserID
			}
			families = append(families, open(fx.aktobe.ID, her.ID, start.AddDate(0, 0, i*120/164).Format(time.DateOnly), worker))
		}
		open(fx.aktobe.ID, her.ID, "2026-04-30", 0) // before the period
		open(fx.kargaly.ID, kargalyWoman.ID, "2026-06-01", 0)
		closeAs := func(k birge.Case, outcome string) {
			t.Helper()
			if _, err := st.Cases.CloseWithOutcome(ctx, fx.admin, k.ID, birge.CaseClosing{Outcome: outcome, ClosedOn: "2026-12-30"}); err != nil {
				t.Fatal(err)
			}
		}
		for i, k := range families {
			switch {
			case i < 83:
				closeAs(k, birge.CaseReconciledWithdrawn)
			case i < 103:
				closeAs(k, birge.CaseStoppedComing)
			}
		}
		// Sessions, as the sessions module writes them: a no-show before the first
		// attended session does not end the wait; an evening session in Aktobe is the
		// next day there.
		session := func(k birge.Case, typ, attendance string, at time.Time) {
			t.Helper()
			if _, err := store.ExecArgs(ctx, st, `INSERT INTO case_sessions (case_id, org_id, center_id, type, worker_id, room,
				starts_at, ends_at, attendance, created_at, updated_at) VALUES (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)`, k.ID, k.OrgID,
				k.CenterID, typ, fx.coord.UserID, at, at.Add(time.Hour), attendance, at, at); err != nil {
				t.Fatal(err)
			}
		}
		day := func(iso string, hourUTC int) time.Time {
			d, _ := time.Parse(time.DateOnly, iso)
			return d.Add(time.Duration(hourUTC) * time.Hour)
		}
		a, b, c := families[0], families[50], families[100]
		session(a, "individual", "no_show", day(a.IntakeDate, 5).AddDate(0, 0, 1))
		session(a, "individual", "came", day(a.IntakeDate, 5).AddDate(0, 0, 3))
		session(a, "couple", "came", day(a.IntakeDate, 5).AddDate(0, 0, 10))
		session(b, "couple", "came", day(b.IntakeDate, 5).AddDate(0, 0, 10))
		session(c, "individual", "came", day(c.IntakeDate, 20).AddDate(0, 0, 4)) // 01:00 the next day in Aktobe
		session(c, "mediation", "", day(c.IntakeDate, 5).AddDate(0, 0, 20))      // not marked yet

		want := func(a *birge.Actor, withdrawn, atRisk int, share float64, flagged int) {
			t.Helper()
			f, err := st.Cases.Figures(ctx, a, fx.aktobe.ID, "2026-05-01", "2026-08-31")
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("%d %d %d %.1f %d %d %v", f.Families, f.Withdrawn, f.WithdrawnAtRisk, f.WithdrawnShare, f.Flagged, f.Closed,
				f.SessionsByType)
			if w := fmt.Sprintf("164 %d %d %.1f %d %d map[couple:2 individual:2]", withdrawn, atRisk, share, flagged, 83+20); got != w {
				t.Errorf("figures: %s, want %s", got, w)
			}
			if f.MedianWaitDays == nil || *f.MedianWaitDays != 5 || f.Waited != 3 {
				t.Errorf("median wait %v over %d, want 5 days over 3 families", f.MedianWaitDays, f.Waited)
			}
			if len(f.Caseload) != 1 || f.Caseload[0] != (birge.WorkerCaseload{WorkerID: fx.coord.UserID, Families: 5, Open: 2}) {
				t.Errorf("caseload: %+v", f.Caseload)
			}
		}
		want(fx.coord, 83, 0, 50.6, 0)
		want(fx.analyst, 83, 0, 50.6, 0)

		// Ten of the 83 are reopened, screened above none, and closed as withdrawn again.
		answers := map[string]bool{}
		for _, q := range birge.DefaultQuestions {
			answers[q.Code] = q.Code == "insults"
		}
		for i := 0; i < 20; i += 2 {
			k := families[i]
			if _, err := st.Cases.Reopen(ctx, fx.admin, k.ID, "Пришли снова"); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Screenings.Create(ctx, fx.admin, k.ID, birge.Screening{PersonID: her.ID, Alone: true, Answers: answers}); err != nil {
				t.Fatal(err)
			}
			closeAs(k, birge.CaseReconciledWithdrawn)
		}
		want(fx.coord, 73, 10, 44.5, 10)

		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM outcomes WHERE source = 'case' AND kind = 'divorce_withdrawn_at_risk'`); n != 10 {
			t.Errorf("%d withdrawals at risk recorded as outcomes, want 10", n)
		}
		if _, err := st.Cases.Figures(ctx, fx.caseworker, fx.kargaly.ID, "", ""); !errors.Is(err, birge.ErrForbidden) {
			t.Errorf("Kargaly's figures to its case worker: %v", err)
		}
		if _, err := st.Cases.Figures(ctx, fx.caseworker, fx.aktobe.ID, "", ""); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("Aktobe's figures to Kargaly's case worker: %v", err)
		}
		if f, err := st.Cases.Figures(ctx, fx.admin, fx.kargaly.ID, "2026-05-01", "2026-08-31"); err != nil || f.Families != 1 || f.MedianWaitDays != nil {
			t.Errorf("Kargaly's figures: %+v, %v", f, err)
		}
		_, err := st.Cases.Figures(ctx, fx.coord, fx.aktobe.ID, "2026-13-01", "")
		if e := birge.AsError(err); e == nil || e.Fields["from"] == "" {
			t.Errorf("a period from no day: %v", err)
		}
		_, err = st.Cases.Figures(ctx, fx.coord, fx.aktobe.ID, "2026-12-01", "2026-11-01")
		if e := birge.AsError(err); e == nil || e.Fields["to"] == "" {
			t.Errorf("a period ending before it starts: %v", err)
		}
	})
}
