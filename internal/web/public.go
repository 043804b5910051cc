package web

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/geo"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
)

//go:embed static
var staticFiles embed.FS

// home is the public front page: where the organisations' centres are and how to reach
// them, in the visitor's language, with the quick-exit control of the public layout.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	centers, err := s.store.PublicCenters(r.Context())
	if err != nil {
		return err
	}
	type place struct {
		Center birge.Center
		Region string
	}
	list := make([]place, len(centers))
	for i, c := range centers {
		list[i] = place{Center: c, Region: regionName(c.Region, info.Lang)}
	}
	i18n.Sort(info.P, list, func(p place) string { return p.Center.Names.In(info.Lang) })
	return s.render(w, r, http.StatusOK, "public/home", nil, list)
}

func regionName(code, lang string) string {
	if r, ok := geo.LookupRegion(code); ok {
		return r.Names.In(lang)
	}
	return code
}

// setLanguage is the language switcher. It works without JavaScript: a small form on
// every page. A signed-in user's choice is saved on their account.
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	lang := f.get("lang")
	if !birge.ValidLang(lang) {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid"}
	}
	if a := request.From(r.Context()).Actor; a != nil {
		if _, err := s.store.SetPreferences(r.Context(), a, lang, "", time.Time{}); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	return redirect(w, r, safeNext(f.get("next")), "")
}

// safeNext keeps redirects on this site: a path, never another host. Browsers drop tabs
// and line breaks from a Location and read a backslash as a slash, so "/\t/evil.example"
// would leave the site: control characters are refused outright.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < ' ' || r == 0x7f }) {
		return "/"
	}
	return next
}

// static serves the embedded stylesheet and scripts; they change only with a new
// binary, whose version is in their URL, so browsers may keep them a long time.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	if strings.HasSuffix(r.URL.Path, "/") {
		return birge.ErrNotFound // no directory listings
	}
	sub, _ := fs.Sub(staticFiles, "static")
	if r.URL.Query().Get("v") != "" {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	}
	http.StripPrefix("/static/", http.FileServerFS(sub)).ServeHTTP(w, r)
	return nil
}
