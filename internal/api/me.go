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
