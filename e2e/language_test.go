package e2e

import (
	"fmt"
	"testing"

	"github.com/birge-org/birge/internal/i18n"
)

// The switcher on the public page changes the language of the page and of the pages
// after it, without signing in.
func TestLanguageSwitcher(t *testing.T) {
	langs := []string{"kk", "ky", "ru"}
	// The texts checked below must differ between languages, or this test could not tell
	// a switched page from an unswitched one.
	seen := map[string]string{}
	for _, l := range append([]string{"en"}, langs...) {
		title := i18n.For(l).T("public.title")
		if other, dup := seen[title]; dup {
			t.Fatalf("public.title is %q in both %s and %s: the %s catalog is not translated", title, other, l, l)
		}
		seen[title] = l
	}

	srv := startServer(t, serverOptions{})
	p := newTab(t, srv)
	p.open("/")
	for _, lang := range langs {
		p.submit(fmt.Sprintf(`form.switcher button[value=%q]`, lang))
		p.wantPath("/")
		checkLanguage(t, p, lang, "public.title")
		if got, want := p.text(".staff-link a"), i18n.For(lang).T("login.title"); got != want {
			t.Errorf("%s: the sign-in link reads %q, want %q", lang, got, want)
		}
		current := js[[]string](p, `[...document.querySelectorAll("form.switcher button[aria-current=true]")].map(b => b.value)`)
		if len(current) != 1 || current[0] != lang {
			t.Errorf("%s: the switcher marks %v as the current language", lang, current)
		}
	}

	// The choice is remembered: the next page, opened afresh, is still in Russian.
	p.open("/login")
	checkLanguage(t, p, "ru", "login.title")
}

// checkLanguage checks that the page is marked as lang and that its heading is the
// catalog's text for key in that language.
func checkLanguage(t *testing.T, p *tab, lang, key string) {
	t.Helper()
	if got := js[string](p, `document.documentElement.lang`); got != lang {
		t.Errorf("<html lang=%q>, want %q", got, lang)
	}
	if got, want := p.text("h1"), i18n.For(lang).T(key); got != want {
		t.Errorf("%s: heading %q, want %q", lang, got, want)
	}
}
