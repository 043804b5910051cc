package store_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestQuestionnaireEdit: an organisation's administrator saves a new version (texts
// edited, a question added, one retired); it becomes the current one, while an earlier
// screening keeps the version it answered. Mistakes are named by the question's field;
// a coordinator may not edit; an edit made on an older version is refused.
func TestQuestionnaireEdit(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		org := fx.aktobe.OrgID
		her, _ := fx.couple(t, fx.coord, fx.aktobe.ID)
		k, err := st.Cases.Create(ctx, fx.coord, familyCase(fx.aktobe.ID, her.ID))
		if err != nil {
			t.Fatal(err)
		}
		old, err := st.Screenings.Create(ctx, fx.coord, k.ID, birge.Screening{PersonID: her.ID, Alone: true, Answers: answers()})
		if err != nil {
			t.Fatal(err)
		}

		qs := slices.Clone(birge.DefaultQuestions)
		qs[0].TextEN = "Does your partner call you names or humiliate you?"
		qs = slices.DeleteFunc(qs, func(q birge.Question) bool { return q.Code == "following" }) // retired
		qs = append(qs, birge.Question{Code: "money", Domain: "coercive_control", TextKK: "Ақшаңызды тартып ала ма?",
			TextRU: "Отбирает ли он ваши деньги?", TextKY: "Акчаңызды тартып алабы?", TextEN: "Does he take your money?"})

		if _, err := st.Screenings.SaveQuestions(ctx, fx.coord, org, 0, qs); err != birge.ErrForbidden {
			t.Errorf("a coordinator edits the questionnaire: %v", err)
		}
		bad := slices.Clone(qs)
		bad[1].TextKY = ""
		bad[2].Code = bad[0].Code
		bad[3].Domain = "gossip"
		e := birge.AsError(func() error { _, err := st.Screenings.SaveQuestions(ctx, fx.fpcAdmin, org, 0, bad); return err }())
		if e.Fields["questions.1.text_ky"] != "field.required" || e.Fields["questions.2.code"] != "kinds.code_taken" ||
			e.Fields["questions.3.domain"] != "field.choose" {
			t.Errorf("mistakes: %+v", e)
		}
		noLethal := slices.DeleteFunc(slices.Clone(qs), func(q birge.Question) bool { return q.Lethality })
		if _, err := st.Screenings.SaveQuestions(ctx, fx.fpcAdmin, org, 0, noLethal); birge.AsError(err).Fields["questions"] != "screening_edit.no_lethality" {
			t.Errorf("without a lethality question: %v", err)
		}

		v, err := st.Screenings.SaveQuestions(ctx, fx.fpcAdmin, org, old.VersionID, qs)
		if err != nil || v.VersionID == old.VersionID {
			t.Fatalf("saved: %+v, %v", v, err)
		}
		if _, err := st.Screenings.SaveQuestions(ctx, fx.fpcAdmin, org, old.VersionID, qs); err != birge.ErrChangedMeanwhile {
			t.Errorf("an edit of an older version: %v", err)
		}
		cur, err := st.Screenings.Questions(ctx, fx.coord, org)
		if err != nil || cur.VersionID != v.VersionID || len(cur.Questions) != len(qs) || cur.Questions[0].TextEN != qs[0].TextEN {
			t.Errorf("current: %+v, %v", cur, err)
		}
		// The old screening keeps its version, and that version its questions.
		l, err := st.Screenings.List(ctx, fx.coord, k.ID)
		if err != nil || len(l) != 1 || l[0].VersionID != old.VersionID {
			t.Fatalf("old screening: %+v, %v", l, err)
		}
		was, err := st.Screenings.Version(ctx, fx.coord, org, old.VersionID)
		if err != nil || len(was.Questions) != len(birge.DefaultQuestions) || was.Questions[6].Code != "following" {
			t.Errorf("the old version: %+v, %v", was, err)
		}
		// A new screening answers the new version: the retired question is unknown.
		withOld := answers()
		if _, err := st.Screenings.Create(ctx, fx.coord, k.ID, birge.Screening{PersonID: her.ID, Alone: true, Answers: withOld}); birge.AsError(err).Fields["answers"] == "" {
			t.Errorf("answers to the old version: %v", err)
		}
		delete(withOld, "following")
		withOld["money"] = true
		sg, err := st.Screenings.Create(ctx, fx.coord, k.ID, birge.Screening{PersonID: her.ID, Alone: true, Answers: withOld})
		if err != nil || sg.VersionID != v.VersionID || sg.Result != birge.RiskConcerning {
			t.Errorf("on the new version: %+v, %v", sg, err)
		}
		if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM audit_log WHERE entity = 'screening_version'`); n != 1 {
			t.Errorf("%d entries for one version", n)
		}
	})
}

// TestQuestionnaireNaughtyStrings: every naughty string as a question's text in each
// language is kept exactly in the new version, or refused by that very field.
func TestQuestionnaireNaughtyStrings(t *testing.T) {
	b, err := os.ReadFile("../../testdata/blns.txt")
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]bool{"field.invalid_chars": true, "field.invalid_utf8": true, "field.single_line": true,
		"field.required": true, "field.too_long": true}
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		org := fx.aktobe.OrgID
		for _, v := range strings.Split(string(b), "\n") {
			if v == "" || strings.HasPrefix(v, "#") {
				continue
			}
			qs := slices.Clone(birge.DefaultQuestions)
			qs[0].TextKK, qs[0].TextRU, qs[0].TextKY, qs[0].TextEN = v, v, v, v
			_, err := st.Screenings.SaveQuestions(ctx, fx.fpcAdmin, org, 0, qs)
			if err != nil {
				e := birge.AsError(err)
				for field, key := range e.Fields {
					if !strings.HasPrefix(field, "questions.0.text_") || !texts[key] {
						t.Errorf("%q: %s %s", v, field, key)
					}
				}
				continue
			}
			cur, err := st.Screenings.Questions(ctx, fx.coord, org)
			if err != nil || cur.Questions[0].TextKK != v || cur.Questions[0].TextEN != v {
				t.Errorf("%q kept as %q: %v", v, cur.Questions[0].TextKK, err)
			}
		}
	})
}
