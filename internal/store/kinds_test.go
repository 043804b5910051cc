package store_test

import (
	"context"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestKindLists: an organisation's administrator adds a kind of outcome named in four
// languages, renames it and retires it (then it cannot be recorded, and comes back when
// offered again); a default kind keeps the catalog's names; a code in use is refused;
// a coordinator may not edit the lists, and those of another organisation are not found.
func TestKindLists(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		org := fx.aktobe.OrgID
		names := birge.Names{KK: "Оқуға түсті", RU: "Поступила учиться", KY: "Окууга өттү", EN: "Enrolled in studies"}
		k, err := st.Kinds.Create(ctx, fx.fpcAdmin, "outcomes", org, birge.DeliveryKind{Names: names})
		if err != nil || k.Code != "enrolled_in_studies" {
			t.Fatalf("add: %+v, %v", k, err)
		}
		if _, err := st.Kinds.Create(ctx, fx.fpcAdmin, "outcomes", org, birge.DeliveryKind{Code: "employed", Names: names}); birge.AsError(err) == nil || birge.AsError(err).Fields["code"] == "" {
			t.Errorf("a default's code: %v, want a problem with the code", err)
		}
		if _, err := st.Kinds.Create(ctx, fx.fpcAdmin, "outcomes", org, birge.DeliveryKind{Names: birge.Names{EN: "Only English"}}); birge.AsError(err) == nil || birge.AsError(err).Fields["name_kk"] == "" {
			t.Errorf("a kind named in English alone: %v, want a problem with name_kk", err)
		}
		her := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл"})
		o := birge.Outcome{PersonID: her.ID, Date: "2026-09-01", Kind: k.Code}
		if _, err := st.Outcomes.Record(ctx, fx.coord, o); err != nil {
			t.Errorf("recording the new kind: %v", err)
		}
		k.Names.EN, k.Retired = "Enrolled", true
		if k, err = st.Kinds.Update(ctx, fx.fpcAdmin, "outcomes", org, k); err != nil || k.Names.EN != "Enrolled" {
			t.Fatalf("rename and retire: %+v, %v", k, err)
		}
		if _, err := st.Outcomes.Record(ctx, fx.coord, o); birge.AsError(err) == nil || birge.AsError(err).Fields["kind"] == "" {
			t.Errorf("recording a retired kind: %v, want a problem with the kind", err)
		}
		k.Retired = false
		if _, err := st.Kinds.Update(ctx, fx.fpcAdmin, "outcomes", org, k); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Outcomes.Record(ctx, fx.coord, o); err != nil {
			t.Errorf("recording a kind offered again: %v", err)
		}
		mediation := birge.DeliveryKind{Code: "mediation", Names: birge.Names{EN: "Renamed"}, Retired: true}
		if mediation, err = st.Kinds.Update(ctx, fx.fpcAdmin, "deliveries", org, mediation); err != nil || mediation.Names.EN != "Mediation" || !mediation.Retired {
			t.Errorf("a default retired: %+v, %v", mediation, err)
		}
		if _, err := st.Kinds.List(ctx, fx.coord, "outcomes", org); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("the coordinator lists the kinds to edit: %v, want forbidden", err)
		}
		if _, err := st.Kinds.List(ctx, fx.trainer, "outcomes", org); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("a trainer of another organisation: %v, want not found", err)
		}
		if _, err := st.Kinds.List(ctx, fx.fpcAdmin, "programs", org); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("a list that is not one: %v, want not found", err)
		}
	})
}
