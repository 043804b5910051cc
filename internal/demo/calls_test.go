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

// TestLoadCalls: the demo's competitions show a newcomer real figures. Belesteri's closed
// call has 650 applications from villages of at least six regions, a few refused by its
// rules, 50 awards of US$4,000 — US$200,000 — paid 60 % at signing and 40 % on receipts
// (every fifth still waiting), and a fairness page that finds the harsh and the lenient
// reviewer; its second round is open with ten applications waiting for
// reviewer@birge.example and a draft; Erke's round gave twelve scholarships, renewed in
// September for all but every sixth child. The store's clock is the one it had.
func TestLoadCalls(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.LoadCalls(ctx, st); err == nil {
			t.Errorf("the competitions without the demo loaded")
		}
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		start := time.Now() // how long loading takes, for the log
		reviewers, err := demo.LoadCalls(ctx, st)
		if err != nil || len(reviewers) != 4 {
			t.Fatalf("calls: %v, %v", reviewers, err)
		}
		t.Logf("the competitions in %v", time.Since(start).Round(time.Millisecond))
		if now := st.Now(); now.Before(testenv.Evening) || now.After(testenv.Evening.Add(time.Hour)) {
			t.Errorf("the store's clock was left at %v", now)
		}
		sys := birge.System("test")
		calls, err := st.Calls.List(ctx, sys, store.CallFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byTitle := map[string]birge.Call{}
		for _, c := range calls {
			byTitle[c.CallTitles.EN] = c
		}
		grants, open, erke := byTitle["Business grants for rural women"], byTitle["Business grants for rural women: second round"],
			byTitle["Erke scholarships for gifted children"]
		if grants.Status != birge.CallClosed || open.Status != birge.CallOpen || erke.Status != birge.CallClosed || erke.Kind != "scholarship" {
			t.Fatalf("calls: %q %q %q", grants.Status, open.Status, erke.Status)
		}

		f, err := st.Awards.Figures(ctx, sys, grants.ID)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("business grants: %+v", f)
		if f.Submitted != 650 || f.Eligible < 600 || f.Eligible == 650 || f.Shortlisted != 75 || f.Awarded != 50 ||
			f.Awards != 50 || f.Money != (birge.Money{Amount: 20_000_000, Currency: "USD"}) ||
			f.Paid != (birge.Money{Amount: 50*240_000 + 40*160_000, Currency: "USD"}) || len(f.ByRegion) < 6 {
			t.Errorf("the business call's figures: %+v", f)
		}
		fair, err := st.Calls.Fairness(ctx, sys, grants.ID)
		if err != nil {
			t.Fatal(err)
		}
		leaning := map[string]bool{}
		for _, r := range fair.Reviewers {
			leaning[r.Leaning] = true
		}
		if fair.Reviews != 2*f.Eligible || len(fair.Reviewers) != 3 || !leaning["harsh"] || !leaning["lenient"] {
			t.Errorf("fairness: %d reviews, %+v", fair.Reviews, fair.Reviewers)
		}
		as, err := st.Calls.Assignments(ctx, sys, grants.ID)
		if err != nil {
			t.Fatal(err)
		}
		conflicts := 0
		for _, it := range as.Items {
			if it.Status == birge.AssignmentConflict {
				conflicts++
			}
		}
		if conflicts != 2 || len(as.Short) != 0 {
			t.Errorf("%d conflicts of interest, %d applications short of a reviewer", conflicts, len(as.Short))
		}

		// The reviewer's work: the open round's ten, none scored.
		id, err := st.UserIDByEmail(ctx, "reviewer@birge.example")
		if err != nil {
			t.Fatal(err)
		}
		u, err := st.GetUser(ctx, sys, id)
		if err != nil {
			t.Fatal(err)
		}
		mine, err := st.Calls.MyAssignments(ctx, &birge.Actor{UserID: u.ID, Name: u.Name, Grants: u.Grants})
		if err != nil {
			t.Fatal(err)
		}
		waiting := 0
		for _, m := range mine {
			if m.CallID == open.ID && m.Status == birge.AssignmentAssigned {
				waiting++
			}
		}
		if waiting != 10 {
			t.Errorf("reviewer@ has %d of the open round's applications to score, want 10", waiting)
		}
		var drafts int
		if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE status = 'draft'`).Scan(&drafts); err != nil || drafts != 1 {
			t.Errorf("%d drafts: %v", drafts, err)
		}

		// Erke: twelve children, and by the Evening their second school year for all but two.
		f, err = st.Awards.Figures(ctx, sys, erke.ID)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("Erke: %+v", f)
		awards, err := st.Awards.List(ctx, sys, store.AwardFilter{CallID: erke.ID})
		if err != nil {
			t.Fatal(err)
		}
		periods := map[string]int{}
		for _, aw := range awards {
			periods[aw.Period]++
		}
		if f.Submitted != 40 || f.Awarded != 12 || f.Eligible == 40 || periods["2025/26"] != 12 || periods["2026/27"] != 10 ||
			f.Money != (birge.Money{Amount: 22 * 30_000_000, Currency: "KZT"}) || f.Paid != f.Money {
			t.Errorf("Erke's figures: %+v, periods %v", f, periods)
		}
		// The grant officer runs both.
		id, _ = st.UserIDByEmail(ctx, "grants@birge.example")
		if u, err = st.GetUser(ctx, sys, id); err != nil || len(u.Grants) != 2 {
			t.Errorf("the grant officer's grants: %+v, %v", u.Grants, err)
		}
	})
}
