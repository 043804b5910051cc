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

// TestCaseHistory: the Aktobe centre's four months are 164 families taken in on days
// counted back from today, none after it; more than half withdrew their divorce
// application, a few were flagged by a screening (and none of those counts as a
// success), and most are closed. A second load refuses nothing half-done: it needs the
// demo first.
func TestCaseHistory(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.LoadHistory(ctx, st); err == nil {
			t.Errorf("history without the demo loaded")
		}
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		start := time.Now() // how long loading takes, for the log
		staff, err := demo.LoadHistory(ctx, st)
		if err != nil || len(staff) != 2 {
			t.Fatalf("history: %v, %v", staff, err)
		}
		t.Logf("the history in %v", time.Since(start).Round(time.Millisecond))
		sys := birge.System("test")
		today := sys.Today(st.Now())
		var aktobe birge.Center
		centers, _ := st.ListCenters(ctx, sys, store.CenterFilter{})
		for _, c := range centers {
			if c.Names.EN == "Aktobe family centre" {
				aktobe = c
			}
		}
		// The four months from the first day of history: the demo's own Aktobe family
		// (three months ago) among them.
		f, err := st.Cases.Figures(ctx, sys, aktobe.ID, today.AddDate(0, -4, 1).Format(time.DateOnly), today.Format(time.DateOnly))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%+v", f)
		if f.Families != 165 || f.WithdrawnShare <= 50 || f.Flagged < 3 || f.Closed < 120 || f.Outcomes[birge.CaseAgreedSeparation] == 0 ||
			f.SessionsByType[birge.SessionMediation] == 0 || f.SessionsByType[birge.SessionIndividual] == 0 ||
			f.MedianWaitDays == nil || *f.MedianWaitDays < 1 || *f.MedianWaitDays > 13 {
			t.Errorf("the history's figures do not look like the centre's: %+v", f)
		}
		list, err := st.Cases.List(ctx, sys, store.CaseFilter{CenterID: aktobe.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range list {
			if k.IntakeDate > today.Format(time.DateOnly) || (k.ClosedOn != "" && k.ClosedOn > today.Format(time.DateOnly)) {
				t.Errorf("case %d: intake %s, closed %s, after today", k.ID, k.IntakeDate, k.ClosedOn)
			}
		}
	})
}
