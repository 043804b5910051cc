package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// couple registers a wife and a husband at a centre.
func (fx *peopleFixture) couple(t *testing.T, a *birge.Actor, center int64) (birge.Person, birge.Person) {
	her := fx.register(t, a, birge.Person{CenterID: center, GivenName: "Динара", FamilyName: "Ахметова", Sex: "female"})
	him := fx.register(t, a, birge.Person{CenterID: center, GivenName: "Ержан", FamilyName: "Ахметов", Sex: "male"})
	return her, him
}

func familyCase(center int64, partners ...int64) birge.Case {
	return birge.Case{CenterID: center, PartnerIDs: partners, IntakeDate: "2026-11-02",
		Reasons: []string{"communication", "finances"}, CameFrom: "court", DivorceFiled: true,
		DivorceFiledOn: "2026-10-20", DivorceCourt: "Ақтөбе қалалық соты"}
}

// TestCaseValidation: each mistake is named by its field, and nothing is saved.
func TestCaseValidation(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her, him := fx.couple(t, fx.coord, fx.aktobe.ID)
		elsewhere := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Сара", FamilyName: "Омарова"})
		for field, change := range map[string]func(*birge.Case){
			"partner_ids":      func(k *birge.Case) { k.PartnerIDs = nil },
			"child_ids":        func(k *birge.Case) { k.ChildIDs = []int64{her.ID} },
			"intake_date":      func(k *birge.Case) { k.IntakeDate = "2027-01-02" }, // after her today (Aktobe is already in 2027)
			"reasons":          func(k *birge.Case) { k.Reasons = []string{"astrology"} },
			"came_from":        func(k *birge.Case) { k.CameFrom = "tv" },
			"divorce_filed":    func(k *birge.Case) { k.DivorceFiled = false },
			"divorce_filed_on": func(k *birge.Case) { k.DivorceFiledOn = "20.10.2026" },
			"divorce_court":    func(k *birge.Case) { k.DivorceCourt = "a\x00b" },
			"status":           func(k *birge.Case) { k.Status = "closed" },
			"psychologist_id":  func(k *birge.Case) { k.PsychologistID = fx.trainer.UserID },
			"mediator_id":      func(k *birge.Case) { k.MediatorID = 999999 },
		} {
			k := familyCase(fx.aktobe.ID, her.ID, him.ID)
			change(&k)
			_, err := st.Cases.Create(ctx, fx.coord, k)
			if e := birge.AsError(err); e == nil || e.Fields[field] == "" || len(e.Fields) != 1 {
				t.Errorf("%s: %v, want a problem on it alone", field, err)
			}
		}
		// A woman of another organisation is no partner of an Aktobe case.
		k := familyCase(fx.aktobe.ID, her.ID, elsewhere.ID)
		if _, err := st.Cases.Create(ctx, fx.admin, k); birge.AsError(err).Fields["partner_ids"] == "" {
			t.Errorf("partner of another organisation: %v", err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_people WHERE person_id = `+itoa(her.ID)); n != 0 {
			t.Errorf("%d cases saved from refused intakes", n)
		}
	})
}

// TestCaseScope: the coordinator sees all her centre's cases, a case worker those she is
// assigned to, the others none; only those who manage cases change them, on the version
// they read.
func TestCaseScope(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her, him := fx.couple(t, fx.coord, fx.aktobe.ID)
		aktobe, err := st.Cases.Create(ctx, fx.coord, familyCase(fx.aktobe.ID, her.ID, him.ID))
		if err != nil || aktobe.Status != "intake" || aktobe.Flagged || aktobe.Risk != "none" || len(aktobe.PartnerIDs) != 2 {
			t.Fatalf("intake: %+v, %v", aktobe, err)
		}
		// The Kargaly case worker cannot be assigned in Aktobe.
		aktobe.PsychologistID = fx.caseworker.UserID
		if _, err := st.Cases.Update(ctx, fx.coord, aktobe); birge.AsError(err).Fields["psychologist_id"] == "" {
			t.Errorf("assigning a worker of another centre: %v", err)
		}
		w1, w2 := fx.couple(t, fx.fpcAdmin, fx.kargaly.ID)
		mine := familyCase(fx.kargaly.ID, w1.ID, w2.ID)
		mine.MediatorID = fx.caseworker.UserID
		mine, err = st.Cases.Create(ctx, fx.fpcAdmin, mine)
		if err != nil {
			t.Fatal(err)
		}
		w3, _ := fx.couple(t, fx.fpcAdmin, fx.kargaly.ID)
		other, err := st.Cases.Create(ctx, fx.fpcAdmin, familyCase(fx.kargaly.ID, w3.ID))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			who  string
			a    *birge.Actor
			want []int64
		}{
			{"coordinator", fx.coord, []int64{aktobe.ID}},
			{"case worker", fx.caseworker, []int64{mine.ID}},
			{"organisation admin", fx.fpcAdmin, []int64{aktobe.ID, mine.ID, other.ID}},
		} {
			l, err := st.Cases.List(ctx, c.a, store.CaseFilter{})
			seen := map[int64]bool{}
			for _, k := range l {
				seen[k.ID] = true
			}
			for _, k := range []birge.Case{aktobe, mine, other} {
				if seen[k.ID] != slices.Contains(c.want, k.ID) || err != nil {
					t.Errorf("%s sees case %d: %v (%v), want %v", c.who, k.ID, seen[k.ID], err, !seen[k.ID])
				}
			}
		}
		l, err := st.Cases.List(ctx, fx.fpcAdmin, store.CaseFilter{CenterID: fx.kargaly.ID, Status: "intake"})
		if err != nil || len(l) != 2 || l[0].ID != mine.ID || l[1].ID != other.ID {
			t.Errorf("Kargaly's cases at intake: %+v, %v", l, err)
		}
		if _, err := st.Cases.Get(ctx, fx.caseworker, other.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("case worker opens a case not hers: %v, want not found", err)
		}
		for who, a := range map[string]*birge.Actor{"trainer": fx.trainer, "analyst": fx.analyst} {
			if _, err := st.Cases.List(ctx, a, store.CaseFilter{}); birge.KindOf(err) != birge.KindForbidden {
				t.Errorf("%s lists cases: %v, want forbidden", who, err)
			}
			if _, err := st.Cases.Get(ctx, a, mine.ID); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("%s opens a case: %v, want not found", who, err)
			}
		}
		// The case worker sees hers but does not move it; the coordinator of the
		// organisation does, once, on the version read.
		mine.Status = "screening"
		if _, err := st.Cases.Update(ctx, fx.caseworker, mine); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("case worker moves her case: %v, want forbidden", err)
		}
		moved, err := st.Cases.Update(ctx, fx.fpcAdmin, mine)
		if err != nil || moved.Status != "screening" || !moved.UpdatedAt.After(mine.UpdatedAt) {
			t.Fatalf("move to screening: %+v, %v", moved, err)
		}
		if _, err := st.Cases.Update(ctx, fx.fpcAdmin, mine); birge.KindOf(err) != birge.KindConflict {
			t.Errorf("an edit of an old version: %v, want changed meanwhile", err)
		}
		if _, err := st.Cases.Create(ctx, fx.coord, familyCase(fx.kargaly.ID, w3.ID)); birge.KindOf(err) != birge.KindInvalid {
			t.Errorf("Aktobe coordinator takes in at Kargaly: %v, want center_id refused", err)
		}
	})
}

// TestCasesFollowHer: a partner's case moves with her merge and back with its undo,
// stays (for the counts) when she is anonymised, is in her dossier and on her timeline,
// and its entries are sealed with her key.
func TestCasesFollowHer(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her, him := fx.couple(t, fx.coord, fx.aktobe.ID)
		twin := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Динара", FamilyName: "Ахметова"})
		k, err := st.Cases.Create(ctx, fx.coord, familyCase(fx.aktobe.ID, twin.ID, him.ID))
		if err != nil {
			t.Fatal(err)
		}
		partners := func() []int64 {
			got, err := st.Cases.Get(ctx, fx.coord, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			return got.PartnerIDs
		}
		m, err := st.People.Merge(ctx, fx.coord, her.ID, twin.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if p := partners(); p[0] != her.ID {
			t.Errorf("after the merge the partners are %v, want %d first", p, her.ID)
		}
		d, err := st.People.Dossier(ctx, fx.coord, her.ID)
		if err != nil || len(d.Cases) != 1 {
			t.Errorf("her dossier has %d cases (%v), want 1", len(d.Cases), err)
		}
		if err := st.People.UndoMerge(ctx, fx.coord, her.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if p := partners(); p[0] != twin.ID {
			t.Errorf("after undo the partners are %v, want %d first", p, twin.ID)
		}
		tl, err := st.People.Timeline(ctx, fx.coord, twin.ID, "", 50)
		found := false
		for _, e := range tl {
			found = found || e.Kind == "case"
		}
		if err != nil || !found {
			t.Errorf("her timeline has no case: %+v, %v", tl, err)
		}
		if err := st.People.Anonymise(ctx, fx.coord, twin.ID); err != nil {
			t.Fatal(err)
		}
		if p := partners(); len(p) != 2 || p[0] != twin.ID {
			t.Errorf("after anonymisation the partners are %v, want the case kept", p)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'case' AND entity_id = `+itoa(k.ID)+
			` AND changes LIKE '%соты%'`); n != 0 {
			t.Errorf("%d entries of the case show its court in the clear", n)
		}
	})
}
