package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// closedOutcomes counts the outcomes a case's closing recorded, by kind.
func closedOutcomes(t *testing.T, st *store.Store, caseID int64) map[string]int {
	t.Helper()
	rows, err := st.DB().Query(`SELECT kind FROM outcomes WHERE source = 'case' AND source_id = ` + itoa(caseID))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var kind string
		if err := rows.Scan(&kind); err != nil {
			t.Fatal(err)
		}
		out[kind]++
	}
	return out
}

// TestCaseClose: each mistake in a closing is named by its field and changes nothing;
// only those who manage the case close it; a closing records its outcome in both
// partners' lives in the same transaction (a kind the organisation retired refuses the
// whole closing); a closed case refuses edits, screenings and a second closing; the
// agreement is sealed; reopening needs a reason, keeps the history and withdraws the
// outcomes; a case at risk records its withdrawal as a kind of its own.
func TestCaseClose(t *testing.T) {
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		fx := newPeopleFixture(t, st)
		her, him := fx.couple(t, fx.coord, fx.aktobe.ID)
		k, err := st.Cases.Create(ctx, fx.coord, familyCase(fx.aktobe.ID, her.ID, him.ID))
		if err != nil {
			t.Fatal(err)
		}
		five, nine := 5, 9
		for field, cl := range map[string]birge.CaseClosing{
			"outcome":      {Outcome: "divorced", ClosedOn: "2026-12-01"},
			"closed_on":    {Outcome: "reconciled", ClosedOn: "2027-01-02"}, // after her today
			"satisfaction": {Outcome: "reconciled", ClosedOn: "2026-12-01", Satisfaction: &nine},
			"agreement":    {Outcome: "agreed_separation", ClosedOn: "2026-12-01"},
		} {
			if _, err := st.Cases.CloseWithOutcome(ctx, fx.coord, k.ID, cl); birge.AsError(err).Fields[field] == "" || len(birge.AsError(err).Fields) != 1 {
				t.Errorf("%s: %v, want a problem on it alone", field, err)
			}
		}
		unfiled := familyCase(fx.aktobe.ID, her.ID)
		unfiled.DivorceFiled, unfiled.DivorceFiledOn, unfiled.DivorceCourt = false, "", ""
		if unfiled, err = st.Cases.Create(ctx, fx.coord, unfiled); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Cases.CloseWithOutcome(ctx, fx.coord, unfiled.ID, birge.CaseClosing{Outcome: birge.CaseReconciledWithdrawn,
			ClosedOn: "2026-12-01"}); birge.AsError(err).Fields["outcome"] != "case.withdrawn_not_filed" {
			t.Errorf("withdrawn with no application filed: %v", err)
		}
		for _, cl := range []birge.CaseClosing{{Outcome: "reconciled", ClosedOn: "2026-11-01"}, // before the intake
			{Outcome: "reconciled", ClosedOn: "2026-12-01", Agreement: "Дети остаются с матерью"}, {Outcome: "reconciled", ClosedOn: "1.12.2026"}} {
			if _, err := st.Cases.CloseWithOutcome(ctx, fx.coord, k.ID, cl); birge.AsError(err) == nil || birge.AsError(err).Kind != birge.KindInvalid {
				t.Errorf("%+v: %v, want refused", cl, err)
			}
		}
		ok := birge.CaseClosing{Outcome: birge.CaseReconciledWithdrawn, ClosedOn: "2026-12-01", Satisfaction: &five}
		for _, a := range []*birge.Actor{fx.caseworker, fx.analyst, fx.trainer} {
			if _, err := st.Cases.CloseWithOutcome(ctx, a, k.ID, ok); !errors.Is(err, birge.ErrNotFound) {
				t.Errorf("closing by %d: %v, want not found", a.UserID, err)
			}
			if _, err := st.Cases.Figures(ctx, a, fx.aktobe.ID, "", ""); a != fx.analyst && err == nil {
				t.Errorf("Aktobe's figures to %d", a.UserID)
			}
		}
		// A kind the organisation retired refuses the whole closing: nothing is half done.
		if _, err := store.Exec(ctx, st, `UPDATE outcome_kinds SET retired_at = CURRENT_TIMESTAMP WHERE code = 'divorce_application_withdrawn'`); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Cases.CloseWithOutcome(ctx, fx.coord, k.ID, ok); birge.AsError(err).Fields["outcome"] != "case.outcome_kind_retired" {
			t.Errorf("closing into a retired kind: %v", err)
		}
		if got, _ := st.Cases.Get(ctx, fx.coord, k.ID); got.Status != birge.CaseIntake || len(closedOutcomes(t, st, k.ID)) != 0 {
			t.Fatalf("a refused closing left %s and %v", got.Status, closedOutcomes(t, st, k.ID))
		}
		if _, err := store.Exec(ctx, st, `UPDATE outcome_kinds SET retired_at = NULL`); err != nil {
			t.Fatal(err)
		}
		closed, err := st.Cases.CloseWithOutcome(ctx, fx.coord, k.ID, ok)
		if err != nil || closed.Status != birge.CaseClosed || closed.Outcome != ok.Outcome || closed.ClosedOn != "2026-12-01" {
			t.Fatalf("closing: %+v, %v", closed, err)
		}
		if got := closedOutcomes(t, st, k.ID); got["divorce_application_withdrawn"] != 2 || len(got) != 1 {
			t.Errorf("outcomes of the closing: %v, want one withdrawal for each partner", got)
		}
		if _, err := st.Cases.CloseWithOutcome(ctx, fx.coord, k.ID, ok); birge.AsError(err) == nil || birge.AsError(err).Kind != birge.KindConflict {
			t.Errorf("closing twice: %v", err)
		}
		closed.Status = birge.CaseActive
		if _, err := st.Cases.Update(ctx, fx.coord, closed); birge.AsError(err) == nil || birge.AsError(err).Key != "case.closed" {
			t.Errorf("editing a closed case: %v", err)
		}
		if _, err := st.Cases.Reopen(ctx, fx.coord, k.ID, "  "); birge.AsError(err).Fields["reason"] == "" {
			t.Errorf("reopening without a reason: %v", err)
		}
		reason := "Ержан снова пьёт; Динара просит помощи"
		reopened, err := st.Cases.Reopen(ctx, fx.coord, k.ID, reason)
		if err != nil || reopened.Status != birge.CaseActive || reopened.Outcome != "" || reopened.ClosedOn != "" {
			t.Fatalf("reopening: %+v, %v", reopened, err)
		}
		if got := closedOutcomes(t, st, k.ID); len(got) != 0 {
			t.Errorf("a reopened case keeps the outcomes %v", got)
		}
		if _, err := st.Cases.Reopen(ctx, fx.coord, k.ID, reason); birge.AsError(err) == nil || birge.AsError(err).Key != "case.not_closed" {
			t.Errorf("reopening an open case: %v", err)
		}
		agreement := "Айгерим остаётся с матерью; квартира делится пополам"
		if _, err := st.Cases.CloseWithOutcome(ctx, fx.coord, k.ID, birge.CaseClosing{Outcome: birge.CaseAgreedSeparation,
			ClosedOn: "2026-12-20", Agreement: agreement}); err != nil {
			t.Fatal(err)
		}
		if got := closedOutcomes(t, st, k.ID); got["separation_agreed"] != 2 || len(got) != 1 {
			t.Errorf("outcomes of the second closing: %v", got)
		}
		history, err := st.Cases.Closings(ctx, fx.coord, k.ID)
		if err != nil || len(history) != 3 || history[0].Action != "close" || *history[0].Satisfaction != 5 ||
			history[1].Action != "reopen" || history[1].Reason != reason || history[2].Agreement != agreement {
			t.Fatalf("history: %+v, %v", history, err)
		}
		// The agreement and the reason are sealed in the database, and in the audit log.
		for _, plain := range []string{agreement, reason} {
			if n, _ := store.QueryInt(ctx, st, `SELECT COUNT(*) FROM case_closings WHERE agreement LIKE ? OR reason LIKE ?`,
				"%"+plain[:8]+"%", "%"+plain[:8]+"%"); n != 0 {
				t.Errorf("%q is readable in case_closings", plain)
			}
		}
		if _, err := st.Cases.Closings(ctx, fx.caseworker, k.ID); !errors.Is(err, birge.ErrNotFound) {
			t.Errorf("the history to a case worker of another centre: %v", err)
		}

		// A case screened above none records its withdrawal as a kind of its own, even
		// after the flag was lifted.
		risky, err := st.Cases.Create(ctx, fx.coord, familyCase(fx.aktobe.ID, her.ID, him.ID))
		if err != nil {
			t.Fatal(err)
		}
		answers := map[string]bool{}
		for _, q := range birge.DefaultQuestions {
			answers[q.Code] = q.Code == "insults"
		}
		if _, err := st.Screenings.Create(ctx, fx.coord, risky.ID, birge.Screening{PersonID: her.ID, Alone: true, Answers: answers}); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Cases.Override(ctx, fx.coord, risky.ID, "Он уехал; она в безопасности"); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Cases.CloseWithOutcome(ctx, fx.coord, risky.ID, birge.CaseClosing{Outcome: birge.CaseReconciledWithdrawn, ClosedOn: "2026-12-10"}); err != nil {
			t.Fatal(err)
		}
		if got := closedOutcomes(t, st, risky.ID); got["divorce_withdrawn_at_risk"] != 2 || len(got) != 1 {
			t.Errorf("a case at risk closed as withdrawn recorded %v", got)
		}
		if _, err := st.Screenings.Create(ctx, fx.coord, risky.ID, birge.Screening{PersonID: her.ID, Alone: true, Answers: answers}); birge.AsError(err) == nil {
			t.Errorf("a closed case screened")
		}
		// Anonymising her blanks the agreement and the reason; the history stays.
		if err := st.People.Anonymise(ctx, fx.admin, her.ID); err != nil {
			t.Fatal(err)
		}
		history, err = st.Cases.Closings(ctx, fx.coord, k.ID)
		if err != nil || len(history) != 3 || history[2].Agreement != "" || history[1].Reason != "" {
			t.Errorf("history after anonymisation: %+v, %v", history, err)
		}
	})
}
