package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
)

// account is the user's own page: language, password, sessions and API tokens.
func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, newForm(), "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, f *form, newToken string) error {
	a := request.From(r.Context()).Actor
	u, err := s.store.GetUser(r.Context(), a, a.UserID)
	if err != nil {
		return err
	}
	tokens, err := s.store.ListTokens(r.Context(), a)
	if err != nil {
		return err
	}
	scopes, err := s.grantLabels(r, u.Grants)
	if err != nil {
		return err
	}
	if _, ok := f.Values["language"]; !ok {
		f.Values["language"], f.Values["time_zone"] = u.Lang, u.TimeZone
	}
	if _, ok := f.Values["current_password"]; !ok {
		// Unless the password form itself comes back, its tick starts on: a password
		// changed because someone else may know it should also stop what they may have
		// made with it; she can untick it for a routine change (decision 0016).
		f.Values["revoke_tokens"] = "on"
	}
	if _, ok := f.Values["expires_in_days"]; !ok {
		f.Values["expires_in_days"] = strconv.Itoa(birge.TokenDefaultDays)
	}
	p := request.From(r.Context()).P
	zones := make([]option, len(birge.UserTimeZones))
	for i, z := range birge.UserTimeZones {
		zones[i] = option{z, p.T("tz." + z)}
	}
	return s.render(w, r, status, "account/account", f, map[string]any{
		"User": u, "Roles": scopes, "Tokens": tokens, "NewToken": newToken, "Langs": langOptions(), "Zones": zones,
		"Lifetimes": tokenLifetimes(p)})
}

// tokenLifetimes are the lifetimes the account page offers; the API takes any number of
// days up to birge.TokenMaxDays.
func tokenLifetimes(p *i18n.Printer) []option {
	var out []option
	for _, d := range []int{30, birge.TokenDefaultDays, 180, birge.TokenMaxDays} {
		out = append(out, option{strconv.Itoa(d), p.T("token.days_" + strconv.Itoa(d))})
	}
	return out
}

// savePreferences changes the user's own language and time zone.
func (s *Server) savePreferences(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	if _, err := s.store.SetPreferences(r.Context(), a, f.get("language"), f.get("time_zone"), time.Time{}); err != nil {
		if f.fail(err) {
			return s.renderAccount(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	return redirect(w, r, "/account", "flash.preferences_saved")
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	next, confirm, current := f.get("new_password"), f.get("new_password_confirm"), f.get("current_password")
	for _, k := range []string{"new_password", "new_password_confirm", "current_password"} {
		f.Values[k] = "" // never echo a password into a page
	}
	if next != confirm {
		f.Errors["new_password_confirm"] = "password.mismatch"
		return s.renderAccount(w, r, http.StatusUnprocessableEntity, f, "")
	}
	if err := s.store.ChangeOwnPassword(r.Context(), a, current, next, f.get("revoke_tokens") == "on"); err != nil {
		if f.fail(err) {
			return s.renderAccount(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	s.clearSession(w, r)
	return redirect(w, r, "/login", "flash.password_changed")
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	days := 0 // the default lifetime
	if v := f.get("expires_in_days"); v != "" {
		if days, err = strconv.Atoi(v); err != nil {
			days = -1 // not a number: refused by the store's range check, beside the field
		}
	}
	_, secret, err := s.store.CreateToken(r.Context(), a, a.UserID, f.get("name"), days)
	if err != nil {
		if f.fail(err) {
			return s.renderAccount(w, r, http.StatusUnprocessableEntity, f, "")
		}
		return err
	}
	// The secret is shown on this response only; it is never stored in the clear.
	return s.renderAccount(w, r, http.StatusOK, newForm(), secret)
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return birge.ErrNotFound
	}
	if err := s.store.DeleteToken(r.Context(), request.From(r.Context()).Actor, id); err != nil {
		return err
	}
	return redirect(w, r, "/account", "flash.token_deleted")
}
