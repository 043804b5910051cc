package store_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// The coordinator compares two records and picks, field by field, what the kept one
// takes: the screen shows only what she may see, choices that do not fit are refused
// with nothing changed, the chosen values land on the kept record, the audit entry names
// the fields taken from the other, and undo gives the kept record back its own values.
func TestMergeWithChoices(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		kept := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Жұмабаева", GivenName: "Айжан",
			IIN: "850315401231", Email: "old@example.kz", Phones: []string{"8 701 123 45 67"}})
		other := fx.register(t, fx.admin, birge.Person{CenterID: fx.kargaly.ID, FamilyName: "Zhumabaeva", GivenName: "Aizhan",
			Patronymic: "Serikovna", BirthDate: "1986-01-01", Email: "new@example.kz", MayCall: true, CallTimes: "10:00–12:00",
			Phones:   []string{"+7 777 100 20 30"},
			Consents: []birge.Consent{{Purpose: "contact", Channel: "phone", GivenOn: "2026-02-01"}}})

		// The comparison: for those who may merge both records only, identity masked.
		if _, err := st.People.PreviewMerge(ctx, fx.coord, kept.ID, other.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("the Aktobe coordinator compares with a Kargaly record: %v, want not found", err)
		}
		pv, err := st.People.PreviewMerge(ctx, fx.admin, kept.ID, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if pv.Kept.IIN == "" || pv.Kept.IIN == "850315401231" {
			t.Errorf("the comparison shows the identity number %q, want it masked", pv.Kept.IIN)
		}
		wantDiffers := map[string]bool{"family_name": true, "given_name": true, "patronymic": true, "birth": true,
			"center": true, "email": true, "safe_contact": true, "sex": true}
		for _, f := range birge.MergeFields {
			if pv.Differs[f] != wantDiffers[f] {
				t.Errorf("%s differs: %v, want %v", f, pv.Differs[f], wantDiffers[f])
			}
		}
		if !pv.Default["patronymic"] || pv.Default["family_name"] || pv.Refusal != "" {
			t.Errorf("defaults %v, refusal %q: want only the missing patronymic taken", pv.Default, pv.Refusal)
		}
		if fmt.Sprint(pv.Moves) != "[{consents 1} {relations 0} {program_participants 0} {deliveries 0} {outcomes 0} {case_people 0} {case_session_people 0} {referrals 0} {enrollments 0} {applications 0} {phones 1} {categories 0}]" {
			t.Errorf("moves %v", pv.Moves)
		}

		// Refused choices change nothing.
		beforeKept := wholeRecord(t, st, fx.admin, kept.ID)
		for _, c := range []struct {
			choice birge.MergeChoice
			field  string
		}{
			{birge.MergeChoice{"iin": birge.MergeOther}, "choices.iin"},
			{birge.MergeChoice{"income_band": birge.MergeOther}, "choices.income_band"},
			{birge.MergeChoice{"email": "both"}, "choices.email"},
			{birge.MergeChoice{"birth": birge.MergeOther}, "birth_date"}, // her IIN says 15 March 1985
		} {
			_, err := st.People.Merge(ctx, fx.admin, kept.ID, other.ID, c.choice)
			if e := birge.AsError(err); e.Kind != birge.KindInvalid || e.Fields[c.field] == "" {
				t.Errorf("merge choosing %v: %v %v, want a problem on %s", c.choice, err, e.Fields, c.field)
			}
		}
		if got := wholeRecord(t, st, fx.admin, kept.ID); !reflect.DeepEqual(got, beforeKept) {
			t.Errorf("a refused merge changed the kept record:\n%+v\nwant\n%+v", got, beforeKept)
		}

		m, err := st.People.Merge(ctx, fx.admin, kept.ID, other.ID, birge.MergeChoice{"family_name": birge.MergeOther,
			"center": birge.MergeOther, "safe_contact": birge.MergeOther, "email": birge.MergeKept, "patronymic": birge.MergeKept})
		if err != nil {
			t.Fatal(err)
		}
		got := wholeRecord(t, st, fx.admin, kept.ID)
		if got.FamilyName != "Zhumabaeva" || got.GivenName != "Айжан" || got.Patronymic != "" || got.CenterID != fx.kargaly.ID ||
			!got.MayCall || got.CallTimes != "10:00–12:00" || got.Email != "old@example.kz" || got.BirthDate != "1985-03-15" ||
			got.IIN != "850315401231" || len(got.Phones) != 2 || len(got.Consents) != 1 {
			t.Errorf("kept record after the merge: %+v", got)
		}
		es, err := st.ListAudit(ctx, fx.admin, store.AuditFilter{Entity: "person", EntityID: kept.ID, Action: "merge"})
		if err != nil || len(es) != 1 {
			t.Fatalf("merge entries %+v, %v", es, err)
		}
		if taken := fmt.Sprint(es[0].Changes["from_other"].After); taken != "[family_name center safe_contact]" {
			t.Errorf("the audit entry says %s came from the other record", taken)
		}

		if err := st.People.UndoMerge(ctx, fx.admin, kept.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if got := wholeRecord(t, st, fx.admin, kept.ID); !reflect.DeepEqual(got, beforeKept) {
			t.Errorf("kept record after undo:\n%+v\nwant\n%+v", got, beforeKept)
		}
	})
}

// TestMergePreviewCountsRelationsMoved: the merge screen counts the family links that
// move, not those the merge drops — a link between the two records, or to a relative the
// kept record is linked to already.
func TestMergePreviewCountsRelationsMoved(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		kept := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Жұмабаева", GivenName: "Айжан"})
		other := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Zhumabaeva", GivenName: "Aizhan"})
		child := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Жұмабаев", GivenName: "Нұрлан"})
		mother := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, FamilyName: "Серікова", GivenName: "Гүлнар"})
		for _, r := range []struct {
			from, to int64
			kind     string
		}{
			{kept.ID, child.ID, "child"},    // hers
			{other.ID, child.ID, "child"},   // the same child again: dropped
			{other.ID, kept.ID, "spouse"},   // to herself: dropped
			{other.ID, mother.ID, "parent"}, // moves
		} {
			if _, err := st.People.AddRelation(ctx, fx.coord, r.from, r.to, r.kind); err != nil {
				t.Fatal(err)
			}
		}
		pv, err := st.People.PreviewMerge(ctx, fx.coord, kept.ID, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if i := slices.IndexFunc(pv.Moves, func(m store.MergeMove) bool { return m.What == "relations" }); i < 0 || pv.Moves[i].Count != 1 {
			t.Errorf("moves %v, want one family link", pv.Moves)
		}
	})
}
