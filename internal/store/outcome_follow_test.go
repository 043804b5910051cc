package store_test

import (
	"context"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestOutcomesFollowHer: merge moves her outcomes and undo brings them back, the file
// still opening with the key that sealed it; anonymisation keeps the rows, for the
// counts, without their evidence or files.
func TestOutcomesFollowHer(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		kept := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
		other := fx.register(t, fx.coord, birge.Person{CenterID: fx.aktobe.ID, GivenName: "Айгуль", FamilyName: "Сеитова"})
		var files []int64
		for _, id := range []int64{kept.ID, other.ID} {
			o := employed(id, "2026-05-02")
			o.Upload = &birge.EvidenceUpload{Name: "шарт.pdf", Content: pdf}
			o, err := st.Outcomes.Record(ctx, fx.coord, o)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, o.ID)
		}
		count := func(id int64) int {
			l, err := st.Outcomes.List(ctx, fx.coord, store.OutcomeFilter{PersonID: id})
			if err != nil {
				t.Fatal(err)
			}
			return len(l)
		}
		m, err := st.People.Merge(ctx, fx.coord, kept.ID, other.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := count(kept.ID); n != 2 {
			t.Errorf("after the merge she has %d outcomes, want 2", n)
		}
		if _, _, err := st.Outcomes.File(ctx, fx.coord, files[1]); err != nil {
			t.Errorf("the moved outcome's file after the merge: %v", err)
		}
		d, err := st.People.Dossier(ctx, fx.coord, kept.ID)
		if err != nil || len(d.Outcomes) != 2 {
			t.Errorf("her dossier has %d outcomes, want 2 (%v)", len(d.Outcomes), err)
		}
		if err := st.People.UndoMerge(ctx, fx.coord, kept.ID, m.ID); err != nil {
			t.Fatal(err)
		}
		if a, b := count(kept.ID), count(other.ID); a != 1 || b != 1 {
			t.Errorf("after undo: %d and %d, want 1 and 1", a, b)
		}
		total := func() int {
			n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM outcomes WHERE kind = 'employed'`)
			return n
		}
		before := total()
		if err := st.People.Anonymise(ctx, fx.coord, kept.ID); err != nil {
			t.Fatal(err)
		}
		if n := total(); n != before {
			t.Errorf("anonymisation changed the count of outcomes from %d to %d", before, n)
		}
		n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM outcomes WHERE person_id = ? AND evidence = ''`, kept.ID)
		f, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM outcome_files WHERE outcome_id = ?`, files[0])
		if n != 1 || f != 0 {
			t.Errorf("after anonymisation: %d of her outcomes without evidence (want 1), %d files (want 0)", n, f)
		}
		if _, _, err := st.Outcomes.File(ctx, fx.coord, files[1]); err != nil {
			t.Errorf("the other woman's file after her anonymisation: %v", err)
		}
	})
}

// TestSensitiveProgramOutcomes: a trainer never sees outcomes of a survivors'
// programme, on lists, by id, as files or on her timeline; the administrator does.
func TestSensitiveProgramOutcomes(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		p := counselling(fx.almaty.OrgID, fx.almaty.ID)
		p.Categories, p.Sensitive = nil, true
		survivors := fx.program(t, fx.admin, p)
		woman := fx.register(t, fx.admin, birge.Person{CenterID: fx.almaty.ID, GivenName: "Мадина", FamilyName: "Ким"})
		o := birge.Outcome{PersonID: woman.ID, Date: "2026-05-02", Kind: "divorce_application_withdrawn", ProgramID: &survivors.ID,
			Upload: &birge.EvidenceUpload{Name: "letter.pdf", Content: pdf}}
		o, err := st.Outcomes.Record(ctx, fx.admin, o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Outcomes.Record(ctx, fx.trainer, employed(woman.ID, "2026-05-03")); err != nil {
			t.Fatal(err)
		}
		if l, _ := st.Outcomes.List(ctx, fx.trainer, store.OutcomeFilter{PersonID: woman.ID}); len(l) != 1 || l[0].ProgramID != nil {
			t.Errorf("trainer lists %+v, want only the one outside the programme", l)
		}
		if _, err := st.Outcomes.Get(ctx, fx.trainer, o.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("trainer opens the survivors' outcome: %v", err)
		}
		if _, _, err := st.Outcomes.File(ctx, fx.trainer, o.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("trainer downloads the survivors' evidence: %v", err)
		}
		o.Evidence = "changed"
		if _, err := st.Outcomes.Update(ctx, fx.trainer, o); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("trainer changes the survivors' outcome: %v", err)
		}
		for who, want := range map[*birge.Actor]int{fx.trainer: 1, fx.admin: 2} {
			events, err := st.People.Timeline(ctx, who, woman.ID, "", 50)
			n := 0
			for _, e := range events {
				if e.Kind == "outcome" {
					n++
				}
			}
			if err != nil || n != want {
				t.Errorf("%s sees %d outcomes on her timeline, want %d (%v)", who.Name, n, want, err)
			}
		}
		if l, _ := st.Outcomes.List(ctx, fx.admin, store.OutcomeFilter{PersonID: woman.ID}); len(l) != 2 {
			t.Errorf("administrator lists %d, want 2", len(l))
		}
	})
}
