package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestTodayIsTheUsersDay: at 20:30 UTC on 31 December it is already 1 January in Almaty.
// A coordinator there registers a baby born today with consent given today, records and
// withdraws a consent today — and a day later is still refused as in the future. A user
// who keeps UTC is still on 31 December.
func TestTodayIsTheUsersDay(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		st.SetClock(func() time.Time { return time.Date(2026, 12, 31, 20, 30, 0, 0, time.UTC) })
		if fx.coord.Zone != "Asia/Almaty" {
			t.Fatalf("the demo coordinator's zone is %q; the test assumes Almaty", fx.coord.Zone)
		}
		const today, tomorrow = "2027-01-01", "2027-01-02"

		baby := birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айару", BirthDate: today,
			Consents: []birge.Consent{{Purpose: "services", Channel: "paper", GivenOn: today}}}
		p, err := st.People.Create(ctx, fx.coord, baby)
		if err != nil {
			t.Fatalf("born and registered on the coordinator's today: %v", err)
		}
		con, err := st.People.AddConsent(ctx, fx.coord, p.ID, birge.Consent{Purpose: "story", Channel: "verbal", GivenOn: today})
		if err != nil {
			t.Fatalf("consent given today: %v", err)
		}
		if err := st.People.WithdrawConsent(ctx, fx.coord, p.ID, con.ID, today); err != nil {
			t.Fatalf("consent withdrawn today: %v", err)
		}

		// Tomorrow stays in the future, in every place a day is typed.
		late := baby
		late.BirthDate, late.Consents = tomorrow, nil
		if _, err := st.People.Create(ctx, fx.coord, late); birge.AsError(err).Fields["birth_date"] != "person.birth_date_range" {
			t.Errorf("born tomorrow: %v, want person.birth_date_range", err)
		}
		if _, err := st.People.AddConsent(ctx, fx.coord, p.ID, birge.Consent{Purpose: "contact", Channel: "phone", GivenOn: tomorrow}); birge.AsError(err).Fields["given_on"] != "person.date_future" {
			t.Errorf("consent given tomorrow: %v, want person.date_future", err)
		}
		con, err = st.People.AddConsent(ctx, fx.coord, p.ID, birge.Consent{Purpose: "contact", Channel: "phone", GivenOn: today})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.People.WithdrawConsent(ctx, fx.coord, p.ID, con.ID, tomorrow); birge.AsError(err).Fields["withdrawn_on"] != "person.date_future" {
			t.Errorf("withdrawn tomorrow: %v, want person.date_future", err)
		}

		// In UTC it is still 31 December: 1 January is tomorrow there.
		utc := *fx.coord
		utc.Zone = "UTC"
		if _, err := st.People.AddConsent(ctx, &utc, p.ID, birge.Consent{Purpose: "referral", Channel: "paper", GivenOn: today}); birge.AsError(err).Fields["given_on"] != "person.date_future" {
			t.Errorf("a UTC user's tomorrow: %v, want person.date_future", err)
		}

		// Someone who may not see her learns nothing, not even that the day is wrong.
		if err := st.People.WithdrawConsent(ctx, fx.trainer, p.ID, con.ID, tomorrow); err != birge.ErrNotFound {
			t.Errorf("withdrawal by a trainer of another centre with a bad day: %v, want not found", err)
		}
		if _, err := st.People.AddConsent(ctx, fx.trainer, p.ID, birge.Consent{Purpose: "story", GivenOn: "not a day"}); err != birge.ErrNotFound {
			t.Errorf("a bad consent by a trainer of another centre: %v, want not found", err)
		}

		// Ages are counted on the user's day too: a girl born on 1 January 2026 turns one
		// on the coordinator's 1 January, and is not one yet on UTC's 31 December.
		fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Томирис", BirthDate: "2026-01-01"})
		for _, c := range []struct {
			who  *birge.Actor
			want int
		}{{fx.coord, 1}, {&utc, 0}} {
			l, err := st.People.List(ctx, c.who, store.PeopleFilter{Q: "Томирис", AgeFrom: 1})
			if err != nil || len(l.Items) != c.want {
				t.Errorf("aged one or more, seen from %s: %d people (%v), want %d", c.who.Zone, len(l.Items), err, c.want)
			}
		}
	})
}
