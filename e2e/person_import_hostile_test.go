package e2e

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// A file of a million empty columns (issue 8) is refused at upload: the form comes back
// with the message beside the file field, in the coordinator's Russian, and the field
// marked invalid; no import page is opened.
func TestImportTooWide(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example" // Aktobe centre, in Russian
	p.login(coordinator, srv.password(t, coordinator))

	file := filepath.Join(t.TempDir(), "wide.csv")
	wide := strings.Repeat(",", 1_000_000) + "Имя\n" + strings.Repeat(",", 1_000_000) + "Айжан\n"
	if err := os.WriteFile(file, []byte(wide), 0o600); err != nil {
		t.Fatal(err)
	}
	p.open("/people/import")
	p.do("choose the file", chromedp.SetUploadFiles("#f-file", []string{file}))
	if resp := p.submit(`form[action="/people/import"] button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("upload: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got, want := p.text("#e-file"), i18n.For("ru").T("import.too_many_columns"); got != want {
		t.Errorf("beside the file: %q, want %q", got, want)
	}
	if js[string](p, `document.getElementById("f-file").getAttribute("aria-invalid")`) != "true" {
		t.Error("the file field is not marked invalid")
	}
	if p.location().Path != "/people/import" {
		t.Errorf("the upload led to %s", p.location())
	}
	p.axe("the import form with the refused file")
}
