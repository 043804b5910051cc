package api

import (
	"net/http"

	"github.com/birge-org/birge/internal/store"
)

// ListTokens returns the caller's own API tokens (never their secrets).
func (a *API) ListTokens(w http.ResponseWriter, r *http.Request) error {
	items, err := a.store.ListTokens(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[store.Token]{Items: items})
}

// CreateToken makes a token for the caller; the secret is in this response only.
func (a *API) CreateToken(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(w, r, &in); err != nil {
		return err
	}
	t, secret, err := a.store.CreateToken(r.Context(), actor(r), actor(r).UserID, in.Name)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, struct {
		store.Token
		Secret string `json:"token"`
	}{t, secret})
}

// DeleteToken revokes one of the caller's tokens.
func (a *API) DeleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.store.DeleteToken(r.Context(), actor(r), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
