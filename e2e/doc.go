// Package e2e drives the real birge binary with a real browser (Chromium, through the
// DevTools protocol) and checks what a person sees: the first-administrator setup, signing
// in and out, the language switcher, a form that keeps what was typed when one field is
// wrong, need-to-know between centres, the quick-exit control and its history, merging
// side by side, the audit page, and the layout on a phone. Every screen a person uses is
// also checked with axe-core (WCAG 2.1 A and AA, vendored in testdata/, never in the
// binary): TestEveryScreenPassesAxe walks them all.
//
// TestMain builds ./cmd/birge once; each test starts its own `birge serve` on a free port
// with its own data folder, and its own headless browser with a fresh profile, so tests
// share nothing. Without a browser on PATH (chromium, chromium-browser or google-chrome)
// the tests skip, or fail when BIRGE_TEST_REQUIRE names "browser", as CI does.
package e2e
