package api

import "net/http"

// Me returns the signed-in user with their roles.
func (a *API) Me(w http.ResponseWriter, r *http.Request) error {
	u, err := a.store.GetUser(r.Context(), actor(r), actor(r).UserID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

// preferences are the fields a user may change about themselves.
type preferences struct {
	Lang     string `json:"language"`
	TimeZone string `json:"time_zone"`
}

// UpdateMe changes the signed-in user's language and time zone; an omitted field keeps
// its value.
func (a *API) UpdateMe(w http.ResponseWriter, r *http.Request) error {
	var in preferences
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.store.SetPreferences(r.Context(), actor(r), in.Lang, in.TimeZone)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}
