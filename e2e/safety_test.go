package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Escape on a public page leaves for the neutral site and takes this page out of the
// history, so that Back does not bring it back. The neutral site here is a local one, so
// nothing leaves the machine.
func TestQuickExit(t *testing.T) {
	var visits atomic.Int32
	neutral := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/neutral" {
			http.NotFound(w, r)
			return
		}
		visits.Add(1)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>Weather</title><h1>Weather</h1>`))
	}))
	t.Cleanup(neutral.Close)
	exitURL := neutral.URL + "/neutral"

	srv := startServer(t, serverOptions{args: []string{"--quick-exit-url", exitURL}})
	p := newTab(t, srv)

	// The control is on every public page, first after the skip link in keyboard order.
	for _, path := range []string{"/", "/login", strings.TrimPrefix(srv.SetupURL, srv.URL)} {
		p.open(path)
		if href := js[string](p, `document.getElementById("quick-exit")?.getAttribute("href") ?? ""`); href != exitURL {
			t.Errorf("%s: quick-exit link leads to %q, want %q", path, href, exitURL)
		}
		p.do("press Tab", chromedp.KeyEvent(kb.Tab))
		first := js[string](p, `document.activeElement.className`)
		p.do("press Tab", chromedp.KeyEvent(kb.Tab))
		second := js[string](p, `document.activeElement.id`)
		if first != "skip" || second != "quick-exit" {
			t.Errorf("%s: Tab focuses .%s then #%s, want the skip link then #quick-exit", path, first, second)
		}
	}

	// A new tab that has seen only the home page.
	q := p.sameSessionTab()
	q.open("/")
	before := js[int](q, `history.length`)
	q.do("press Escape", chromedp.KeyEvent(kb.Escape))
	q.waitForURL(exitURL)
	if visits.Load() == 0 {
		t.Error("the neutral site was never asked for /neutral")
	}
	if after := js[int](q, `history.length`); after != before {
		t.Errorf("history.length went from %d to %d: the page was not replaced in the history", before, after)
	}
	hist := run(q, "read history", chromedp.NavigationEntries())
	for _, e := range hist.Entries {
		if strings.HasPrefix(e.URL, srv.URL) {
			t.Errorf("Birge is still in the tab's history (%s): Back would bring it back", e.URL)
		}
	}
}

// waitForURL waits until the tab shows the address, after a navigation the page started.
func (p *tab) waitForURL(want string) {
	p.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	var got string
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, time.Second)
		u, err := chromedp.Run(ctx, chromedp.Location())
		cancel()
		if err == nil {
			if got = u; got == want && js[string](p, `document.readyState`) == "complete" {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("the browser is at %q, want %q", got, want)
}

// Nothing scrolls sideways on a 360-pixel phone: the public pages, the sign-in page, the
// dashboard and the widest staff pages.
func TestPhoneWidth(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	p.do("emulate a phone", chromedp.EmulateViewport(360, 740))

	check := func(path string) {
		t.Helper()
		p.open(path)
		p.wantPath(path)
		if w := js[int](p, `window.innerWidth`); w != 360 {
			t.Fatalf("%s: viewport is %d px wide, want 360", path, w)
		}
		sw := js[int](p, `document.documentElement.scrollWidth`)
		if sw > 360 {
			wide := js[[]string](p, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 360).slice(0, 5).map(e => e.tagName + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))`)
			t.Errorf("%s: page is %d px wide on a 360 px screen; too wide: %v", path, sw, wide)
		}
	}
	check("/")
	check("/login")
	const email = "admin@birge.example" // the longest navigation: every staff page
	p.login(email, srv.password(t, email))
	check("/dashboard")
	check("/centers/new") // the longest form, with long names in its selects
	check("/users")       // the widest table
}
