package e2e

import (
	"context"
	"fmt"
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
		switch r.URL.Path {
		case "/neutral":
			visits.Add(1)
		case "/before": // where she was before she came to Birge
		default:
			http.NotFound(w, r)
			return
		}
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
	q.notInHistory()

	// She comes from another site, reads several public pages, changes the language, and
	// leaves with the button: Back, again and again, never shows Birge.
	r := p.sameSessionTab()
	r.open(neutral.URL + "/before")
	r.open("/")
	r.do("follow the sign-in link", chromedp.Click(chromedp.CSS(`main a[href="/login"]`)))
	r.waitForURL(srv.URL + "/login")
	r.do("choose Russian", chromedp.Click(chromedp.CSS(`form.switcher button[value="ru"]`)))
	r.waitForJS(`document.documentElement.lang === "ru" && document.readyState === "complete"`)
	r.do("follow the home link", chromedp.Click(chromedp.CSS(`a.brand`)))
	r.waitForURL(srv.URL + "/")
	r.do("press the quick exit", chromedp.Click(chromedp.CSS(`#quick-exit`)))
	r.waitForURL(exitURL)
	r.notInHistory()
	for i := range 4 {
		r.do("go back", chromedp.Evaluate[chromedp.Void](`setTimeout(() => history.back(), 0)`))
		time.Sleep(300 * time.Millisecond)
		u := r.location().String()
		if strings.HasPrefix(u, srv.URL) {
			t.Fatalf("Back %d time(s) after the quick exit shows Birge: %s", i+1, u)
		}
		if i == 0 && u != neutral.URL+"/before" {
			t.Errorf("Back after the quick exit leads to %s, want the site she came from", u)
		}
	}
}

// notInHistory fails the test if any page of Birge is in the tab's history.
func (p *tab) notInHistory() {
	p.t.Helper()
	hist := run(p, "read history", chromedp.NavigationEntries())
	for _, e := range hist.Entries {
		if strings.HasPrefix(e.URL, p.srv.URL) {
			p.t.Errorf("Birge is still in the tab's history (%s): Back would bring it back", e.URL)
		}
	}
}

// waitForJS waits until a JavaScript condition holds on the page.
func (p *tab) waitForJS(cond string) {
	p.t.Helper()
	p.waitForJSWithin(cond, stepTimeout)
}

// waitForJSWithin is waitForJS for a condition that may take longer than a step: a
// service worker caching pages, a sync once the network is back. The limit is a timeout
// on the wall clock, not a date.
func (p *tab) waitForJSWithin(cond string, limit time.Duration) {
	p.t.Helper()
	for end := time.Now().Add(limit); ; time.Sleep(50 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(p.ctx, time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(end) {
			p.t.Fatalf("%s did not hold within %s; the page says:\n%s", cond, limit, p.body())
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

// On a 360×780 phone the header takes one line and nothing scrolls sideways: the menu
// button opens the navigation, wide tables (people, duplicates, consents, users, audit)
// scroll inside their own box, and a long Kazakh name in a table is never cut in two.
func TestPhoneLayout(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTabFor(t, srv, 2*time.Minute)
	p.do("emulate a phone", chromedp.EmulateViewport(360, 780))

	check := func(path string) {
		t.Helper()
		p.open(path)
		if w := js[int](p, `window.innerWidth`); w != 360 {
			t.Fatalf("%s: viewport is %d px wide, want 360", path, w)
		}
		h := js[float64](p, `document.querySelector("header.top").getBoundingClientRect().height`)
		if h > 80 {
			t.Errorf("%s: the header is %.0f px high on a 780 px screen, want at most 80", path, h)
		}
		t.Logf("%s: header %.0f px high", path, h)
		sw := js[int](p, `document.documentElement.scrollWidth`)
		if sw > 360 {
			wide := js[[]string](p, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 360).slice(0, 5).map(e => e.tagName + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : ""))`)
			t.Errorf("%s: page is %d px wide on a 360 px screen; too wide: %v", path, sw, wide)
		}
		p.axe(path + " on a phone")
	}
	check("/")
	check("/login")

	const coordinator = "coordinator@birge.example" // Aktobe centre, in Russian
	p.login(coordinator, srv.password(t, coordinator))
	// Her name is long, and the list has a long centre name beside it.
	const family, given = "Сұлтанмахмұтқызы", "Гүлжаһанбибіайым"
	p.open("/people/new")
	p.typeInto("f-family_name", family)
	p.typeInto("f-given_name", given)
	p.typeInto("f-phones", "8 701 555 01 01") // Dinara's (demo): she goes to the duplicate queue
	if resp := p.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusConflict {
		t.Fatalf("register: status %d, want 409 with a warning; the page says:\n%s", resp.Status, p.body())
	}
	p.axe("a new person, warned of a duplicate, on a phone")
	p.do("tick 'she is someone else'", chromedp.Click(chromedp.CSS(`input[name="not_duplicate"]`)))
	if resp := p.submit(`form[action="/people"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("register anyway: status %d; the page says:\n%s", resp.Status, p.body())
	}
	herPage := p.location().Path
	check("/dashboard")
	check("/people")
	// Each word of her name in the list is on one line: no word is broken.
	for _, word := range []string{family, given} {
		lines := js[int](p, fmt.Sprintf(`(() => {
			const a = [...document.querySelectorAll("main td a")].find(a => a.textContent.includes(%q));
			if (!a) return -1;
			const text = a.firstChild, at = text.textContent.indexOf(%q), r = document.createRange();
			r.setStart(text, at); r.setEnd(text, at + %d);
			return new Set([...r.getClientRects()].map(c => Math.round(c.top))).size;
		})()`, word, word, len([]rune(word))))
		if lines != 1 {
			t.Errorf("in the people list %q takes %d lines on a 360 px screen, want 1 (-1: not in the list)", word, lines)
		}
	}
	check(herPage) // her consents and history
	check("/people/duplicates")
	if !strings.Contains(p.text("main .scroll table"), family) {
		t.Error("the duplicate queue does not show her pair in a scrolling box")
	}

	// The menu button opens the navigation, and says so.
	if p.exists("header nav a[href='/people']") && js[bool](p, `document.querySelector("header nav").checkVisibility()`) {
		t.Error("the navigation shows before the menu button is pressed")
	}
	p.do("open the menu", chromedp.Click(chromedp.CSS(".menu-toggle")))
	if !js[bool](p, `document.querySelector("header nav a[href='/people']").checkVisibility()`) {
		t.Error("the menu button does not show the navigation")
	}
	if got := js[string](p, `document.querySelector(".menu-toggle").getAttribute("aria-expanded")`); got != "true" {
		t.Errorf("the open menu's button has aria-expanded=%q, want true", got)
	}
	p.axe("the open menu on a phone")

	const admin = "admin@birge.example" // the longest navigation: every staff page
	q := p.incognito()
	q.do("emulate a phone", chromedp.EmulateViewport(360, 780))
	q.login(admin, srv.password(t, admin))
	p = q
	check("/centers/new") // the longest form, with long names in its selects
	check("/users")       // the widest table
	check("/audit")
}
