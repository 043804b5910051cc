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

// The Aktobe coordinator, working in Kyrgyz, records an outcome on a woman's page: a
// program renamed .pdf is refused beside the file's field, in Kyrgyz, then the outcome
// with a real PDF is recorded and listed with its file. Her page with the Outcomes
// section passes axe on a desktop and on a 360 px phone, and fits the phone.
func TestRecordAnOutcome(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example"
	ky := i18n.For("ky")
	p.login(coordinator, srv.password(t, coordinator))
	p.submit(`form.switcher button[value="ky"]`)
	her := p.firstLink("/people", `^/people/[0-9]+$`)
	p.open(her)
	if got := js[string](p, `document.documentElement.lang`); got != "ky" {
		t.Fatalf("her page is in %q, want ky", got)
	}
	if got := p.value("f-outcome_date"); got == "" {
		t.Fatalf("the outcome form offers no day")
	}
	dir := t.TempDir()
	exe, pdf := filepath.Join(dir, "келишим.pdf"), filepath.Join(dir, "патент.pdf")
	if err := os.WriteFile(exe, append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 256)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const record = `form[action$="/outcomes#outcomes"] button[type=submit]`
	p.choose("f-outcome_kind", "business_started")
	p.typeInto("f-outcome_value", "120000")
	p.choose("f-outcome_currency", "KGS")
	p.typeInto("f-evidence", "Патент алды")
	p.do("choose a renamed program", chromedp.SetUploadFiles("#f-evidence_file", []string{exe}))
	if resp := p.submit(record); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an outcome with a program for evidence: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text("#e-evidence_file"); got != ky.T("outcome.file_type") {
		t.Errorf("the file's error reads %q", got)
	}
	if got := p.value("f-evidence"); got != "Патент алды" {
		t.Errorf("the evidence typed is lost: %q", got)
	}
	p.axe("her page with a refused outcome")
	p.do("choose a PDF", chromedp.SetUploadFiles("#f-evidence_file", []string{pdf}))
	if resp := p.submit(record); resp.Status != http.StatusOK {
		t.Fatalf("an outcome: status %d; the page says:\n%s", resp.Status, p.body())
	}
	if got := p.text(".flash"); got != ky.T("flash.outcome_recorded") {
		t.Errorf("after recording the page says %q", got)
	}
	outcomes := p.text("#outcomes table")
	for _, want := range []string{ky.T("outcome.kind.business_started"), "Патент алды", "патент.pdf", "KGS"} {
		if !strings.Contains(outcomes, want) {
			t.Errorf("the outcome's row lacks %q:\n%s", want, outcomes)
		}
	}
	p.axe("her page with an outcome")
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	p.open(her)
	if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
		wide := js[[]string](p, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 360).slice(0, 5).map(e => e.tagName + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))`)
		t.Errorf("her page is %d px wide on a 360 px phone; too wide: %v", sw, wide)
	}
	p.axe("her page with an outcome on a phone")
	p.open(js[string](p, `document.querySelector('#outcomes a[href$="/edit"]').getAttribute("href")`))
	p.axe("an outcome's edit page on a phone")
}
