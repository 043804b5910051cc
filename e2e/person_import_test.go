package e2e

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A coordinator imports a spreadsheet with Russian headings. One row has a wrong IIN:
// the report names that row, in Russian, offers no "register" button, and nobody is
// written. Fixed, the file is checked again and applied, and its people can be found.
func TestImportPeople(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example" // Aktobe centre, in Russian
	ru := i18n.For("ru")
	p.login(coordinator, srv.password(t, coordinator))

	var rows strings.Builder
	rows.WriteString("Фамилия;Имя;ИИН;Телефон\n")
	for i := range 300 {
		fmt.Fprintf(&rows, "Импортова;Жанар%d;;+7700990%04d\n", i, i)
	}
	bad := strings.Replace(rows.String(), "Импортова;Жанар150;;", "Импортова;Жанар150;850315401232;", 1) // line 152
	dir := t.TempDir()
	upload := func(content string) {
		t.Helper()
		file := filepath.Join(dir, "people.csv")
		if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		p.open("/people/import")
		p.do("choose the file", chromedp.SetUploadFiles("#f-file", []string{file}))
		if resp := p.submit(`form[action="/people/import"] button[type=submit]`); resp.Status != http.StatusOK {
			t.Fatalf("upload: status %d; the page says:\n%s", resp.Status, p.body())
		}
		p.waitFor("#import-summary", 20*time.Second) // the page reloads itself while the check runs
	}

	upload(bad)
	cells := p.text("#import-problems tbody tr")
	if !strings.Contains(cells, "152") || !strings.Contains(cells, ru.T("iin.checksum")) {
		t.Errorf("the report does not name line 152 and its problem in Russian:\n%s", cells)
	}
	if p.exists("#import-apply") {
		t.Error("a file with a bad row offers to register its people")
	}
	list := p.sameSessionTab()
	list.open("/people?q=Импортова")
	if list.exists(`main table a[href^="/people/"]`) {
		t.Fatal("people of a refused file were written")
	}

	upload(rows.String())
	if !p.exists("#import-apply") {
		t.Fatalf("a good file offers no apply button:\n%s", p.text("main"))
	}
	p.submit("#import-apply")
	p.waitFor("#import-done", 20*time.Second)
	if got, want := p.text("#import-done"), ru.T("import.applied", "count", 300); got != want {
		t.Errorf("after the apply: %q, want %q", got, want)
	}
	list.open("/people?q=" + "+77009900150")
	if got := list.text("main table"); !strings.Contains(got, "Жанар150") {
		t.Errorf("an imported person is not found by her phone:\n%s", got)
	}
}

// waitFor reloads the page until sel is on it: an import's page refreshes itself while
// the work runs, and reloading by hand keeps the test off the refresh's timing.
func (p *tab) waitFor(sel string, limit time.Duration) {
	p.t.Helper()
	here := p.location().Path
	for end := time.Now().Add(limit); ; {
		if p.exists(sel) {
			return
		}
		if time.Now().After(end) {
			p.t.Fatalf("%s did not appear on %s within %s; the page says:\n%s", sel, here, limit, p.body())
		}
		time.Sleep(300 * time.Millisecond)
		p.open(here)
	}
}
