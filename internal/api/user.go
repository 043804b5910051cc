package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/store"
)

// ListUsers returns the users the caller may see; organization_id and center_id narrow it.
func (a *API) ListUsers(w http.ResponseWriter, r *http.Request) error {
	limit, after, err := page(r)
	if err != nil {
		return err
	}
	f := store.UserFilter{After: after, Limit: limit + 1}
	p := birge.Problems{}
	for name, dst := range map[string]*int64{"organization_id": &f.OrgID, "center_id": &f.CenterID} {
		if s := r.URL.Query().Get(name); s != "" {
			if *dst, err = strconv.ParseInt(s, 10, 64); err != nil {
				p.Add(name, "field.type")
			}
		}
	}
	if err := p.Err(); err != nil {
		return err
	}
	items, err := a.store.ListUsers(r.Context(), actor(r), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list(items, limit, func(u birge.User) int64 { return u.ID }))
}

// GetUser returns one user with the roles the caller may see.
func (a *API) GetUser(w http.ResponseWriter, r *http.Request) error {
	return getByID(w, r, a.store.GetUser, func(x birge.User) time.Time { return x.UpdatedAt })
}

// newUser is the body of POST /users: a user, their first password and roles.
type newUser struct {
	Email    string        `json:"email"`
	Name     string        `json:"name"`
	Lang     string        `json:"language"`
	Password string        `json:"password"`
	Roles    []birge.Grant `json:"roles"`
}

// CreateUser adds a user with roles the caller may grant.
func (a *API) CreateUser(w http.ResponseWriter, r *http.Request) error {
	var in newUser
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := a.store.CreateUser(r.Context(), actor(r), store.NewUser{
		User:     birge.User{Email: in.Email, Name: in.Name, Lang: in.Lang, Grants: in.Roles},
		Password: in.Password,
	})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

// userUpdate is the body of PATCH /users/{id}. Passwords are set on the web page or the
// command line, so that one request never half-applies two changes; roles have their own
// pages.
type userUpdate struct {
	Email    *string `json:"email"`
	Name     *string `json:"name"`
	Lang     *string `json:"language"`
	TimeZone *string `json:"time_zone"`
	Disabled *bool   `json:"disabled"`
}

func (u *userUpdate) apply(user *birge.User) {
	set(&user.Email, u.Email)
	set(&user.Name, u.Name)
	set(&user.Lang, u.Lang)
	set(&user.TimeZone, u.TimeZone)
	set(&user.Disabled, u.Disabled)
}

// UpdateUser changes a user's fields.
func (a *API) UpdateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ctx, act := r.Context(), actor(r)
	return patch(w, r, &userUpdate{}, userVersion, readThenWrite(
		func() (birge.User, error) { return a.store.GetUser(ctx, act, id) },
		func(u birge.User) (birge.User, error) { return a.store.UpdateUser(ctx, act, u) }))
}

func userVersion(u birge.User) time.Time { return u.UpdatedAt }

// set lays one field of an update over a record: nil leaves it as it is.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
