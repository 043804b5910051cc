package api

import (
	"net/http"

	"github.com/birge-org/birge/internal/birge"
)

// Me returns the signed-in user with their roles.
func (a *API) Me(w http.ResponseWriter, r *http.Request) error {
	u, err := a.store.GetUser(r.Context(), actor(r), actor(r).UserID)
	if err != nil {
		return err
	}
	return writeVersioned(w, http.StatusOK, u, u.UpdatedAt)
}

// preferencesUpdate is the body of PATCH /me: what a user may change about themselves.
type preferencesUpdate struct {
	Lang     *string `json:"language"`
	TimeZone *string `json:"time_zone"`
}

func (u *preferencesUpdate) apply(user *birge.User) {
	set(&user.Lang, u.Lang)
	set(&user.TimeZone, u.TimeZone)
}

// UpdateMe changes the signed-in user's language and time zone.
func (a *API) UpdateMe(w http.ResponseWriter, r *http.Request) error {
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &preferencesUpdate{}, userVersion, readThenWrite(
		func() (birge.User, error) { return a.store.GetUser(ctx, act, act.UserID) },
		func(u birge.User) (birge.User, error) {
			return a.store.SetPreferences(ctx, act, u.Lang, u.TimeZone, u.UpdatedAt)
		}))
}
