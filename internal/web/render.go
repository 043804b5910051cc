package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
)

//go:embed templates
var templateFiles embed.FS

// pages holds every page template, parsed once per language at start so that the
// translation functions are bound to that language's catalog.
type pages struct {
	byLang map[string]map[string]*template.Template // lang → "center/list" → template
}

func loadPages() (*pages, error) {
	layouts, err := fs.Glob(templateFiles, "templates/layout/*.html")
	if err != nil {
		return nil, err
	}
	var names []string
	err = fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(p, "templates/layout/") {
			names = append(names, p)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	pg := &pages{byLang: map[string]map[string]*template.Template{}}
	for _, lang := range i18n.Langs {
		pg.byLang[lang] = map[string]*template.Template{}
		base, err := template.New("").Funcs(funcs(i18n.For(lang))).ParseFS(templateFiles, layouts...)
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			t, err := template.Must(base.Clone()).ParseFS(templateFiles, name)
			if err != nil {
				return nil, err
			}
			key := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
			pg.byLang[lang][key] = t.Lookup(path.Base(name))
		}
	}
	return pg, nil
}

// view is what every page template receives.
type view struct {
	Lang      string
	Langs     []string
	Actor     *birge.Actor
	Nav       []navItem
	Path      string
	QuickExit string
	Version   string
	Flash     string // a message key
	Zone      *time.Location
	Form      *form
	D         any // the page's own data
}

// render writes a page with a status. The page is rendered to a buffer first, so that a
// template error becomes a clean error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, f *form, data any) error {
	info := request.From(r.Context())
	v := view{Lang: info.Lang, Langs: i18n.Langs, Actor: info.Actor, Path: r.URL.RequestURI(),
		QuickExit: s.cfg.QuickExitURL, Version: s.cfg.Version, Form: f, D: data, Zone: info.Actor.Location()}
	if v.Form == nil {
		v.Form = newForm()
	}
	if info.Actor != nil {
		v.Nav = navFor(info.Actor, r.URL.Path)
	}
	if c, err := r.Cookie(flashCookie); err == nil && info.P.Has(c.Value) {
		v.Flash = c.Value
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1})
	}
	t := s.pages.byLang[info.Lang][page]
	if t == nil {
		return birge.Internal(fmt.Errorf("no page %q", page))
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return birge.Internal(fmt.Errorf("render %s: %w", page, err))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// errorPage shows an error in the user's language, in the staff or public layout.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, err error) {
	e := birge.AsError(err)
	p := request.From(r.Context()).P
	msg := p.T(e.Key, flatten(e.Args)...)
	if rerr := s.render(w, r, status, "error/error", nil, map[string]any{"Status": status, "Message": msg}); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		http.Error(w, http.StatusText(status), status)
	}
}

func flatten(args map[string]any) []any {
	var out []any
	for k, v := range args {
		out = append(out, k, v)
	}
	return out
}

// redirect sends the browser on after a successful POST, with a message to show there.
func redirect(w http.ResponseWriter, r *http.Request, to, flashKey string) error {
	if flashKey != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: flashKey, Path: "/", MaxAge: 60,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// funcs are the template functions, bound to one language.
func funcs(p *i18n.Printer) template.FuncMap {
	return template.FuncMap{
		"t":        func(key string, pairs ...any) string { return p.T(key, pairs...) },
		"n":        func(key string, n int, pairs ...any) string { return p.N(key, n, pairs...) },
		"num":      p.Number, // a count with the language's digit grouping
		"date":     func(t time.Time) string { return p.Date(t) },
		"day":      p.Day,
		"datetime": func(t time.Time, zone *time.Location) string { return p.DateTime(t, zone) },
		"langName": func(l string) string { return langNames[l] },
		"names":    func(n birge.Names) string { return n.In(p.Lang) },
		"namesOf": func(n *birge.Names) string {
			if n == nil {
				return ""
			}
			return n.In(p.Lang)
		},
		"field":     func(f *form, name, label string) fieldView { return f.field(p, name, label) },
		"choice":    func(f *form, name, label string, opts []option) fieldView { return f.choice(p, name, label, opts) },
		"roleName":  func(r birge.Role) string { return p.T("role." + string(r)) },
		"formError": func(f *form) string { return p.T(f.Error, flatten(f.ErrorArgs)...) },
		"dict":      dict,
		"prepend":   func(opts []option) []option { return append([]option{{"", "—"}}, opts...) },
		"place":     func(region, district string) string { return placeName(p, region, district) },
		"money":     func(m birge.Money) string { return moneyText(p, m) },
	}
}

// langNames are each language's name in itself, as the switcher shows them.
var langNames = map[string]string{"kk": "Қазақша", "ru": "Русский", "ky": "Кыргызча", "en": "English"}

// dict builds a map from name/value pairs, to pass several values to a template.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict needs name/value pairs")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		m[fmt.Sprint(pairs[i])] = pairs[i+1]
	}
	return m, nil
}

// moneyText writes an amount of minor units in whole units, with the minor ones only
// when there are any: "18 870 USD", "−1 250.50 KZT".
func moneyText(p *i18n.Printer, m birge.Money) string {
	sign, n := "", m.Amount
	if n < 0 {
		sign, n = "−", -n
	}
	if n%100 == 0 {
		return sign + p.Number(int(n/100)) + " " + m.Currency
	}
	// The language's decimal separator ("150,50" in kk, ru and ky; "150.50" in en), with
	// the minor units as integers: a float would round large sums.
	sep := strings.Trim(p.Decimal(0.5, 1), "05")
	return fmt.Sprintf("%s%s%s%02d %s", sign, p.Number(int(n/100)), sep, n%100, m.Currency)
}
