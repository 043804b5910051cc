package web

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// setupForm is where the first administrator is created, through the one-time link the
// server prints when no one can sign in yet.
func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	ok, err := s.store.ValidSetupToken(r.Context(), token)
	if err != nil {
		return err
	}
	if !ok {
		return birge.Errorf(birge.KindNotFound, "setup.used")
	}
	f := newForm()
	f.Values["token"] = token
	f.Values["language"] = request.From(r.Context()).Lang
	return s.render(w, r, http.StatusOK, "setup/setup", f, langOptions())
}

func (s *Server) setup(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	nu := store.NewUser{User: birge.User{Email: f.get("email"), Name: f.get("name"), Lang: f.get("language")},
		Password: f.get("password")}
	if f.get("password") != f.get("password_confirm") {
		f.Errors["password_confirm"] = "password.mismatch"
		f.Values["password"], f.Values["password_confirm"] = "", "" // never echo a password into a page
		return s.render(w, r, http.StatusUnprocessableEntity, "setup/setup", f, langOptions())
	}
	if _, err := s.store.CompleteSetup(r.Context(), f.get("token"), nu, request.From(r.Context()).IP); err != nil {
		if f.fail(err) {
			f.Values["password"], f.Values["password_confirm"] = "", ""
			return s.render(w, r, http.StatusUnprocessableEntity, "setup/setup", f, langOptions())
		}
		return err
	}
	return redirect(w, r, "/login", "flash.setup_done")
}

func langOptions() []option {
	out := make([]option, len(birge.Langs))
	for i, l := range birge.Langs {
		out[i] = option{Value: l, Label: langNames[l]}
	}
	return out
}
