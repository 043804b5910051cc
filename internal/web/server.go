// Package web serves Birge's HTML pages and mounts the JSON API. Every route is listed in
// routes.go with who may reach it; the wrapper in this file resolves the session or token,
// the language and the client address before any handler runs.
package web

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/api"
	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// Config is what the operator sets with flags or the environment.
type Config struct {
	BaseURL      string // e.g. https://birge.example.kz; https makes cookies Secure
	TrustProxy   bool   // take the client address from X-Forwarded-For
	QuickExitURL string // where the quick-exit control sends a visitor
	Version      string
	Logger       *slog.Logger
	// ImportWorkers is how many imports are checked or written at once; 0 is as many
	// as there are cores, at least two (api.NewImportWorkers).
	ImportWorkers int
}

// Server is the HTTP handler of the whole application.
type Server struct {
	store   *store.Store
	api     *api.API
	cfg     Config
	pages   *pages
	metrics *metrics
	handler http.Handler
	mux     *http.ServeMux // to tell an unknown API address from a wrong method
	log     *slog.Logger
	imports *api.ImportWorkers // shared with the API
}

// New builds the server and its route table.
func New(st *store.Store, cfg Config) (*Server, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.QuickExitURL == "" {
		cfg.QuickExitURL = DefaultQuickExitURL
	}
	pg, err := loadPages()
	if err != nil {
		return nil, err
	}
	imports := api.NewImportWorkers(cfg.ImportWorkers)
	s := &Server{store: st, api: api.New(st, imports), cfg: cfg, pages: pg, log: cfg.Logger, imports: imports}
	s.metrics = newMetrics(st)
	mux := http.NewServeMux()
	for _, rt := range s.Routes() {
		mux.Handle(rt.Pattern, s.wrap(rt))
	}
	mux.Handle("/", s.wrap(Route{Pattern: "/", Access: Public, Handler: s.notFound}))
	// An unknown API address or method is a problem document, like every other API error.
	mux.Handle("/api/", s.wrap(Route{Pattern: "/api/", Access: Public, Handler: s.apiFallback}))
	s.mux = mux
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(s.crossOrigin))
	s.handler = securityHeaders(csrf.Handler(mux))
	return s, nil
}

// DefaultQuickExitURL is a neutral page that gives nothing away if someone looks over the
// visitor's shoulder.
const DefaultQuickExitURL = "https://www.google.com/search?q=weather"

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Access says who may reach a route.
type Access int

const (
	Public Access = iota // anyone
	Staff                // a signed-in user (session cookie)
	Token                // an API token (Authorization: Bearer)
)

// Route is one line of the route table.
type Route struct {
	Pattern string // net/http pattern, "GET /centers/{id}"
	Access  Access
	Handler func(http.ResponseWriter, *http.Request) error
}

// wrap resolves who is asking and in which language, runs the handler, turns its error
// into a page or a problem document, and records metrics under the route's pattern.
func (s *Server) wrap(rt Route) http.Handler {
	isAPI := strings.Contains(rt.Pattern, "/api/")
	// Nothing the application answers may be kept by a browser or a proxy: pages, API
	// answers, files and error documents may all carry personal data, and a shared
	// computer's cache is where a survivor's record would be found. The static assets
	// alone are the same for everyone, and their handler makes them cacheable.
	cache := "no-store"
	if strings.HasPrefix(rt.Pattern, "GET /static/") {
		cache = ""
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cache != "" {
			w.Header().Set("Cache-Control", cache)
		}
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			v := recover()
			if v != nil && v != http.ErrAbortHandler {
				s.log.Error("panic", "route", rt.Pattern, "panic", v)
				if !rec.wrote {
					s.fail(rec, r, isAPI, birge.Internal(errors.New("panic")))
				}
			}
			s.metrics.observe(rt.Pattern, rec.status, time.Since(start))
			if v == http.ErrAbortHandler {
				panic(v)
			}
		}()
		info, err := s.identify(rec, r, rt.Access)
		r = r.WithContext(request.With(r.Context(), info))
		if err == nil {
			err = rt.Handler(rec, r)
		}
		if err != nil && rec.wrote {
			// A download that failed half-way cannot become an error page: the connection
			// is cut, so the file is seen to be incomplete rather than passed off as whole.
			s.log.Warn("response cut short", "method", r.Method, "path", r.URL.Path, "err", err)
			panic(http.ErrAbortHandler)
		}
		if err != nil {
			s.fail(rec, r, isAPI, err)
		}
	})
}

// identify finds the actor and language. Staff pages without a session redirect to the
// sign-in page; API routes without a valid token answer 401.
func (s *Server) identify(w http.ResponseWriter, r *http.Request, access Access) (*request.Info, error) {
	info := &request.Info{IP: s.clientIP(r)}
	var err error
	switch access {
	case Staff:
		if c, cerr := r.Cookie(sessionCookie); cerr == nil {
			info.Session = c.Value
			info.Actor, err = s.store.ActorBySession(r.Context(), c.Value, info.IP)
		} else {
			err = birge.Errorf(birge.KindUnauthenticated, "login.required")
		}
	case Token:
		// The scheme name is case-insensitive (RFC 9110 §11.1).
		scheme, secret, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if ok && strings.EqualFold(scheme, "Bearer") && strings.TrimSpace(secret) != "" {
			info.Actor, err = s.store.ActorByToken(r.Context(), strings.TrimSpace(secret), info.IP)
		} else {
			err = birge.Errorf(birge.KindUnauthenticated, "token.invalid")
		}
	case Public:
		// Public pages still know a signed-in visitor (to offer a way back to work).
		if c, cerr := r.Cookie(sessionCookie); cerr == nil {
			info.Actor, _ = s.store.ActorBySession(r.Context(), c.Value, info.IP)
			info.Session = c.Value
		}
	}
	info.Lang = s.language(r, info.Actor, access == Token)
	info.P = i18n.For(info.Lang)
	return info, err
}

// language picks the user's setting, else the switcher's cookie, else Accept-Language.
// An API request that names its languages gets them first: a program asks for what it
// shows its own user, whoever the token belongs to.
func (s *Server) language(r *http.Request, a *birge.Actor, api bool) string {
	if l := i18n.Match(r.Header.Get("Accept-Language")); api && l != "" {
		return l
	}
	if a != nil && birge.ValidLang(a.Lang) {
		return a.Lang
	}
	if c, err := r.Cookie(langCookie); err == nil && birge.ValidLang(c.Value) {
		return c.Value
	}
	if l := i18n.Match(r.Header.Get("Accept-Language")); l != "" {
		return l
	}
	return i18n.Langs[0]
}

// clientIP is the address that sign-in throttling and the audit log record.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		// The last entry is the one the trusted proxy added; those before it are
		// whatever the client wrote, and would give a guesser a fresh address each time.
		if f := r.Header.Values("X-Forwarded-For"); len(f) > 0 {
			last := f[len(f)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if last = strings.TrimSpace(last); last != "" {
				return last
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// fail answers with an error: problem+json for the API, a page for people. A missing
// session on a page redirects to sign-in and comes back afterwards.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, isAPI bool, err error) {
	kind := birge.KindOf(err)
	if kind == birge.KindInternal {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if isAPI {
		api.WriteProblem(w, r, err)
		return
	}
	if kind == birge.KindUnauthenticated {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(safeNext(r.URL.RequestURI())), http.StatusSeeOther)
		return
	}
	s.errorPage(w, r, api.Status(err), err)
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error { return birge.ErrNotFound }

// apiFallback answers an API request that no route took: 405 naming the allowed methods
// when the address exists under others (the mux's own 405 cannot happen, since this
// catch-all matches every method), else 404.
func (s *Server) apiFallback(w http.ResponseWriter, r *http.Request) error {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodPut, http.MethodDelete} {
		if _, pattern := s.mux.Handler(&http.Request{Method: m, URL: r.URL, Host: r.Host}); pattern != "/api/" {
			allow = append(allow, m)
		}
	}
	if len(allow) == 0 {
		return birge.ErrNotFound
	}
	w.Header().Set("Allow", strings.Join(allow, ", "))
	return birge.Errorf(birge.KindMethod, "error.method")
}

func (s *Server) crossOrigin(w http.ResponseWriter, r *http.Request) {
	isAPI := strings.HasPrefix(r.URL.Path, "/api/")
	info := &request.Info{Lang: s.language(r, nil, isAPI)}
	info.P = i18n.For(info.Lang)
	r = r.WithContext(request.With(r.Context(), info))
	err := birge.Errorf(birge.KindForbidden, "error.cross_origin")
	s.fail(w, r, isAPI, err)
}

// securityHeaders sets the headers every response carries: no inline script, no framing,
// no referrer leaking a record's address to another site.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status for metrics and whether anything was written.
type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// Shutdown-friendly background work: expired sessions are purged hourly.
func (s *Server) Janitor(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := s.store.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("purge expired sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
