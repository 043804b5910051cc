package web

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestScreeningsAPI: a screening not alone, or half answered, is a problem+json by field
// in the caller's language; a severe one flags the case; another centre's worker reads
// nothing; lifting the flag needs a reason, and the Big List of Naughty Strings goes
// through that reason, each stored as sent or refused on the field.
func TestScreeningsAPI(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	ru := i18n.For("ru")
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("coordinator@birge.example", "screenings")
		_, kargaly := s.token("caseworker@birge.example", "screenings")
		ctx, sys := context.Background(), birge.System("t")
		aktobe := s.center("Aktobe family centre").ID
		her, err := st.People.Create(ctx, sys, birge.Person{CenterID: aktobe, GivenName: "Айгүл", Sex: "female"})
		if err != nil {
			t.Fatal(err)
		}
		k, err := st.Cases.Create(ctx, sys, birge.Case{CenterID: aktobe, PartnerIDs: []int64{her.ID}, IntakeDate: "2026-11-02",
			Reasons: []string{"violence"}, CameFrom: "self"})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/cases/" + strconv.FormatInt(k.ID, 10)
		screen := func(alone bool, fear int, yes ...string) map[string]any {
			answers := map[string]bool{}
			for _, q := range birge.DefaultQuestions {
				answers[q.Code] = false
			}
			for _, code := range yes {
				answers[code] = true
			}
			return map[string]any{"person_id": her.ID, "alone": alone, "answers": answers, "fear": fear}
		}

		var p problem
		res := s.api(tok, http.MethodPost, path+"/screenings", screen(false, 11))
		if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity || p.Errors["alone"] != ru.T("screening.not_alone") ||
			p.Errors["fear"] == "" || len(p.Errors) != 2 {
			t.Fatalf("not alone, fear 11: %d %s", res.StatusCode, res.Body)
		}
		var sg birge.Screening
		res = s.api(tok, http.MethodPost, path+"/screenings", screen(true, 2, "beating"))
		if decodeJSON(t, res, &sg); res.StatusCode != http.StatusCreated || sg.Result != birge.RiskSevere {
			t.Fatalf("screening: %d %s", res.StatusCode, res.Body)
		}
		var got birge.Case
		if decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &got); !got.Flagged || got.Risk != birge.RiskSevere {
			t.Errorf("after a severe screening: %+v", got)
		}
		var l struct{ Items []birge.Screening }
		if decodeJSON(t, s.api(tok, http.MethodGet, path+"/screenings", nil), &l); len(l.Items) != 1 || !l.Items[0].Answers["beating"] {
			t.Errorf("screenings: %+v", l.Items)
		}
		if res := s.api(kargaly, http.MethodGet, path+"/screenings", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("the Kargaly case worker reads: %d, want 404", res.StatusCode)
		}
		p = problem{}
		res = s.api(tok, http.MethodPost, path+"/override", map[string]string{"reason": ""})
		if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity || p.Errors["reason"] != ru.T("field.required") {
			t.Errorf("no reason: %d %s", res.StatusCode, res.Body)
		}

		allowed := textRefusals("ru")
		tally := map[string]int{}
		for _, v := range lines {
			tryValue(t, v, []string{"reason"}, http.StatusOK, func([]string) (int, map[string]string, string) {
				res := s.api(tok, http.MethodPost, path+"/override", map[string]string{"reason": v})
				var p problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &p)
				}
				return res.StatusCode, p.Errors, res.Body
			}, func([]string) {
				var got birge.Case
				decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &got)
				if got.Flagged || got.Override == nil || got.Override.Reason != asSent(v) {
					t.Errorf("%q as the reason: read back as %+v", v, got.Override)
				}
				// Flagged again for the next one.
				if res := s.api(tok, http.MethodPost, path+"/screenings", screen(true, 0, "insults")); res.StatusCode != http.StatusCreated {
					t.Fatalf("screening again: %d %s", res.StatusCode, res.Body)
				}
			}, allowed, tally)
		}
		if tally["stored"] < 400 {
			t.Errorf("only %d of %d naughty reasons stored", tally["stored"], len(lines))
		}
	})
}
