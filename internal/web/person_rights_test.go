package web

import (
	"archive/zip"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/peoplefile"
	"github.com/birge-org/birge/internal/store"
	"github.com/birge-org/birge/internal/xlsx"
)

// survivorAt registers, as the system, a woman with a sensitive category at a centre.
func survivorAt(t *testing.T, s *site, center string) birge.Person {
	t.Helper()
	p, err := s.st.People.Create(context.Background(), birge.System("t"), birge.Person{CenterID: s.center(center).ID,
		FamilyName: "Досмағамбетова", GivenName: "Меруерт", IIN: "850315401231", Phones: []string{"87011234567"},
		Categories: []string{"dv_survivor", "rural"}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The Aktobe coordinator (Russian) downloads the filtered list: headers and labels in
// Russian, the IIN masked, the survivor category shown to her; the export is audited
// with its row count. The case worker, without the right, sees no buttons.
func TestPeopleExportFiles(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	survivorAt(t, s, "Aktobe family centre")
	ru := i18n.For("ru")
	coord := s.login("coordinator@birge.example")

	list := s.get(coord, "/people?q=Меруерт")
	if !strings.Contains(list.Body, `href="/people/export.csv?q=`) || !strings.Contains(list.Body, ru.T("person.export_xlsx")) {
		t.Errorf("the list page has no download buttons for the coordinator")
	}
	res := s.get(coord, "/people/export.csv?q=Меруерт")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("CSV export: %d %s %s\n%.500s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), res.Body)
	}
	lines := strings.Split(strings.TrimSuffix(res.Body, "\r\n"), "\r\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "\uFEFF"+ru.T("person.record_number")+","+ru.T("person.family_name")) {
		t.Fatalf("CSV: want a Russian header and one row:\n%s", res.Body)
	}
	for _, want := range []string{"8503••••1231", ru.T("category.dv_survivor"), "+77011234567", "Досмағамбетова"} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("the exported row lacks %q:\n%s", want, lines[1])
		}
	}
	if strings.Contains(res.Body, "850315401231") {
		t.Error("the export holds the IIN in full")
	}

	res = s.get(coord, "/people/export.xlsx?q=Меруерт")
	rows, err := xlsx.Read(strings.NewReader(res.Body), int64(len(res.Body)))
	if err != nil || len(rows) != 2 || rows[0][0] != ru.T("person.record_number") || !strings.Contains(strings.Join(rows[1], "|"), ru.T("category.dv_survivor")) {
		t.Errorf("XLSX export: %v, %v", rows, err)
	}
	// Its tab says what it holds, in her language.
	if z, err := zip.NewReader(strings.NewReader(res.Body), int64(len(res.Body))); err != nil {
		t.Error(err)
	} else if f, err := z.Open("xl/workbook.xml"); err != nil {
		t.Error(err)
	} else if b, _ := io.ReadAll(f); !strings.Contains(string(b), `<sheet name="`+ru.T("person.export_sheet")+`"`) {
		t.Errorf("the XLSX sheet is not named %q: %s", ru.T("person.export_sheet"), b)
	}

	entries, err := s.st.ListAudit(context.Background(), birge.System("t"), store.AuditFilter{Action: "export", Entity: "person_list"})
	if err != nil || len(entries) != 2 || entries[0].Changes["rows"].After != float64(1) || entries[0].Changes["format"].After != "xlsx" {
		t.Errorf("export audit entries: %+v, %v", entries, err)
	}

	// A filter the list refuses is refused here too, as a page, not a download.
	if res := s.get(coord, "/people/export.csv?age_from=abc"); res.StatusCode != http.StatusUnprocessableEntity ||
		res.Header.Get("Content-Disposition") != "" {
		t.Errorf("export with a bad filter: %d, disposition %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	caseworker := s.login("caseworker@birge.example")
	if list := s.get(caseworker, "/people"); strings.Contains(list.Body, "/people/export.csv") {
		t.Error("the case worker is offered a download")
	}
	_, tok := s.token("caseworker@birge.example", "export")
	if res := s.api(tok, http.MethodGet, "/api/v1/people/export?format=csv", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("case worker's API export: %d, want 403", res.StatusCode)
	}
	_, tok = s.token("coordinator@birge.example", "export")
	if res := s.api(tok, http.MethodGet, "/api/v1/people/export?format=pdf", nil); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("export as pdf: %d, want 422", res.StatusCode)
	}
}

// The coordinator answers a woman's request: the page and the JSON file hold her IIN in
// full and her sensitive category; each is logged.
func TestPersonDossierPages(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	p := survivorAt(t, s, "Aktobe family centre")
	id := strconv.FormatInt(p.ID, 10)
	ru := i18n.For("ru")
	coord := s.login("coordinator@birge.example")

	show := s.get(coord, "/people/"+id)
	if !strings.Contains(show.Body, `href="/people/`+id+`/dossier"`) || !strings.Contains(show.Body, `href="/people/`+id+`/anonymise"`) {
		t.Error("her page does not offer the dossier and anonymisation to the coordinator")
	}
	page := s.get(coord, "/people/"+id+"/dossier")
	doc := parseHTML(t, page.Body)
	checkScripts(t, doc, "dossier")
	if page.StatusCode != http.StatusOK || text(first(doc, byID("identity"))) != "850315401231" ||
		!strings.Contains(text(first(doc, byID("categories"))), ru.T("category.dv_survivor")) {
		t.Errorf("dossier page: %d; want the IIN in full and the survivor category", page.StatusCode)
	}
	if h := text(first(doc, byID("history"))); !strings.Contains(h, ru.T("audit.action.create")) || !strings.Contains(h, "Меруерт") {
		t.Errorf("dossier history does not show her registration:\n%s", h)
	}
	res := s.get(coord, "/people/"+id+"/dossier.json")
	var d store.Dossier
	decodeJSON(t, res, &d)
	exports := 0
	for _, e := range d.AccessLog {
		if e.Action == "export" {
			exports++
		}
	}
	if !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") || d.Person.IIN != "850315401231" || exports != 2 {
		t.Errorf("dossier file: disposition %q, IIN %q, %d exports in the access log (want 2: the page and the file)",
			res.Header.Get("Content-Disposition"), d.Person.IIN, exports)
	}
}

// Anonymising needs the word typed: anything else, naughty strings included, is refused
// beside the field and changes nothing. The word in any language does it.
func TestAnonymiseConfirmation(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	p := survivorAt(t, s, "Aktobe family centre")
	path := "/people/" + strconv.FormatInt(p.ID, 10) + "/anonymise"
	ru := i18n.For("ru")
	coord := s.login("coordinator@birge.example")
	form := s.get(coord, path)
	if form.StatusCode != http.StatusOK || !strings.Contains(form.Body, "«"+ru.T("person.anonymise_word")+"»") {
		t.Fatalf("confirmation page: %d, without the word to type", form.StatusCode)
	}
	for _, v := range append(naughtyStrings(t), "", "обезличит", "anonymise!") {
		res := s.postForm(coord, path, url.Values{"confirm": {v}}, nil)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("confirm %q: %d, want 422", v, res.StatusCode)
		}
		doc := parseHTML(t, res.Body)
		checkScripts(t, doc, "confirm "+v)
		if e := first(doc, byID("e-confirm")); e == nil || text(e) != ru.T("person.anonymise_wrong") {
			t.Fatalf("confirm %q: no message beside the field", v)
		}
	}
	if _, err := s.st.People.Get(context.Background(), birge.System("t"), p.ID); err != nil {
		t.Fatalf("a refused confirmation anonymised her: %v", err)
	}
	res := s.postForm(coord, path, url.Values{"confirm": {" ИЕСІЗДЕНДІРУ "}}, nil) // Kazakh, in capitals
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/people" {
		t.Fatalf("confirmed: %d → %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res := s.get(coord, "/people/"+strconv.FormatInt(p.ID, 10)); res.StatusCode != http.StatusNotFound {
		t.Errorf("her page after anonymisation: %d, want 404", res.StatusCode)
	}
	// The audit page shows her past entries' values as erased, in the admin's language.
	admin := s.login("admin@birge.example")
	audit := s.get(admin, "/audit?entity=person&entity_id="+strconv.FormatInt(p.ID, 10))
	if !strings.Contains(audit.Body, i18n.For("kk").T("audit.erased")) || strings.Contains(audit.Body, "Меруерт") {
		t.Errorf("audit page after anonymisation: values not shown as erased")
	}
}

// People named with the naughty strings export without a 500 into files that read back
// with a row per person, in both formats.
func TestPeopleExportNaughtyNames(t *testing.T) {
	t.Parallel()
	s := sqliteSite(t, Config{})
	ctx, sys := context.Background(), birge.System("t")
	almaty := s.center("Mama Pro Almaty")
	stored := 1 // the demo's Olga
	for _, v := range naughtyStrings(t) {
		if _, err := s.st.People.Create(ctx, sys, birge.Person{CenterID: almaty.ID, GivenName: v, Settlement: v}); err == nil {
			stored++
		}
	}
	if stored < 300 {
		t.Fatalf("only %d of the naughty strings were stored as names", stored)
	}
	admin := s.login("admin@birge.example")
	query := "?center_id=" + strconv.FormatInt(almaty.ID, 10)
	res := s.get(admin, "/people/export.csv"+query)
	table, err := peoplefile.Read([]byte(res.Body))
	if res.StatusCode != http.StatusOK || err != nil || len(table.Rows) != stored {
		t.Fatalf("CSV: %d, %v, %d rows; want %d", res.StatusCode, err, len(table.Rows), stored)
	}
	res = s.get(admin, "/people/export.xlsx"+query)
	rows, err := xlsx.Read(strings.NewReader(res.Body), int64(len(res.Body)))
	if res.StatusCode != http.StatusOK || err != nil || len(rows) != stored+1 {
		t.Fatalf("XLSX: %d, %v, %d rows; want %d and the header", res.StatusCode, err, len(rows), stored)
	}
}
