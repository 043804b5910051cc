package web

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request) error {
	if request.From(r.Context()).Actor != nil {
		return redirect(w, r, "/dashboard", "")
	}
	f := newForm()
	f.Values["next"] = safeNext(r.URL.Query().Get("next"))
	return s.render(w, r, http.StatusOK, "login/login", f, nil)
}

// login signs in and sets the session cookie. A wrong email and a wrong password give the
// same message, so the form does not reveal who has an account.
func (s *Server) login(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	info := request.From(r.Context())
	token, a, err := s.store.Login(r.Context(), f.get("email"), f.get("password"), info.IP, r.UserAgent())
	if err != nil {
		kind := birge.KindOf(err)
		if kind != birge.KindUnauthenticated && kind != birge.KindTooMany {
			return err
		}
		e := birge.AsError(err)
		f.Error, f.ErrorArgs = e.Key, e.Args
		f.Values["password"] = ""
		status := http.StatusUnauthorized
		if kind == birge.KindTooMany {
			status = http.StatusTooManyRequests
		}
		return s.render(w, r, status, "login/login", f, nil)
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secureCookies(r), SameSite: http.SameSiteLaxMode, MaxAge: int(store.SessionTTL.Seconds())})
	if birge.ValidLang(a.Lang) {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: a.Lang, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(r)})
	}
	next := safeNext(f.get("next"))
	if next == "/" {
		next = "/dashboard"
	}
	return redirect(w, r, next, "")
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	if err := s.store.Logout(r.Context(), info.Actor, info.Session); err != nil {
		return err
	}
	s.clearSession(w, r)
	return redirect(w, r, "/login", "flash.logged_out")
}

// logoutEverywhere ends every session of the user and, when she ticks it, her API tokens.
func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	revoke := f.get("revoke_tokens") == "on"
	if err := s.store.LogoutEverywhere(r.Context(), request.From(r.Context()).Actor, revoke); err != nil {
		return err
	}
	s.clearSession(w, r)
	if revoke {
		return redirect(w, r, "/login", "flash.logged_out_everywhere_tokens")
	}
	return redirect(w, r, "/login", "flash.logged_out_everywhere")
}

func (s *Server) clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secureCookies(r), SameSite: http.SameSiteLaxMode})
}
