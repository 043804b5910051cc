package api

import (
	"net/http"

	"github.com/birge-org/birge/internal/store"
)

// ListTokens returns the caller's own API tokens (never their secrets), expired ones
// marked.
func (a *API) ListTokens(w http.ResponseWriter, r *http.Request) error {
	items, err := a.store.ListTokens(r.Context(), actor(r))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[store.Token]{Items: items})
}

// newToken is the body of POST /tokens: a name and, optionally, for how many days the
// token works (the default is birge.TokenDefaultDays).
type newToken struct {
	Name          string `json:"name"`
	ExpiresInDays int    `json:"expires_in_days"`
}

// CreateToken makes a token for the caller; the secret is in this response only.
func (a *API) CreateToken(w http.ResponseWriter, r *http.Request) error {
	var in newToken
	if err := decode(w, r, &in); err != nil {
		return err
	}
	t, secret, err := a.store.CreateToken(r.Context(), actor(r), actor(r).UserID, in.Name, in.ExpiresInDays)
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

// ListUserTokens returns a user's tokens to an administrator who manages her.
func (a *API) ListUserTokens(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	items, err := a.store.ListUserTokens(r.Context(), actor(r), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, List[store.Token]{Items: items})
}

// DeleteUserToken revokes one of a user's tokens, as an administrator who manages her.
func (a *API) DeleteUserToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	token, err := pathID(r, "token")
	if err != nil {
		return err
	}
	if err := a.store.DeleteUserToken(r.Context(), actor(r), id, token); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
