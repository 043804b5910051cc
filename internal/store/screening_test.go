package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// answers are every default question answered no, but for those given.
func answers(yes ...string) map[string]bool {
	out := map[string]bool{}
	for _, q := range birge.DefaultQuestions {
		out[q.Code] = false
	}
	for _, code := range yes {
		out[code] = true
	}
	return out
}

// TestScreeningGate: a screening not alone is refused; a lethality indicator flags the
// case as danger; its answers are sealed, read only by the case's workers and its
// supervisors (each read in her access log), and erased with her; the flag lifts only
// by case.override with a reason, audited.
func TestScreeningGate(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her, him := fx.couple(t, fx.fpcAdmin, fx.kargaly.ID)
		k := familyCase(fx.kargaly.ID, her.ID, him.ID)
		k.MediatorID = fx.caseworker.UserID
		k, err := st.Cases.Create(ctx, fx.fpcAdmin, k)
		if err != nil {
			t.Fatal(err)
		}
		w3, _ := fx.couple(t, fx.fpcAdmin, fx.kargaly.ID)
		other, err := st.Cases.Create(ctx, fx.fpcAdmin, familyCase(fx.kargaly.ID, w3.ID))
		if err != nil {
			t.Fatal(err)
		}

		notAlone := birge.Screening{PersonID: her.ID, Answers: answers("strangling"), Fear: 9}
		if _, err := st.Screenings.Create(ctx, fx.caseworker, k.ID, notAlone); birge.AsError(err).Fields["alone"] != "screening.not_alone" {
			t.Errorf("not alone: %v", err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM screenings`); n != 0 {
			t.Errorf("%d screenings saved from a refused one", n)
		}
		alone := notAlone
		alone.Alone = true
		sg, err := st.Screenings.Create(ctx, fx.caseworker, k.ID, alone)
		if err != nil || sg.Result != birge.RiskDanger || sg.VersionID == 0 {
			t.Fatalf("screening: %+v, %v", sg, err)
		}
		if k, _ = st.Cases.Get(ctx, fx.caseworker, k.ID); !k.Flagged || k.Risk != birge.RiskDanger || !k.NeedsReview {
			t.Errorf("after danger: %+v", k)
		}

		// Sealed: neither the codes nor the fear are in the database.
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM screenings WHERE answers LIKE '%strangling%'
			OR answers LIKE '%fear%'`); n != 0 {
			t.Errorf("answers readable in the database")
		}
		// Audited, with her key: the result is not readable in the entry either.
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'screening' AND entity_id = ?`, sg.ID); n != 1 {
			t.Errorf("%d entries about the screening", n)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'screening' AND changes LIKE '%danger%'`); n != 0 {
			t.Errorf("the screening's entry is not sealed")
		}

		// Who reads the answers: the assigned worker and the supervisor; no one else.
		for _, a := range []*birge.Actor{fx.caseworker, fx.fpcAdmin} {
			l, err := st.Screenings.List(ctx, a, k.ID)
			if err != nil || len(l) != 1 || !l[0].Answers["strangling"] || l[0].Fear != 9 {
				t.Errorf("%s: %+v, %v", a.Name, l, err)
			}
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM access_log WHERE person_id = ? AND action = 'screening_view'`, her.ID); n != 2 {
			t.Errorf("%d access lines, want 2", n)
		}
		for name, a := range map[string]*birge.Actor{"trainer": fx.trainer, "analyst": fx.analyst, "Aktobe coordinator": fx.coord} {
			if _, err := st.Screenings.List(ctx, a, k.ID); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("%s reads: %v", name, err)
			}
			if _, err := st.Screenings.Create(ctx, a, k.ID, alone); birge.KindOf(err) != birge.KindNotFound {
				t.Errorf("%s screens: %v", name, err)
			}
		}
		// Another case worker of the centre: the worker of one case is not of the other.
		if _, err := st.Screenings.List(ctx, fx.caseworker, other.ID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("case worker reads a case not hers: %v", err)
		}

		// The flag: not lifted by the worker, nor without a reason.
		if _, err := st.Cases.Override(ctx, fx.caseworker, k.ID, "she left him"); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("worker lifts: %v", err)
		}
		if _, err := st.Cases.Override(ctx, fx.fpcAdmin, k.ID, " "); birge.AsError(err).Fields["reason"] == "" {
			t.Errorf("no reason: %v", err)
		}
		lifted, err := st.Cases.Override(ctx, fx.fpcAdmin, k.ID, "Он в заключении до 2030 года")
		if err != nil || lifted.Flagged || lifted.Override == nil || lifted.Override.By != fx.fpcAdmin.UserID ||
			lifted.Risk != birge.RiskDanger {
			t.Errorf("lifted: %+v, %v", lifted, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'case' AND entity_id = ?
			AND changes LIKE '%override_reason%'`, k.ID); n != 1 {
			t.Errorf("%d override entries", n)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%заключении%'`); n != 0 {
			t.Errorf("override reason unsealed in the audit log")
		}
		// The review takes the danger case off the top, by a supervisor only.
		if _, err := st.Cases.Review(ctx, fx.caseworker, k.ID); birge.KindOf(err) != birge.KindForbidden {
			t.Errorf("worker reviews: %v", err)
		}
		if r, err := st.Cases.Review(ctx, fx.fpcAdmin, k.ID); err != nil || r.NeedsReview {
			t.Errorf("reviewed: %+v, %v", r, err)
		}

		// Neither partner's record carries what a screening found, nor the reason the flag
		// was lifted: not his (the answers were hers), not hers (a dossier is an export).
		for _, id := range []int64{her.ID, him.ID} {
			d, err := st.People.Dossier(ctx, fx.fpcAdmin, id)
			if err != nil || len(d.Cases) != 1 {
				t.Fatalf("dossier: %+v, %v", d.Cases, err)
			}
			if k := d.Cases[0]; k.Risk != "" || k.Flagged || k.Override != nil || k.NeedsReview || len(k.ScreenedIDs) != 0 {
				t.Errorf("a dossier shows the screening's finding: %+v", k)
			}
		}

		// Anonymised, her screening goes with her.
		if err := st.People.Anonymise(ctx, fx.fpcAdmin, her.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM screenings WHERE person_id = ?`, her.ID); n != 0 {
			t.Errorf("%d screenings left after anonymisation", n)
		}
	})
}

// TestScreeningQuestions: the default questionnaire, the same version twice.
func TestScreeningQuestions(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		v1, err := st.Screenings.Questions(ctx, fx.caseworker, fx.kargaly.OrgID)
		v2, _ := st.Screenings.Questions(ctx, fx.fpcAdmin, fx.kargaly.OrgID)
		if err != nil || v1.VersionID == 0 || v1.VersionID != v2.VersionID || len(v1.Questions) != len(birge.DefaultQuestions) ||
			!strings.HasPrefix(v1.Questions[0].TextKK, "Жұбайыңыз") {
			t.Errorf("questions: %+v %+v, %v", v1.VersionID, v2.VersionID, err)
		}
		if _, err := st.Screenings.Questions(ctx, fx.trainer, fx.kargaly.OrgID); birge.KindOf(err) != birge.KindNotFound {
			t.Errorf("trainer: %v", err)
		}
	})
}
