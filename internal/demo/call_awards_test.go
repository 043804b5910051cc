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

// TestCallAwards: a closed business-grant call of Belesteri with 20 awarded
// applications gets 20 awards of US$4,000, every one's first tranche paid, the second of
// all but every fifth paid on approved receipts, the 6-month follow-ups reported but every
// seventh's; an Erke scholarship round of 6 children gets its 2025/26 period and, for all
// but the sixth, its 2026/27 renewal. A second run makes nothing more.
func TestCallAwards(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, st); err != nil {
			t.Fatal(err)
		}
		sys := birge.System("test")
		centers, err := st.ListCenters(ctx, sys, store.CenterFilter{})
		if err != nil {
			t.Fatal(err)
		}
		find := func(en string) birge.Center {
			for _, c := range centers {
				if c.Names.EN == en {
					return c
				}
			}
			t.Fatalf("no centre %q", en)
			return birge.Center{}
		}
		round := func(center birge.Center, kind string, amount birge.Money, opens time.Time, n int) birge.Call {
			p, err := st.Programs.Create(ctx, sys, birge.Program{OrgID: center.OrgID, Kind: "grants", Status: "active",
				StartsOn: "2025-01-01", Names: birge.Names{KK: "Грант", RU: "Грант", KY: "Грант", EN: "Grants"}})
			if err != nil {
				t.Fatal(err)
			}
			c, err := st.Calls.Create(ctx, sys, birge.Call{OrgID: center.OrgID, Kind: kind, ProgramID: p.ID,
				CallTitles: birge.CallTitles{KK: "Конкурс", RU: "Конкурс", KY: "Конкурс", EN: "Call"},
				CallTexts:  birge.CallTexts{KK: "Мәтін", RU: "Текст", KY: "Текст", EN: "Text"},
				OpensAt:    opens, ClosesAt: opens.AddDate(0, 1, 0), Budget: birge.Money{Amount: amount.Amount * int64(n), Currency: amount.Currency},
				AwardAmount: amount, Awards: n, Status: birge.CallDraft})
			if err != nil {
				t.Fatal(err)
			}
			var apps []testenv.Application
			for i := range n {
				her, err := st.People.Create(ctx, sys, birge.Person{CenterID: center.ID, GivenName: "Айгүл", FamilyName: "Демо",
					BirthDate: time.Date(1980+i, 3, 8, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)})
				if err != nil {
					t.Fatal(err)
				}
				apps = append(apps, testenv.Application{PersonID: her.ID, Status: "awarded", Region: "KZ75"})
			}
			// and one only shortlisted, which gets nothing
			testenv.InsertApplications(t, st, c.ID, append(apps, testenv.Application{Status: "shortlisted"}))
			return c
		}
		grants := round(find("Belesteri programme office"), "business_grant", birge.Money{Amount: 400_000, Currency: "USD"},
			time.Date(2026, 1, 20, 4, 0, 0, 0, time.UTC), 20)
		erke := round(find("Erke Aktobe"), "scholarship", birge.Money{Amount: 25_000_000, Currency: "KZT"},
			time.Date(2025, 5, 1, 4, 0, 0, 0, time.UTC), 6)

		n, err := demo.CallAwards(ctx, st, grants.ID)
		if err != nil || n != 20 {
			t.Fatalf("grants: %d, %v", n, err)
		}
		awards, err := st.Awards.List(ctx, sys, store.AwardFilter{CallID: grants.ID})
		if err != nil {
			t.Fatal(err)
		}
		var paid, waiting, reported int
		for _, aw := range awards {
			paid += len(aw.Payments)
			if aw.Tranches[1].Paid == 0 {
				waiting++
			}
			reported += len(aw.FollowUps)
		}
		if len(awards) != 20 || paid != 20+16 || waiting != 4 || reported != 16-2 {
			t.Errorf("grants: %d awards, %d payments, %d waiting, %d follow-ups", len(awards), paid, waiting, reported)
		}
		f, err := st.Awards.Figures(ctx, sys, grants.ID)
		if err != nil || f.Money != (birge.Money{Amount: 8_000_000, Currency: "USD"}) ||
			f.Paid.Amount != 20*240_000+16*160_000 {
			t.Errorf("figures: %+v %v", f, err)
		}
		var deliveries int
		if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM deliveries WHERE source = 'award'`).Scan(&deliveries); err != nil || deliveries != paid {
			t.Errorf("%d deliveries for %d payments: %v", deliveries, paid, err)
		}

		if n, err = demo.CallAwards(ctx, st, erke.ID); err != nil || n != 6 {
			t.Fatalf("scholarships: %d, %v", n, err)
		}
		awards, _ = st.Awards.List(ctx, sys, store.AwardFilter{CallID: erke.ID})
		periods := map[string]int{}
		for _, aw := range awards {
			periods[aw.Period]++
			if aw.Paid != aw.Amount {
				t.Errorf("%s not paid: %v", aw.Period, aw.Paid)
			}
		}
		if len(awards) != 11 || periods["2025/26"] != 6 || periods["2026/27"] != 5 {
			t.Errorf("scholarship periods: %v", periods)
		}
		if n, err := demo.CallAwards(ctx, st, grants.ID); err != nil || n != 0 {
			t.Errorf("a second run: %d, %v", n, err)
		}
	})
}
