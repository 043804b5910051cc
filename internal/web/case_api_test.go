package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestCasesAPI: intake of a couple, each mistake a problem+json naming its field; a case
// out of sight is a 404; PATCH with If-Match (an old version is a 409, a read-only field
// a 422); the Big List of Naughty Strings through divorce_court, each stored as sent or
// refused on the field.
func TestCasesAPI(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("coordinator@birge.example", "cases")
		_, kargaly := s.token("caseworker@birge.example", "cases")
		aktobe := s.center("Aktobe family centre").ID
		var ids []int64
		for _, name := range []string{"Динара", "Ержан"} {
			p, err := st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: aktobe, GivenName: name})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		body := map[string]any{"center_id": aktobe, "partner_ids": []int64{ids[0], ids[0]}, "intake_date": "2026-11-02",
			"reasons": []string{"finances", "astrology"}, "came_from": "court", "divorce_filed": true, "divorce_court": "Ақтөбе соты"}
		res := s.api(tok, http.MethodPost, "/api/v1/cases", body)
		var p problem
		decodeJSON(t, res, &p)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") ||
			p.Errors["partner_ids"] == "" || p.Errors["reasons"] == "" || len(p.Errors) != 2 {
			t.Fatalf("a bad intake: %d %s", res.StatusCode, res.Body)
		}
		body["partner_ids"], body["reasons"] = ids, []string{"finances"}
		res = s.api(tok, http.MethodPost, "/api/v1/cases", body)
		var k birge.Case
		if decodeJSON(t, res, &k); res.StatusCode != http.StatusCreated || k.Status != "intake" || k.Flagged || k.Risk != "none" {
			t.Fatalf("intake: %d %s", res.StatusCode, res.Body)
		}
		path := "/api/v1/cases/" + strconv.FormatInt(k.ID, 10)
		if res := s.api(kargaly, http.MethodGet, path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET by the Kargaly case worker: %d, want 404", res.StatusCode)
		}
		var l struct{ Items []birge.Case }
		if decodeJSON(t, s.api(tok, http.MethodGet, "/api/v1/cases?status=intake", nil), &l); len(l.Items) != 1 || l.Items[0].ID != k.ID {
			t.Errorf("the list at intake: %+v", l.Items)
		}
		old := s.api(tok, http.MethodGet, path, nil).Header.Get("ETag")
		res = s.api(tok, http.MethodPatch, path, map[string]any{"status": "screening", "child_ids": []int64{}})
		if decodeJSON(t, res, &k); res.StatusCode != http.StatusOK || k.Status != "screening" || k.DivorceCourt != "Ақтөбе соты" {
			t.Errorf("PATCH of the status: %d %s", res.StatusCode, res.Body)
		}
		h := http.Header{"If-Match": {old}, "Authorization": {"Bearer " + tok}}
		if res := s.do(nil, http.MethodPatch, path, map[string]any{"status": "active"}, h); res.StatusCode != http.StatusConflict {
			t.Errorf("PATCH on an old version: %d, want 409", res.StatusCode)
		}
		for field, v := range map[string]any{"flagged": true, "risk": "none", "center_id": aktobe, "status": "closed"} {
			res := s.api(tok, http.MethodPatch, path, map[string]any{field: v})
			p = problem{}
			if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity || p.Errors[field] == "" {
				t.Errorf("PATCH of %s: %d %s, want 422 on it", field, res.StatusCode, res.Body)
			}
		}
		allowed := textRefusals("ru")
		tally := map[string]int{}
		for _, v := range lines {
			tryValue(t, v, []string{"divorce_court"}, http.StatusOK, func([]string) (int, map[string]string, string) {
				res := s.api(tok, http.MethodPatch, path, map[string]string{"divorce_court": v})
				var p problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &p)
				}
				return res.StatusCode, p.Errors, res.Body
			}, func([]string) {
				var got birge.Case
				decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &got)
				if got.DivorceCourt != asSent(v) {
					t.Errorf("%q as the court: read back as %q", v, got.DivorceCourt)
				}
			}, allowed, tally)
		}
		if tally["stored"] < 400 {
			t.Errorf("only %d of %d naughty courts stored", tally["stored"], len(lines))
		}
	})
}
