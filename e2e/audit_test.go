package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// brokenWords lists the words of the audit table's cells that the browser broke across
// lines: a column squeezed narrower than its longest word (names broken a letter at a
// time, as the td rule's break-word allowed). Words longer than 30 letters (a hash) may
// break, and a line may end after a hyphen (Ата-анасы).
const brokenWords = `(() => {
	const bad = [];
	for (const td of document.querySelectorAll(".audit-log td")) {
		const walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
		for (let n; (n = walk.nextNode()); ) {
			for (const m of n.data.matchAll(/[^\s\-]+/g)) { // a line may end at a hyphen
				if (m[0].length > 30) continue;
				const r = document.createRange();
				r.setStart(n, m.index);
				r.setEnd(n, m.index + m[0].length);
				if (new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1) bad.push(m[0]);
			}
		}
	}
	return bad.slice(0, 10);
})()`

// wrappedCells counts the cells of the number and time columns that take more than one
// line.
const wrappedCells = `[...document.querySelectorAll(".audit-log .audit-seq, .audit-log .audit-when")].filter(td => {
	const r = document.createRange();
	r.selectNodeContents(td);
	return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1;
}).length`

// The administrator reads the audit log on a desk screen and on a phone: at 1280 px the
// number and time columns keep to one line; at 360 px each entry stacks, no word is broken
// inside and nothing scrolls sideways; axe finds nothing at either width. The demo's
// entries hold long words: its people's and staff's names, centres' and organisations'.
func TestAuditPageWidths(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	const admin = "admin@birge.example"
	for _, width := range []int64{1280, 360} {
		t.Run(fmt.Sprint(width), func(t *testing.T) { // a tab each: each within the tests' deadline
			p := newTab(t, srv)
			p.do("set the width", chromedp.EmulateViewport(width, 800))
			p.login(admin, srv.password(t, admin))
			p.open("/audit")
			p.wantPath("/audit")
			if n := js[int](p, `document.querySelectorAll(".audit-log tbody tr").length`); n < 10 {
				t.Fatalf("%d px: %d entries on the audit page, want a full page", width, n)
			}
			if bad := js[[]string](p, brokenWords); len(bad) > 0 {
				t.Errorf("%d px: words broken across lines: %q", width, bad)
			}
			if n := js[int](p, wrappedCells); n > 0 {
				t.Errorf("%d px: %d number or time cells wrap", width, n)
			}
			if sw := js[int](p, `document.documentElement.scrollWidth`); sw > int(width) {
				t.Errorf("%d px: the page is %d px wide", width, sw)
			}
			// axe on a page of users' entries (names, addresses, roles): the same
			// table, short enough for axe's step deadline on a phone's long page.
			p.open("/audit?entity=user")
			if n := js[int](p, `document.querySelectorAll(".audit-log tbody tr").length`); n < 5 {
				t.Fatalf("%d px: %d entries about users", width, n)
			}
			p.axe(fmt.Sprintf("the audit page at %d px", width))
		})
	}
}
