package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/birge-org/birge/internal/birge"
	"github.com/birge-org/birge/internal/i18n"
	"github.com/birge-org/birge/internal/request"
	"github.com/birge-org/birge/internal/store"
)

// roleLabel is a grant as people read it: "Coordinator — Aktobe family centre".
type roleLabel struct {
	ID    int64
	Role  birge.Role
	Scope string
	Grant birge.Grant
}

func (s *Server) grantLabels(r *http.Request, grants []birge.Grant) ([]roleLabel, error) {
	info := request.From(r.Context())
	orgs, centers, err := s.store.ScopeNames(r.Context(), grants)
	if err != nil {
		return nil, err
	}
	out := make([]roleLabel, len(grants))
	for i, g := range grants {
		l := roleLabel{ID: g.ID, Role: g.Role, Grant: g}
		switch {
		case g.Installation():
			l.Scope = info.P.T("scope.installation")
		case g.CenterID == 0:
			l.Scope = orgs[g.OrgID].In(info.Lang)
		default:
			l.Scope = orgs[g.OrgID].In(info.Lang) + " — " + centers[g.CenterID].In(info.Lang)
		}
		out[i] = l
	}
	return out, nil
}

func (s *Server) userList(w http.ResponseWriter, r *http.Request) error {
	info := request.From(r.Context())
	f := store.UserFilter{}
	if c := r.URL.Query().Get("center"); c != "" {
		f.CenterID, _ = strconv.ParseInt(c, 10, 64)
	}
	users, err := s.store.ListUsers(r.Context(), info.Actor, f)
	if err != nil {
		return err
	}
	i18n.Sort(info.P, users, func(u birge.User) string { return u.Name })
	type row struct {
		User  birge.User
		Roles []roleLabel
	}
	rows := make([]row, len(users))
	for i, u := range users {
		roles, err := s.grantLabels(r, u.Grants)
		if err != nil {
			return err
		}
		rows[i] = row{u, roles}
	}
	scopes, err := s.grantableScopes(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "user/list", nil, map[string]any{"Rows": rows, "CanCreate": len(scopes) > 0})
}

func (s *Server) userShow(w http.ResponseWriter, r *http.Request) error {
	return s.renderUser(w, r, http.StatusOK, pathInt(r, "id"), newForm())
}

func (s *Server) renderUser(w http.ResponseWriter, r *http.Request, status int, id int64, f *form) error {
	info := request.From(r.Context())
	u, err := s.store.GetUser(r.Context(), info.Actor, id)
	if err != nil {
		return err
	}
	roles, err := s.grantLabels(r, u.Grants)
	if err != nil {
		return err
	}
	scopes, err := s.grantableScopes(r)
	if err != nil {
		return err
	}
	canManage := info.Actor.CanManageUser(u.OrgID, u.Grants) && u.ID != info.Actor.UserID
	var tokens []store.Token
	if canManage {
		if tokens, err = s.store.ListUserTokens(r.Context(), info.Actor, u.ID); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "user/show", f, map[string]any{"User": u, "Roles": roles, "Tokens": tokens,
		"CanManage": canManage, "RoleOptions": roleOptions(info.P), "Scopes": scopes,
		"CanGrant": len(scopes) > 0, "CanRevoke": func(g birge.Grant) bool { return info.Actor.CanGrant(g) && u.ID != info.Actor.UserID }})
}

// grantableScopes lists where the actor may give roles: "install", "org:ID", "center:ID".
func (s *Server) grantableScopes(r *http.Request) ([]option, error) {
	info := request.From(r.Context())
	a := info.Actor
	var out []option
	if a.InstallationAdmin() {
		out = append(out, option{"install", info.P.T("scope.installation")})
	}
	orgs, err := s.store.ListOrgs(r.Context(), a)
	if err != nil {
		return nil, err
	}
	i18n.Sort(info.P, orgs, func(o birge.Organization) string { return o.Names.In(info.Lang) })
	for _, o := range orgs {
		if a.Can(birge.PermUserManage, o.ID, 0) {
			out = append(out, option{"org:" + strconv.FormatInt(o.ID, 10), o.Names.In(info.Lang)})
		}
		centers, err := s.visibleCenters(r, store.CenterFilter{OrgID: o.ID})
		if err != nil {
			return nil, err
		}
		for _, c := range centers {
			if a.Can(birge.PermUserManage, o.ID, c.ID) {
				out = append(out, option{"center:" + strconv.FormatInt(c.ID, 10),
					o.Names.In(info.Lang) + " — " + c.Names.In(info.Lang)})
			}
		}
	}
	return out, nil
}

// grantFromForm reads a role and a scope value made by grantableScopes.
func (s *Server) grantFromForm(r *http.Request, f *form) birge.Grant {
	g := birge.Grant{Role: birge.Role(f.get("role"))}
	kind, idText, _ := strings.Cut(f.get("scope"), ":")
	id, _ := strconv.ParseInt(idText, 10, 64)
	switch kind {
	case "org":
		g.OrgID = id
	case "center":
		if c, err := s.store.GetCenter(r.Context(), request.From(r.Context()).Actor, id); err == nil {
			g.OrgID, g.CenterID = c.OrgID, c.ID
		} else {
			g.OrgID, g.CenterID = -1, id // an unknown centre: refused as a scope nobody manages
		}
	case "install":
	default:
		g.OrgID = -1
	}
	return g
}

func roleOptions(p *i18n.Printer) []option {
	out := make([]option, len(birge.Roles))
	for i, r := range birge.Roles {
		out[i] = option{string(r), p.T("role." + string(r))}
	}
	return out
}

func (s *Server) userNew(w http.ResponseWriter, r *http.Request) error {
	f := newForm()
	f.Values["language"] = request.From(r.Context()).Lang
	return s.renderUserNew(w, r, http.StatusOK, f)
}

func (s *Server) renderUserNew(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	scopes, err := s.grantableScopes(r)
	if err != nil {
		return err
	}
	if len(scopes) == 0 {
		return birge.ErrForbidden
	}
	return s.render(w, r, status, "user/new", f, map[string]any{"Scopes": scopes,
		"RoleOptions": roleOptions(request.From(r.Context()).P), "Langs": langOptions()})
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	nu := store.NewUser{User: birge.User{Email: f.get("email"), Name: f.get("name"), Lang: f.get("language"),
		Grants: []birge.Grant{s.grantFromForm(r, f)}}, Password: f.get("password")}
	u, err := s.store.CreateUser(r.Context(), request.From(r.Context()).Actor, nu)
	if err != nil {
		if birge.KindOf(err) == birge.KindForbidden {
			f.Errors["scope"] = "field.choose"
			f.Values["password"] = ""
			return s.renderUserNew(w, r, http.StatusUnprocessableEntity, f)
		}
		if f.fail(err) {
			f.Values["password"] = ""
			return s.renderUserNew(w, r, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	return redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), "flash.saved")
}

func (s *Server) userEdit(w http.ResponseWriter, r *http.Request) error {
	a := request.From(r.Context()).Actor
	u, err := s.store.GetUser(r.Context(), a, pathInt(r, "id"))
	if err != nil {
		return err
	}
	if !a.CanManageUser(u.OrgID, u.Grants) {
		return birge.ErrForbidden
	}
	f := newForm()
	f.Values["email"], f.Values["name"], f.Values["language"] = u.Email, u.Name, u.Lang
	if u.Disabled {
		f.Values["disabled"] = "on"
	}
	return s.render(w, r, http.StatusOK, "user/edit", f, map[string]any{"User": u, "Langs": langOptions()})
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	a := request.From(r.Context()).Actor
	u := birge.User{ID: pathInt(r, "id"), Email: f.get("email"), Name: f.get("name"), Lang: f.get("language"),
		Disabled: f.get("disabled") == "on"}
	if _, err := s.store.UpdateUser(r.Context(), a, u); err != nil {
		if f.fail(err) {
			return s.render(w, r, http.StatusUnprocessableEntity, "user/edit", f, map[string]any{"User": u, "Langs": langOptions()})
		}
		return err
	}
	return redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), "flash.saved")
}

func (s *Server) userPassword(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	if err := s.store.SetPassword(r.Context(), request.From(r.Context()).Actor, id, f.get("password")); err != nil {
		if f.fail(err) {
			f.Values["password"] = ""
			return s.renderUser(w, r, http.StatusUnprocessableEntity, id, f)
		}
		return err
	}
	return redirect(w, r, "/users/"+strconv.FormatInt(id, 10), "flash.password_set")
}

func (s *Server) userGrant(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(r)
	if err != nil {
		return err
	}
	id := pathInt(r, "id")
	a := request.From(r.Context()).Actor
	if _, err := s.store.GetUser(r.Context(), a, id); err != nil {
		return err
	}
	if a.ScopeOf(birge.PermUserManage).Empty() {
		return birge.ErrForbidden
	}
	g := s.grantFromForm(r, f)
	g.UserID = id
	if _, err := s.store.AddGrant(r.Context(), request.From(r.Context()).Actor, g); err != nil {
		if birge.KindOf(err) == birge.KindForbidden {
			f.Errors["scope"] = "field.choose"
			return s.renderUser(w, r, http.StatusUnprocessableEntity, id, f)
		}
		if f.fail(err) {
			return s.renderUser(w, r, http.StatusUnprocessableEntity, id, f)
		}
		return err
	}
	return redirect(w, r, "/users/"+strconv.FormatInt(id, 10), "flash.saved")
}

func (s *Server) userRevoke(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	if err := s.store.RemoveGrant(r.Context(), request.From(r.Context()).Actor, id, pathInt(r, "grant")); err != nil {
		return err
	}
	return redirect(w, r, "/users/"+strconv.FormatInt(id, 10), "flash.saved")
}

// userTokenDelete revokes one of a user's API tokens, as an administrator who manages her.
func (s *Server) userTokenDelete(w http.ResponseWriter, r *http.Request) error {
	id := pathInt(r, "id")
	if err := s.store.DeleteUserToken(r.Context(), request.From(r.Context()).Actor, id, pathInt(r, "token")); err != nil {
		return err
	}
	return redirect(w, r, "/users/"+strconv.FormatInt(id, 10), "flash.token_deleted")
}
