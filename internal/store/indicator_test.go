package store_test

import (
	"context"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// indicator names an indicator after its measure, for tests.
func indicator(programID int64, measure string, target int64) birge.Indicator {
	return birge.Indicator{ProgramID: programID, Measure: measure, Target: target,
		Names: birge.Names{KK: "Көрсеткіш " + measure, RU: "Показатель " + measure, KY: "Көрсөткүч " + measure, EN: measure}}
}

// figures reads a programme's indicators as the actor sees them, by English name.
func figures(t *testing.T, st *store.Store, a *birge.Actor, programID int64) map[string]store.IndicatorFigure {
	t.Helper()
	list, err := st.Indicators.List(context.Background(), a, programID)
	if err != nil {
		t.Fatalf("indicators: %v", err)
	}
	out := map[string]store.IndicatorFigure{}
	for _, f := range list {
		out[f.Names.EN] = f
	}
	return out
}

// TestIndicatorActuals: every measure counted from raw records — one woman with three
// sessions is one woman reached and three deliveries; sums of hours and of money; women
// with an outcome; a share of the trained who found work; a period. The programme is
// sensitive: the trainer sees none of its services, yet its figures count them all.
func TestIndicatorActuals(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := counselling(fx.almaty.OrgID, fx.almaty.ID)
		p.Kind, p.Categories, p.Sensitive = "training", nil, true
		prog := fx.program(t, fx.admin, p)
		woman := func(name string) int64 {
			return fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: name, FamilyName: "Ким"}).ID
		}
		asel, bota, dana := woman("Әсел"), woman("Ботагөз"), woman("Дана")
		give := func(person int64, date, kind string, hours int64, money *birge.Money) {
			t.Helper()
			d := birge.Delivery{PersonID: person, ProgramID: &prog.ID, Date: date, Kind: kind, Quantity: hours, Unit: "hours"}
			if money != nil {
				d.Unit, d.Money = "money", money
			}
			if _, err := st.Deliveries.Record(ctx, fx.admin, d); err != nil {
				t.Fatalf("deliver %s on %s: %v", kind, date, err)
			}
		}
		give(asel, "2026-05-02", "training_session", 3, nil)
		give(asel, "2026-05-09", "training_session", 3, nil)
		give(asel, "2026-05-16", "training_session", 3, nil)
		give(bota, "2026-06-01", "training_session", 2, nil)
		give(bota, "2026-06-02", "consultation", 1, nil)
		give(bota, "2026-06-03", "grant_payment", 0, &birge.Money{Amount: 500000, Currency: "KZT"})
		give(dana, "2026-06-03", "grant_payment", 0, &birge.Money{Amount: 1500000, Currency: "KZT"})
		give(dana, "2026-06-04", "grant_payment", 0, &birge.Money{Amount: 10000, Currency: "USD"})
		for person, kind := range map[int64]string{asel: "employed", dana: "business_started"} {
			if _, err := st.Outcomes.Record(ctx, fx.admin, birge.Outcome{PersonID: person, ProgramID: &prog.ID,
				Kind: kind, Date: "2026-09-01"}); err != nil {
				t.Fatal(err)
			}
		}

		add := func(in birge.Indicator) birge.Indicator {
			t.Helper()
			in, err := st.Indicators.Create(ctx, fx.admin, in)
			if err != nil {
				t.Fatalf("indicator %s: %v", in.Names.EN, err)
			}
			return in
		}
		trained := indicator(prog.ID, birge.MeasurePeopleReached, 10)
		trained.DeliveryKinds = []string{"training_session"}
		trained = add(trained)
		sessions := indicator(prog.ID, birge.MeasureDeliveries, 40)
		sessions.DeliveryKinds = []string{"training_session"}
		add(sessions)
		hours := indicator(prog.ID, birge.MeasureQuantitySum, 12)
		hours.Unit = "hours"
		add(hours)
		money := indicator(prog.ID, birge.MeasureQuantitySum, 5000000)
		money.Unit, money.Currency = "money", "KZT"
		add(money)
		working := indicator(prog.ID, birge.MeasurePeopleWithOutcome, 5)
		working.OutcomeKinds = []string{"employed", "business_started", "self_employed"}
		add(working)
		share := indicator(prog.ID, birge.MeasureShare, 40)
		share.OutcomeKinds, share.Of = working.OutcomeKinds, &trained.ID
		add(share)
		june := indicator(prog.ID, birge.MeasurePeopleReached, 3)
		june.Names.EN, june.From, june.To = "june", "2026-06-01", "2026-06-30"
		add(june)

		want := map[string]int64{"people_reached": 2, "deliveries": 4, "quantity_sum": 0, "people_with_outcome": 2,
			"share": 1, "june": 2}
		for _, a := range []*birge.Actor{fx.admin, fx.trainer} {
			got := figures(t, st, a, prog.ID)
			for name, n := range want {
				if name == "quantity_sum" {
					continue
				}
				if got[name].Actual != n {
					t.Errorf("%s: %s is %d, want %d", a.Name, name, got[name].Actual, n)
				}
			}
			if s := got["share"]; s.Whole != 2 || s.Percent(s.Indicator) != 50 || !s.Met(s.Indicator) {
				t.Errorf("the share: %d of %d (%.1f %%)", s.Actual, s.Whole, s.Percent(s.Indicator))
			}
		}
		// Two sums of quantity_sum: hours (3 × 3 + 2 + 1) and tenge, never the dollars.
		list, _ := st.Indicators.List(ctx, fx.admin, prog.ID)
		for _, f := range list {
			if f.Measure != birge.MeasureQuantitySum {
				continue
			}
			if want := map[string]int64{"hours": 12, "money": 2000000}[f.Unit]; f.Actual != want || f.Met(f.Indicator) != (f.Unit == "hours") {
				t.Errorf("the sum of %s is %d (met %v), want %d", f.Unit, f.Actual, f.Met(f.Indicator), want)
			}
		}
		// The trainer counts them, but sees none of the services or who took part.
		if l, err := st.Deliveries.List(ctx, fx.trainer, store.DeliveryFilter{ProgramID: prog.ID}); err != nil || len(l) != 0 {
			t.Errorf("the trainer lists %d services of the sensitive programme (%v)", len(l), err)
		}
		if _, err := st.Programs.ListParticipants(ctx, fx.trainer, prog.ID, store.ParticipantFilter{}); err == nil {
			t.Errorf("the trainer lists who takes part in the sensitive programme")
		}
	})
}

// TestIndicatorsFollowTheRecords: a merge of two reached duplicates counts one woman,
// undo counts two again, anonymising her changes no figure; the analyst reads the
// figures, never adds an indicator, and lists no one.
func TestIndicatorsFollowTheRecords(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		prog := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		kept := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
		other := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгуль", FamilyName: "Сеитова"})
		for _, id := range []int64{kept.ID, other.ID} {
			d := session(id, "2026-05-02")
			d.ProgramID = &prog.ID
			if _, err := st.Deliveries.Record(ctx, fx.coord, d); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.Indicators.Create(ctx, fx.coord, indicator(prog.ID, birge.MeasurePeopleReached, 100)); err != nil {
			t.Fatal(err)
		}
		reached := func(when string, want int64) {
			t.Helper()
			if got := figures(t, st, fx.analyst, prog.ID)["people_reached"].Actual; got != want {
				t.Errorf("%s: the analyst reads %d reached, want %d", when, got, want)
			}
		}
		reached("two women", 2)
		m, err := st.People.Merge(ctx, fx.coord, kept.ID, other.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		reached("after the merge", 1)
		if err := st.People.UndoMerge(ctx, fx.coord, kept.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		reached("after undo", 2)
		if err := st.People.Anonymise(ctx, fx.coord, kept.ID); err != nil {
			t.Fatal(err)
		}
		reached("after anonymising one", 2)

		if _, err := st.Indicators.Create(ctx, fx.analyst, indicator(prog.ID, birge.MeasureDeliveries, 1)); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the analyst adds an indicator: %v, want forbidden", err)
		}
		if _, err := st.Deliveries.List(ctx, fx.analyst, store.DeliveryFilter{ProgramID: prog.ID}); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the analyst lists services: %v, want forbidden", err)
		}
		if _, err := st.Programs.ListParticipants(ctx, fx.analyst, prog.ID, store.ParticipantFilter{}); err == nil {
			t.Errorf("the analyst lists who takes part")
		}
		// Someone who does not see the programme reads none of its figures.
		if _, err := st.Indicators.List(ctx, fx.trainer, prog.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the trainer of another organisation: %v, want not found", err)
		}
	})
}

// TestIndicatorValidation: each mistake named on its field; a share divides only by
// women of the same programme; an indicator a share divides by is not deleted.
func TestIndicatorValidation(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		prog := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		reached, err := st.Indicators.Create(ctx, fx.fpcAdmin, indicator(prog.ID, birge.MeasurePeopleReached, 100))
		if err != nil {
			t.Fatal(err)
		}
		sessions, err := st.Indicators.Create(ctx, fx.fpcAdmin, indicator(prog.ID, birge.MeasureDeliveries, 100))
		if err != nil {
			t.Fatal(err)
		}
		elsewhere := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		for _, c := range []struct {
			name  string
			edit  func(*birge.Indicator)
			field string
		}{
			{"no name", func(in *birge.Indicator) { in.Names = birge.Names{} }, "name_kk"},
			{"a made-up measure", func(in *birge.Indicator) { in.Measure = "happiness" }, "measure"},
			{"no target", func(in *birge.Indicator) { in.Target = 0 }, "target"},
			{"a made-up kind", func(in *birge.Indicator) { in.DeliveryKinds = []string{"massage"} }, "delivery_kinds"},
			{"outcomes of no kind", func(in *birge.Indicator) { in.Measure = birge.MeasurePeopleWithOutcome }, "outcome_kinds"},
			{"a sum of nothing", func(in *birge.Indicator) { in.Measure = birge.MeasureQuantitySum }, "unit"},
			{"money of no currency", func(in *birge.Indicator) { in.Measure, in.Unit = birge.MeasureQuantitySum, "money" }, "currency"},
			{"a share of deliveries", func(in *birge.Indicator) {
				in.Measure, in.Of, in.OutcomeKinds, in.Target = birge.MeasureShare, &sessions.ID, []string{"employed"}, 50
			}, "of"},
			{"a share of another programme", func(in *birge.Indicator) {
				in.ProgramID, in.Measure, in.Of, in.OutcomeKinds, in.Target = elsewhere.ID, birge.MeasureShare, &reached.ID, []string{"employed"}, 50
			}, "of"},
			{"a share over 100 %", func(in *birge.Indicator) {
				in.Measure, in.Of, in.OutcomeKinds, in.Target = birge.MeasureShare, &reached.ID, []string{"employed"}, 150
			}, "target"},
			{"a share of no kinds", func(in *birge.Indicator) { in.Measure, in.Of = birge.MeasureShare, &reached.ID }, "outcome_kinds"},
			{"a period backwards", func(in *birge.Indicator) { in.From, in.To = "2026-06-01", "2026-05-01" }, "to"},
			{"a day that is not", func(in *birge.Indicator) { in.From = "2026-02-30" }, "from"},
		} {
			in := indicator(prog.ID, birge.MeasurePeopleReached, 10)
			c.edit(&in)
			_, err := st.Indicators.Create(ctx, fx.fpcAdmin, in)
			if got := birge.AsError(err); got == nil || got.Fields[c.field] == "" {
				t.Errorf("%s: %v, want a problem on %s", c.name, err, c.field)
			}
		}
		share := indicator(prog.ID, birge.MeasureShare, 50)
		share.Of, share.DeliveryKinds = &reached.ID, []string{"mediation"}
		if _, err := st.Indicators.Create(ctx, fx.fpcAdmin, share); err != nil {
			t.Fatalf("a share of those reached who had mediation: %v", err)
		}
		if err := st.Indicators.Delete(ctx, fx.fpcAdmin, reached.ID); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("deleting the whole of a share: %v, want conflict", err)
		}
		if err := st.Indicators.Delete(ctx, fx.analyst, sessions.ID); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the analyst deletes an indicator: %v, want forbidden", err)
		}
		if err := st.Indicators.Delete(ctx, fx.fpcAdmin, sessions.ID); err != nil {
			t.Errorf("deleting an indicator: %v", err)
		}
		if n := len(figures(t, st, fx.fpcAdmin, prog.ID)); n != 2 {
			t.Errorf("%d indicators left, want 2", n)
		}
	})
}

// TestIndicatorsPromisedByAnAward: an award promises indicators of the programmes it
// funds, never another's; an indicator it promised is not deleted, and is again once
// the award no longer promises it.
func TestIndicatorsPromisedByAnAward(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		funded := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		other := fx.program(t, fx.fpcAdmin, counselling(fx.aktobe.OrgID, fx.aktobe.ID))
		promised, err := st.Indicators.Create(ctx, fx.fpcAdmin, indicator(funded.ID, birge.MeasurePeopleReached, 100))
		if err != nil {
			t.Fatal(err)
		}
		elsewhere, err := st.Indicators.Create(ctx, fx.fpcAdmin, indicator(other.ID, birge.MeasurePeopleReached, 100))
		if err != nil {
			t.Fatal(err)
		}
		award := unwomen(fx.fpcOrg())
		award.ProgramIDs, award.IndicatorIDs = []int64{funded.ID}, []int64{promised.ID, elsewhere.ID}
		if _, err := st.Funding.Create(ctx, fx.fpcAdmin, award); birge.AsError(err).Fields["indicator_ids"] == "" {
			t.Errorf("an indicator of a programme it does not fund: %v, want a problem on indicator_ids", err)
		}
		award.IndicatorIDs = []int64{promised.ID}
		award, err = st.Funding.Create(ctx, fx.fpcAdmin, award)
		if err != nil || len(award.IndicatorIDs) != 1 {
			t.Fatalf("an award promising an indicator: %+v, %v", award.IndicatorIDs, err)
		}
		if got, _ := st.Funding.Get(ctx, fx.analyst, award.ID); len(got.IndicatorIDs) != 1 || got.IndicatorIDs[0] != promised.ID {
			t.Errorf("the award read back promises %v", got.IndicatorIDs)
		}
		if err := st.Indicators.Delete(ctx, fx.fpcAdmin, promised.ID); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("deleting a promised indicator: %v, want conflict", err)
		}
		award.IndicatorIDs = nil
		if _, err := st.Funding.Update(ctx, fx.fpcAdmin, award); err != nil {
			t.Fatal(err)
		}
		if err := st.Indicators.Delete(ctx, fx.fpcAdmin, promised.ID); err != nil {
			t.Errorf("deleting an indicator no longer promised: %v", err)
		}
	})
}
