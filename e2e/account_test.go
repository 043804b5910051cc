package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/birge-org/birge/internal/i18n"
)

// The first administrator comes from the one-time link serve prints; after that she signs
// in like anyone else, and the link no longer works.
func TestFirstAdministratorSetup(t *testing.T) {
	srv := startServer(t, serverOptions{})
	p := newTab(t, srv)

	if resp := p.open(srv.SetupURL); resp.Status != http.StatusOK {
		t.Fatalf("setup link: status %d; the page says:\n%s", resp.Status, p.body())
	}
	visitor := i18n.For(js[string](p, `document.documentElement.lang`)) // from Accept-Language
	if got, want := p.text("h1"), visitor.T("setup.title"); got != want {
		t.Fatalf("setup page heading %q, want %q", got, want)
	}

	const (
		name     = "Мөлдір Сапарова"
		email    = "moldir@birge.example"
		password = "күшті құпия сөз 2026"
	)
	p.typeInto("f-name", name)
	p.typeInto("f-email", email)
	p.choose("f-language", "ru")
	p.typeInto("f-password", password)
	p.typeInto("f-password_confirm", password+"x")
	if resp := p.submit(`form[action="/setup"] button[type=submit]`); resp.Status != http.StatusUnprocessableEntity {
		t.Fatalf("mismatched confirmation: status %d, want 422; the page says:\n%s", resp.Status, p.body())
	}
	if got, want := p.text("#e-password_confirm"), visitor.T("password.mismatch"); got != want {
		t.Errorf("mismatched confirmation: error beside the field %q, want %q", got, want)
	}
	if got := p.value("f-name"); got != name {
		t.Errorf("after the mismatch the name field holds %q, want what was typed, %q", got, name)
	}
	if got := p.value("f-email"); got != email {
		t.Errorf("after the mismatch the email field holds %q, want %q", got, email)
	}

	p.typeInto("f-password", password)
	p.typeInto("f-password_confirm", password)
	if got := p.value("f-language"); got != "ru" {
		t.Errorf("after the mismatch the language is %q, want the chosen ru", got)
	}
	if resp := p.submit(`form[action="/setup"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("setup: status %d; the page says:\n%s", resp.Status, p.body())
	}
	p.wantPath("/login")
	if got, want := p.text(".flash"), visitor.T("flash.setup_done"); got != want {
		t.Errorf("after setup the sign-in page says %q, want %q", got, want)
	}

	p.login(email, password)
	ru := i18n.For("ru")
	if got, want := p.text("h1"), ru.T("dashboard.hello", "name", name); got != want {
		t.Errorf("dashboard heading %q, want %q (in the language chosen at setup)", got, want)
	}
	if lang := js[string](p, `document.documentElement.lang`); lang != "ru" {
		t.Errorf("dashboard in %q, want ru", lang)
	}
	if body, want := p.body(), ru.T("role.admin")+" — "+ru.T("scope.installation"); !strings.Contains(body, want) {
		t.Errorf("dashboard does not show the role %q:\n%s", want, body)
	}

	// The link works once: not for the new administrator, not for anyone else.
	for who, q := range map[string]*tab{"the administrator": p, "an anonymous visitor": p.incognito()} {
		resp := q.open(srv.SetupURL)
		if resp.Status != http.StatusNotFound {
			t.Errorf("setup link opened again by %s: status %d, want 404", who, resp.Status)
		}
		lang := js[string](q, `document.documentElement.lang`)
		if got, want := q.text(".form-error"), i18n.For(lang).T("setup.used"); got != want {
			t.Errorf("setup link opened again by %s: message %q, want %q", who, got, want)
		}
		if q.exists(`form[action="/setup"]`) {
			t.Errorf("setup link opened again by %s still shows the setup form", who)
		}
	}
}

// Signing out ends the session on the server, not only in the browser.
func TestLoginAndLogout(t *testing.T) {
	srv := startServer(t, serverOptions{demo: true})
	p := newTab(t, srv)
	const email, name = "coordinator@birge.example", "Айгүл Серікова"
	ru := i18n.For("ru")

	p.login(email, srv.password(t, email))
	if got, want := p.text("h1"), ru.T("dashboard.hello", "name", name); got != want {
		t.Errorf("dashboard heading %q, want %q", got, want)
	}
	if got := p.text(".who span"); got != name {
		t.Errorf("header shows %q as the signed-in user, want %q", got, name)
	}
	session := p.cookie(sessionCookie)
	if session == nil {
		t.Fatal("no session cookie after signing in")
	}
	if !session.HTTPOnly {
		t.Error("the session cookie is readable by scripts (not HttpOnly)")
	}

	if resp := p.submit(`form[action="/logout"] button[type=submit]`); resp.Status != http.StatusOK {
		t.Fatalf("sign out: status %d", resp.Status)
	}
	p.wantPath("/login")
	if got, want := p.text(".flash"), ru.T("flash.logged_out"); got != want {
		t.Errorf("after signing out the page says %q, want %q", got, want)
	}
	if c := p.cookie(sessionCookie); c != nil {
		t.Errorf("the session cookie is still set after signing out: %+v", c)
	}

	p.open("/dashboard")
	u := p.location()
	if u.Path != "/login" || u.Query().Get("next") != "/dashboard" {
		t.Errorf("/dashboard after signing out went to %s, want /login?next=/dashboard", u)
	}

	// Someone who kept a copy of the cookie gets nothing either: the session is gone.
	p.setCookie(session)
	p.open("/dashboard")
	if u := p.location(); u.Path != "/login" {
		t.Errorf("the old session cookie still opens %s after signing out; the page says:\n%s", u, p.body())
	}
}

const sessionCookie = "birge_session"

// cookie returns the browser's cookie of that name for the server, or nil.
func (p *tab) cookie(name string) *network.Cookie {
	p.t.Helper()
	res, err := chromedp.Call(p.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{p.srv.URL + "/"}})
	if err != nil {
		p.t.Fatalf("read cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// setCookie puts a cookie back into the browser, as someone who copied it would.
func (p *tab) setCookie(c *network.Cookie) {
	p.t.Helper()
	_, err := chromedp.Call(p.ctx, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value,
		URL: p.srv.URL + "/", Path: c.Path, HTTPOnly: &c.HTTPOnly})
	if err != nil {
		p.t.Fatalf("set cookie %s: %v", c.Name, err)
	}
}
