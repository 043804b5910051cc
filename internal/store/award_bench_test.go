package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// BenchmarkAwardsAtSize measures a large round of the rural grants: 10,000 applications
// (fifteen times Belesteri's 650) and 500 awards in two tranches, every first tranche
// paid. What it reports (p95): the call's figures, its awards read whole, the follow-ups
// due. Issue 13 sets no budget for these; they are read on every visit of the pages.
//
//	go test ./internal/store -run - -bench AwardsAtSize -benchtime 20x
func BenchmarkAwardsAtSize(b *testing.B) {
	for _, db := range testenv.Databases(b) {
		b.Run(db.Name, func(b *testing.B) {
			st := testenv.Open(b, db)
			fx := newPeopleFixture(b, st)
			ctx := context.Background()
			p, err := st.Programs.Create(ctx, fx.fpcAdmin, birge.Program{OrgID: fx.aktobe.OrgID, Kind: "grants", Status: "active",
				StartsOn: "2026-01-01", Names: birge.Names{KK: "Грант", RU: "Грант", KY: "Грант", EN: "Grants"}})
			if err != nil {
				b.Fatal(err)
			}
			opens := time.Date(2026, 1, 10, 4, 0, 0, 0, time.UTC)
			call, err := st.Calls.Create(ctx, fx.fpcAdmin, birge.Call{OrgID: fx.aktobe.OrgID, Kind: "business_grant", ProgramID: p.ID,
				CallTitles: birge.CallTitles{KK: "Грант", RU: "Грант", KY: "Грант", EN: "Grant"},
				CallTexts:  birge.CallTexts{KK: "Бизнес", RU: "Бизнес", KY: "Бизнес", EN: "Business"},
				OpensAt:    opens, ClosesAt: opens.AddDate(0, 1, 0), Budget: birge.Money{Amount: 200_000_000, Currency: "USD"},
				AwardAmount: birge.Money{Amount: 400_000, Currency: "USD"}, Awards: 500, Status: birge.CallDraft})
			if err != nil {
				b.Fatal(err)
			}
			her, err := st.People.Create(ctx, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Динара", FamilyName: "Ахметова"})
			if err != nil {
				b.Fatal(err)
			}
			apps := make([]testenv.Application, 10_000)
			regions := []string{"KZ75", "KZ63", "KZ15", "KZ39"}
			for i := range apps {
				apps[i] = testenv.Application{PersonID: her.ID, Status: "eligible", Region: regions[i%4]}
				if i < 500 {
					apps[i].Status = "awarded"
				}
			}
			ids := testenv.InsertApplications(b, st, call.ID, apps)
			for _, id := range ids[:500] {
				aw, err := st.Awards.Create(ctx, fx.fpcAdmin, birge.Award{ApplicationID: id, AgreedOn: "2026-03-01",
					Tranches: []birge.AwardTranche{{Share: 60}, {Share: 40, NeedsEvidence: true}}})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := st.Awards.Pay(ctx, fx.fpcAdmin, aw.ID, birge.AwardPayment{Tranche: 1, Date: "2026-03-02",
					Amount: birge.Money{Amount: 240_000, Currency: "USD"}}); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("figures", func(b *testing.B) {
				timed(b, func() {
					f, err := st.Awards.Figures(ctx, fx.fpcAdmin, call.ID)
					if err != nil || f.Submitted != 10_000 || f.Paid.Amount != 500*240_000 {
						b.Fatalf("%+v, %v", f, err)
					}
				})
			})
			b.Run("the call's 500 awards", func(b *testing.B) {
				timed(b, func() {
					list, err := st.Awards.List(ctx, fx.fpcAdmin, store.AwardFilter{CallID: call.ID})
					if err != nil || len(list) != 500 {
						b.Fatalf("%d awards, %v", len(list), err)
					}
				})
			})
			b.Run("follow-ups due", func(b *testing.B) {
				timed(b, func() {
					due, err := st.Awards.FollowUpsDue(ctx, fx.fpcAdmin, 0)
					if err != nil || len(due) != 500 {
						b.Fatalf("%d due, %v", len(due), err)
					}
				})
			})
		})
	}
}
