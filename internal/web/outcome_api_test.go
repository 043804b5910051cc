package web

import (
	"context"
	"database/sql"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/testenv"
)

// TestOutcomesAPI: many at once all or none, a mistake named by its item; a woman out of
// the caller's sight is a 404; a value as money or a number; PATCH; the Big List of
// Naughty Strings through the evidence, each stored as sent or refused on the field.
func TestOutcomesAPI(t *testing.T) {
	t.Parallel()
	lines := naughtyStrings(t)
	testenv.Each(t, func(t *testing.T, st *store.Store) {
		t.Parallel()
		s := newSite(t, st, Config{})
		_, tok := s.token("admin@birge.example", "outcomes")
		_, kargaly := s.token("caseworker@birge.example", "outcomes")
		her, err := st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: s.center("Bishkek office").ID, GivenName: "Айнура"})
		if err != nil {
			t.Fatal(err)
		}
		item := func(date string) map[string]any {
			return map[string]any{"person_id": her.ID, "date": date, "kind": "employed", "value": 1}
		}
		res := s.api(tok, http.MethodPost, "/api/v1/outcomes", map[string]any{"items": []any{item("2026-03-01"),
			item("2026-03-02"), item("2026-03-03"), item("03.04.2026")}})
		var p problem
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("many with a bad fourth: %d %s", res.StatusCode, res.Body)
		}
		if decodeJSON(t, res, &p); p.Errors["items[3].date"] == "" || len(p.Errors) != 1 {
			t.Errorf("errors %v, want items[3].date only", p.Errors)
		}
		// Money without its currency is a mistake of the value's currency, not a body that
		// is not JSON.
		noCurrency := item("2026-03-01")
		noCurrency["value"] = map[string]any{"amount": 5}
		res = s.api(tok, http.MethodPost, "/api/v1/outcomes", noCurrency)
		p = problem{}
		if decodeJSON(t, res, &p); res.StatusCode != http.StatusUnprocessableEntity || p.Errors["value.currency"] == "" {
			t.Errorf("money without a currency: %d %v, want 422 on value.currency", res.StatusCode, p.Errors)
		}
		listed := func() []birge.Outcome {
			var l struct{ Items []birge.Outcome }
			decodeJSON(t, s.api(tok, http.MethodGet, "/api/v1/outcomes?person_id="+strconv.FormatInt(her.ID, 10), nil), &l)
			return l.Items
		}
		if l := listed(); len(l) != 0 {
			t.Fatalf("a refused batch recorded %d", len(l))
		}
		if res := s.api(kargaly, http.MethodPost, "/api/v1/outcomes", item("2026-03-01")); res.StatusCode != http.StatusNotFound {
			t.Errorf("an outcome of a woman out of sight: %d, want 404", res.StatusCode)
		}
		rise := map[string]any{"person_id": her.ID, "date": "2026-03-05", "kind": "income_increased",
			"value": map[string]any{"amount": 5000000, "currency": "KGS"}, "evidence": "Справка с работы"}
		res = s.api(tok, http.MethodPost, "/api/v1/outcomes", rise)
		var o birge.Outcome
		if decodeJSON(t, res, &o); res.StatusCode != http.StatusCreated || o.Value == nil || o.Value.Amount != 5000000 ||
			o.Value.Currency != "KGS" || o.Source != "manual" || o.File != nil {
			t.Fatalf("a rise in money: %d %s", res.StatusCode, res.Body)
		}
		if l := listed(); len(l) != 1 || l[0].ID != o.ID {
			t.Fatalf("her outcomes: %+v", l)
		}
		path := "/api/v1/outcomes/" + strconv.FormatInt(o.ID, 10)
		if res := s.api(kargaly, http.MethodGet, path, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET by a case worker of another centre: %d, want 404", res.StatusCode)
		}
		res = s.api(tok, http.MethodPatch, path, map[string]any{"value": 12})
		if decodeJSON(t, res, &o); res.StatusCode != http.StatusOK || o.Value == nil || *o.Value != (birge.OutcomeValue{Amount: 12}) {
			t.Errorf("PATCH to a number: %d %s", res.StatusCode, res.Body)
		}
		if res := s.api(tok, http.MethodPatch, path, map[string]any{"source": "cases"}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("PATCH of its source: %d, want 422", res.StatusCode)
		}
		if res := s.api(tok, http.MethodPatch, path, map[string]any{"value": map[string]any{"amount": 5}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("PATCH to money without a currency: %d, want 422", res.StatusCode)
		}
		// Its evidence file: a program renamed .pdf is refused by name, a PDF attached
		// and downloaded whole, then removed.
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 256)...)
		if res := s.api(tok, http.MethodPut, path+"/file?name=contract.pdf", exe); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body, `"evidence_file"`) {
			t.Errorf("PUT of a renamed program: %d %s", res.StatusCode, res.Body)
		}
		res = s.api(tok, http.MethodPut, path+"/file?name=%D1%88%D0%B0%D1%80%D1%82.pdf", testPDF)
		if decodeJSON(t, res, &o); res.StatusCode != http.StatusOK || o.File == nil || o.File.Name != "шарт.pdf" {
			t.Errorf("PUT of a PDF: %d %s", res.StatusCode, res.Body)
		}
		if res := s.api(tok, http.MethodGet, path+"/file", nil); res.StatusCode != http.StatusOK || res.Body != string(testPDF) {
			t.Errorf("GET of the file: %d", res.StatusCode)
		}
		if res := s.api(kargaly, http.MethodGet, path+"/file", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET of her file by a case worker of another centre: %d, want 404", res.StatusCode)
		}
		res = s.api(tok, http.MethodDelete, path+"/file", nil)
		if decodeJSON(t, res, &o); res.StatusCode != http.StatusOK || o.File != nil {
			t.Errorf("DELETE of the file: %d %s", res.StatusCode, res.Body)
		}
		allowed := textRefusals("kk")
		tally := map[string]int{}
		for _, v := range lines {
			tryValue(t, v, []string{"evidence"}, http.StatusOK, func(fields []string) (int, map[string]string, string) {
				res := s.api(tok, http.MethodPatch, path, map[string]string{"evidence": v})
				var p problem
				if res.StatusCode == http.StatusUnprocessableEntity {
					decodeJSON(t, res, &p)
				}
				return res.StatusCode, p.Errors, res.Body
			}, func([]string) {
				var got birge.Outcome
				decodeJSON(t, s.api(tok, http.MethodGet, path, nil), &got)
				if got.Evidence != asSent(v) {
					t.Errorf("%q in the evidence: read back as %q", v, got.Evidence)
				}
			}, allowed, tally)
		}
		if tally["stored"] < 400 {
			t.Errorf("only %d of %d naughty evidence texts stored", tally["stored"], len(lines))
		}
	})
}

// TestOutcomeOfAModule: an outcome a module recorded is changed and deleted only
// through the module: PATCH and DELETE answer 409 naming it, and it stays as it was.
func TestOutcomeOfAModule(t *testing.T) {
	t.Parallel()
	db := testenv.Database{Name: "sqlite", DataDir: t.TempDir()}
	s := openSite(t, db, Config{})
	_, tok := s.token("admin@birge.example", "module")
	her, err := s.st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: s.center("Bishkek office").ID, GivenName: "Айнура"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.st.Outcomes.Record(context.Background(), birge.System("t"), birge.Outcome{PersonID: her.ID, Date: "2026-03-01", Kind: "reconciled"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", filepath.Join(db.DataDir, "birge.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE outcomes SET source = 'cases', source_id = 7 WHERE id = ?`, o.ID); err != nil {
		t.Fatal(err)
	}
	path := "/api/v1/outcomes/" + strconv.FormatInt(o.ID, 10)
	for _, method := range []string{http.MethodPatch, http.MethodDelete} {
		var body any
		if method == http.MethodPatch {
			body = map[string]any{"evidence": "Татуласты"}
		}
		res := s.api(tok, method, path, body)
		var p problem
		if decodeJSON(t, res, &p); res.StatusCode != http.StatusConflict || !strings.Contains(p.Detail, "cases") {
			t.Errorf("%s of a module's outcome: %d %s, want 409 naming the module", method, res.StatusCode, res.Body)
		}
	}
	if got, err := s.st.Outcomes.Get(context.Background(), birge.System("t"), o.ID); err != nil || got.Evidence != "" {
		t.Errorf("after refused changes: %+v, %v", got, err)
	}
}
