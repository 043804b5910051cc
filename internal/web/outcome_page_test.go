package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/store"
)

// TestOutcomesOnHerPage: the Aktobe coordinator (Russian) records an outcome on her
// page. A program renamed .pdf, a file over 5 MB and a body too large to read are each
// refused beside the file's field in Russian, the evidence typed kept and nothing
// recorded; a PDF is kept, listed with its outcome, downloaded whole as an attachment,
// replaced and removed on the edit page; the outcome is on her timeline and in her
// dossier, and deleted.
func TestOutcomesOnHerPage(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	c := s.login("coordinator@birge.example")
	ctx, sys := context.Background(), birge.System("t")
	her, err := s.st.People.Create(ctx, sys,
		birge.Person{CenterID: s.center("Aktobe family centre").ID, GivenName: "Айгүл", FamilyName: "Сейтова"})
	if err != nil {
		t.Fatal(err)
	}
	page := "/people/" + strconv.FormatInt(her.ID, 10)
	doc := parseHTML(t, s.get(c, page).Body)
	if in := first(doc, byID("f-outcome_date")); in == nil || attr(in, "value") != "2027-01-01" {
		t.Fatalf("the outcome form offers the day %q, want the coordinator's 2027-01-01", attr(in, "value"))
	}
	if sel := first(doc, byID("f-outcome_kind")); sel == nil || !strings.Contains(text(sel), "Открыла своё дело") {
		t.Fatalf("the outcome form does not offer kinds in Russian")
	}
	if got := text(first(doc, byID("outcomes"))); !strings.Contains(got, "Результатов пока нет.") {
		t.Errorf("no outcomes yet reads %q", got)
	}
	ru := i18n.For("ru")
	fields := map[string]string{"outcome_kind": "business_started", "outcome_date": "2026-12-30",
		"outcome_value": "250000", "outcome_currency": "KZT", "evidence": "Патент №7 <b>ИП</b>"}
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 512)...)
	big := append(append([]byte{}, testPDF...), make([]byte, birge.MaxEvidenceBytes)...)
	for _, c2 := range []struct {
		name    string
		content []byte
		want    string
	}{
		{"contract.pdf", exe, "outcome.file_type"},
		{"scan.pdf", big, "outcome.file_too_large"},
		{"scan.pdf", append(big, make([]byte, 3<<20)...), "outcome.file_too_large"},
	} {
		res := s.do(c, http.MethodPost, page+"/outcomes", upload{fields: fields, field: "evidence_file", name: c2.name, content: c2.content}, nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("%s of %d bytes: %d", c2.name, len(c2.content), res.StatusCode)
		}
		doc := parseHTML(t, res.Body)
		if e := first(doc, byID("e-evidence_file")); e == nil || text(e) != ru.T(c2.want) {
			t.Errorf("%s of %d bytes: the file's error is %v, want %q", c2.name, len(c2.content), e, ru.T(c2.want))
		}
	}
	res := s.do(c, http.MethodPost, page+"/outcomes", upload{fields: fields, field: "evidence_file", name: "contract.pdf", content: exe}, nil)
	if in := first(parseHTML(t, res.Body), byID("f-evidence")); in == nil || text(in) != fields["evidence"] {
		t.Errorf("the evidence typed is lost on a refused form")
	}
	if l, _ := s.st.Outcomes.List(ctx, sys, store.OutcomeFilter{PersonID: her.ID}); len(l) != 0 {
		t.Fatalf("refused files recorded %d outcomes", len(l))
	}
	res = s.do(c, http.MethodPost, page+"/outcomes", upload{fields: fields, field: "evidence_file", name: "Патент.pdf", content: testPDF}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("a right outcome: %d\n%s", res.StatusCode, res.Body)
	}
	list, err := s.st.Outcomes.List(ctx, sys, store.OutcomeFilter{PersonID: her.ID})
	if err != nil || len(list) != 1 || list[0].Value == nil || list[0].Value.Amount != 25000000 || list[0].File == nil {
		t.Fatalf("her outcomes: %+v, %v", list, err)
	}
	o := list[0]
	doc = parseHTML(t, s.get(c, page).Body)
	outcomes := text(first(doc, byID("outcomes")))
	for _, want := range []string{"Открыла своё дело", "30.12.2026", "KZT", "Патент №7 <b>ИП</b>", "Патент.pdf", "Айгүл Серікова"} {
		if !strings.Contains(outcomes, want) {
			t.Errorf("her outcomes lack %q: %s", want, outcomes)
		}
	}
	if history := text(first(doc, byID("timeline"))); !strings.Contains(history, "Результат записан") {
		t.Errorf("her history does not show the outcome: %s", history)
	}
	checkScripts(t, doc, "her page")
	file := page + "/outcomes/" + strconv.FormatInt(o.ID, 10) + "/file"
	res = s.get(c, file)
	if res.StatusCode != http.StatusOK || !bytes.Equal([]byte(res.Body), testPDF) || res.Header.Get("Content-Type") != "application/pdf" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download: %d %v", res.StatusCode, res.Header)
	}
	if res := s.get(s.login("caseworker@birge.example"), file); res.StatusCode != http.StatusNotFound {
		t.Errorf("the Kargaly case worker downloads her file: %d", res.StatusCode)
	}
	// The edit page: a tick removes the file; the value is shown in whole tenge.
	edit := page + "/outcomes/" + strconv.FormatInt(o.ID, 10) + "/edit"
	doc = parseHTML(t, s.get(c, edit).Body)
	if in := first(doc, byID("f-outcome_value")); in == nil || attr(in, "value") != "250000" {
		t.Errorf("the edit page shows the value %q, want 250000", attr(in, "value"))
	}
	res = s.postForm(c, edit, url.Values{"outcome_kind": {"business_started"}, "outcome_date": {"2026-12-30"},
		"outcome_value": {"250000"}, "outcome_currency": {"KZT"}, "evidence": {"Патент"}, "drop_file": {"on"}}, nil)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", res.StatusCode, res.Body)
	}
	if o, err = s.st.Outcomes.Get(ctx, sys, o.ID); err != nil || o.File != nil || o.Evidence != "Патент" {
		t.Errorf("after the edit: %+v, %v", o, err)
	}
	dossier := text(first(parseHTML(t, s.get(c, page+"/dossier").Body), byID("outcomes")))
	if !strings.Contains(dossier, "Открыла своё дело") {
		t.Errorf("her dossier's outcomes: %s", dossier)
	}
	if res := s.postForm(c, page+"/outcomes/"+strconv.FormatInt(o.ID, 10)+"/delete", url.Values{}, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	if l, _ := s.st.Outcomes.List(ctx, sys, store.OutcomeFilter{PersonID: her.ID}); len(l) != 0 {
		t.Errorf("deleted, yet %d remain", len(l))
	}
}
