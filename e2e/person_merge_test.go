package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// The Aktobe coordinator registers Dinara again, in Latin letters, although the form
// warns; the pair waits in the queue. She compares the two records side by side (axe on
// a desktop and a 360 px phone), picks the new record's family name, and merges the new
// record into the old one, which gains the e-mail only the new one had; the new
// record's address leads to the old one.
// She undoes the merge: both records are as they were and the pair is back in the queue.
func TestMergeAndUndo(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const coordinator = "coordinator@birge.example" // Aktobe centre, in Russian
	ru := i18n.For("ru")
	p.login(coordinator, srv.password(t, coordinator))

	p.open("/people/new")
	p.typeInto("f-family_name", "Omarova")
	p.typeInto("f-given_name", "Dinara")
	p.typeInto("f-phones", "8 701 555 01 01")
	p.typeInto("f-email", "dinara@example.kz")
	if resp := p.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusConflict {
		t.Fatalf("registering her again: status %d, want 409 with a warning; the page says:\n%s", resp.Status, p.body())
	}
	p.do("tick 'she is someone else'", chromedp.Click(chromedp.CSS(`input[name="not_duplicate"]`)))
	if resp := p.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("registering her anyway: status %d; the page says:\n%s", resp.Status, p.body())
	}
	again := p.location().Path

	if resp := p.open("/people/duplicates"); resp.Status != http.StatusOK {
		t.Fatalf("/people/duplicates: status %d; the page says:\n%s", resp.Status, p.body())
	}
	queue := p.text("main table")
	if !strings.Contains(queue, "Omarova Dinara") || !strings.Contains(queue, "Омарова Динара Серікқызы") ||
		!strings.Contains(queue, ru.T("person.reason.phone")) {
		t.Fatalf("the queue does not show the two records and why:\n%s", p.body())
	}
	first := js[string](p, `[...document.querySelectorAll("main table a")].find(a => a.innerText.startsWith("Омарова Динара")).getAttribute("href")`)
	if resp := p.submit(`a[href^="` + first + `/merge?other="]`); resp.Status != http.StatusOK {
		t.Fatalf("the merge screen: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.wantPath(first + "/merge")
	compare := p.text("#merge-compare")
	if !strings.Contains(compare, "Omarova Dinara") || !strings.Contains(compare, ru.T("person.family_name")) ||
		!strings.Contains(p.text("#merge-moves"), ru.T("merge.moves.consents")) {
		t.Fatalf("the merge screen does not compare the two records:\n%s", p.body())
	}
	// The kept record has no e-mail: by default she takes the other's.
	if !js[bool](p, `document.querySelector('input[name="choices.email"][value="other"]').checked`) {
		t.Errorf("the e-mail the kept record lacks is not chosen from the other record by default")
	}
	p.do("a desktop", chromedp.EmulateViewport(1280, 900))
	p.axe("the merge screen")
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))
	p.open(p.location().RequestURI())
	if w := js[int](p, `window.innerWidth`); w != 360 {
		t.Fatalf("the viewport is %d px wide, want 360", w)
	}
	if sw := js[int](p, `document.documentElement.scrollWidth`); sw > 360 {
		wide := js[[]string](p, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 360).slice(0, 5).map(e => e.tagName + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))`)
		t.Errorf("the merge screen is %d px wide on a 360 px phone; too wide: %v", sw, wide)
	}
	p.axe("the merge screen on a phone")
	p.do("back to the desktop", chromedp.EmulateViewport(1280, 900))
	p.do("take the other record's family name", chromedp.Click(chromedp.CSS(`input[name="choices.family_name"][value="other"]`)))
	if resp := p.submit(`form[action="` + first + `/merge"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("merge: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.wantPath(first)
	if got := p.text(".flash"); got != ru.T("flash.merged") {
		t.Errorf("after the merge the page says %q, want %q", got, ru.T("flash.merged"))
	}
	if body := p.text("main"); !strings.Contains(body, "dinara@example.kz") || !strings.HasPrefix(p.text("h1"), "Omarova Динара") ||
		!strings.Contains(p.text("#merges"), "Omarova Dinara") {
		t.Errorf("the kept record does not show the e-mail and the merge:\n%s", body)
	}
	p.open(again)
	p.wantPath(first)
	if got := p.text(".flash"); got != ru.T("flash.merged_away") {
		t.Errorf("the merged record's address says %q, want %q", got, ru.T("flash.merged_away"))
	}

	if resp := p.submit(`#merges form button`); resp.Status != http.StatusOK {
		t.Fatalf("undo: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.wantPath(first)
	if got := p.text(".flash"); got != ru.T("flash.merge_undone") {
		t.Errorf("after undo the page says %q, want %q", got, ru.T("flash.merge_undone"))
	}
	if p.exists("#merges") || strings.Contains(p.text("main"), "dinara@example.kz") || p.text("h1") != "Омарова Динара Серікқызы" {
		t.Errorf("after undo the record still shows the merge:\n%s", p.body())
	}
	p.open(again)
	p.wantPath(again)
	p.open("/people/duplicates")
	if !strings.Contains(p.text("main table"), "Omarova Dinara") {
		t.Errorf("the pair is not back in the queue after undo:\n%s", p.body())
	}
}
