package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

const userColumns = `u.id, u.email, u.name, u.lang, u.time_zone, u.org_id, u.disabled, u.created_at, u.updated_at`

func scanUser(row interface{ Scan(...any) error }, extra ...any) (birge.User, error) {
	var u birge.User
	var org sql.NullInt64
	err := row.Scan(append([]any{&u.ID, &u.Email, &u.Name, &u.Lang, &u.TimeZone, &org, &u.Disabled, &u.CreatedAt, &u.UpdatedAt}, extra...)...)
	u.OrgID = idOrZero(org)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return u, err
}

func userFields(u birge.User) map[string]any {
	return map[string]any{"email": u.Email, "name": u.Name, "language": u.Lang, "time_zone": u.TimeZone, "disabled": u.Disabled,
		"organization_id": u.OrgID}
}

// userScope limits a users query to those the actor may see: users of organisations it
// views whole, users holding a role in a scope it views, and itself.
func userScope(w *where, a *birge.Actor) {
	s := a.ScopeOf(birge.PermUserView)
	if s.All {
		return
	}
	inner := where{}
	inner.scope("g.org_id", "g.center_id", s)
	outer := where{}
	outer.scope("u.org_id", "", birge.Scope{Orgs: s.Orgs})
	w.add("(u.id = ? OR "+strings.TrimPrefix(outer.sql(), " WHERE ")+
		" OR EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND "+strings.TrimPrefix(inner.sql(), " WHERE ")+"))",
		append(append([]any{a.UserID}, outer.args...), inner.args...)...)
}

// UserFilter narrows a list of users.
type UserFilter struct {
	OrgID    int64
	CenterID int64
	After    int64
	Limit    int
}

// ListUsers returns the users the actor may see, by id, each with the roles the actor may
// see (a role in a centre the actor cannot see would reveal that centre).
func (s *Store) ListUsers(ctx context.Context, a *birge.Actor, f UserFilter) ([]birge.User, error) {
	if a.ScopeOf(birge.PermUserView).Empty() {
		return nil, birge.ErrForbidden
	}
	w := where{}
	userScope(&w, a)
	if f.OrgID != 0 {
		w.add("(u.org_id = ? OR EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.org_id = ?))", f.OrgID, f.OrgID)
	}
	if f.CenterID != 0 {
		w.add("EXISTS (SELECT 1 FROM grants g WHERE g.user_id = u.id AND g.center_id = ?)", f.CenterID)
	}
	if f.After != 0 {
		w.add("u.id > ?", f.After)
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + itoa(f.Limit)
	}
	rows, err := s.read().query(ctx, `SELECT `+userColumns+` FROM users u`+w.sql()+` ORDER BY u.id`+limit, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []birge.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		g, err := s.grants(ctx, s.read(), out[i].ID)
		if err != nil {
			return nil, err
		}
		out[i].Grants = visibleGrants(a, out[i].ID, g)
	}
	return out, nil
}

func visibleGrants(a *birge.Actor, userID int64, all []birge.Grant) []birge.Grant {
	if userID == a.UserID {
		return all
	}
	out := []birge.Grant{}
	for _, g := range all {
		if a.Can(birge.PermUserView, g.OrgID, g.CenterID) {
			out = append(out, g)
		}
	}
	return out
}

// GetUser returns a user the actor may see, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, a *birge.Actor, id int64) (birge.User, error) {
	return s.visibleUser(ctx, s.read(), a, id)
}

func (s *Store) visibleUser(ctx context.Context, c q, a *birge.Actor, id int64) (birge.User, error) {
	w := where{}
	w.add("u.id = ?", id)
	userScope(&w, a)
	u, err := scanUser(c.row(ctx, `SELECT `+userColumns+` FROM users u`+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return u, birge.ErrNotFound
	}
	if err != nil {
		return u, err
	}
	all, err := s.grants(ctx, c, id)
	u.Grants = visibleGrants(a, id, all)
	return u, err
}

// userMay reports whether a user, not disabled, holds perm at the centre through the
// roles role accepts (nil: any): who may be assigned to a case, or train a cohort.
func (s *Store) userMay(ctx context.Context, c q, userID int64, perm birge.Permission, orgID, centerID int64,
	role func(birge.Role) bool) (bool, error) {
	var disabled bool
	err := c.row(ctx, `SELECT disabled FROM users WHERE id = ?`, userID).Scan(&disabled)
	if errors.Is(err, sql.ErrNoRows) || disabled {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	grants, err := s.grants(ctx, c, userID)
	if err != nil {
		return false, err
	}
	if role != nil {
		grants = slices.DeleteFunc(grants, func(g birge.Grant) bool { return !role(g.Role) })
	}
	return (&birge.Actor{UserID: userID, Grants: grants}).Can(perm, orgID, centerID), nil
}

// getUser reads a user with all roles, without checks, inside a transaction.
func (s *Store) getUser(ctx context.Context, c q, id int64) (birge.User, error) {
	u, err := scanUser(c.row(ctx, `SELECT `+userColumns+` FROM users u WHERE u.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return u, birge.ErrNotFound
	}
	if err != nil {
		return u, err
	}
	u.Grants, err = s.grants(ctx, c, id)
	return u, err
}

func (s *Store) grants(ctx context.Context, c q, userID int64) ([]birge.Grant, error) {
	// Sorted here, not with ORDER BY: that gives SQLite's planner a choice, and it then
	// re-plans the prepared query on every run; this runs on every request.
	rows, err := c.query(ctx, `SELECT id, role, org_id, center_id FROM grants WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Grant{}
	for rows.Next() {
		g := birge.Grant{UserID: userID}
		var org, center sql.NullInt64
		if err := rows.Scan(&g.ID, &g.Role, &org, &center); err != nil {
			return nil, err
		}
		g.OrgID, g.CenterID = idOrZero(org), idOrZero(center)
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b birge.Grant) int { return cmp.Compare(a.ID, b.ID) })
	return out, rows.Err()
}

// NewUser is what creating a user takes: the user, a first password and first roles.
type NewUser struct {
	birge.User
	Password string
}

// CreateUser adds a user with their roles. The actor must be able to grant every role;
// a user without roles can only be made by installation administrators (who make more
// installation administrators that way).
func (s *Store) CreateUser(ctx context.Context, a *birge.Actor, nu NewUser) (birge.User, error) {
	return s.createUser(ctx, a, nu, nil)
}

// createUser validates and inserts a user. claim, when not nil, runs first in the same
// transaction, so a one-time right to create the user is used up together with the insert.
func (s *Store) createUser(ctx context.Context, a *birge.Actor, nu NewUser, claim func(q) error) (birge.User, error) {
	u := nu.User
	if len(u.Grants) == 0 && !a.InstallationAdmin() {
		return u, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"role": "user.needs_role"}}
	}
	for _, g := range u.Grants {
		if !a.CanGrant(g) {
			return u, birge.ErrForbidden
		}
	}
	p := birge.Problems{}
	if err := u.Validate(); err != nil {
		p = birge.AsError(err).Fields
	}
	p.Add("password", birge.CheckPassword(nu.Password))
	for _, g := range u.Grants {
		if err := birge.CheckGrant(g); err != nil {
			p.Add("role", "field.choose")
		}
	}
	if err := p.Err(); err != nil {
		return u, err
	}
	if u.OrgID == 0 && len(u.Grants) > 0 {
		u.OrgID = u.Grants[0].OrgID
	}
	u.TimeZone = cmp.Or(u.TimeZone, birge.DefaultTimeZone)
	hash := birge.HashPassword(nu.Password)
	u.CreatedAt, u.UpdatedAt = s.now(), s.now()
	err := s.tx(ctx, func(c q) error {
		if claim != nil {
			if err := claim(c); err != nil {
				return err
			}
		}
		err := c.row(ctx, `INSERT INTO users (email, name, lang, time_zone, org_id, password_hash, disabled, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Email, u.Name, u.Lang, u.TimeZone, nullID(u.OrgID), hash, u.Disabled, u.CreatedAt, u.UpdatedAt).Scan(&u.ID)
		if isUnique(err) {
			return &birge.Error{Kind: birge.KindConflict, Key: "error.invalid", Fields: birge.Problems{"email": "user.email_taken"}}
		}
		if err != nil {
			return err
		}
		fields := userFields(u)
		fields["password"] = "set"
		if err := s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityUser, entityID: u.ID, orgID: u.OrgID,
			changes: birge.Diff(nil, fields, "password")}); err != nil {
			return err
		}
		for i := range u.Grants {
			u.Grants[i].UserID = u.ID
			if u.Grants[i], err = s.addGrant(ctx, c, a, u.Grants[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return u, err
}

// managed loads a user for a change and checks the actor may manage them.
func (s *Store) managed(ctx context.Context, c q, a *birge.Actor, id int64) (birge.User, error) {
	if _, err := s.visibleUser(ctx, c, a, id); err != nil {
		return birge.User{}, err
	}
	u, err := s.getUser(ctx, c, id)
	if err != nil {
		return u, err
	}
	if !a.CanManageUser(u.OrgID, u.Grants) {
		return u, birge.ErrForbidden
	}
	return u, nil
}

// UpdateUser saves a user's email, name, language and disabled flag. Disabling a user
// ends their sessions at once. Saving them unchanged writes nothing: no audit entry, and
// their updated_at stays.
func (s *Store) UpdateUser(ctx context.Context, a *birge.Actor, u birge.User) (birge.User, error) {
	if err := u.Validate(); err != nil {
		return u, err
	}
	if u.ID == a.UserID && u.Disabled {
		return u, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"disabled": "user.cannot_disable_self"}}
	}
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "users", u.ID); err != nil {
			return err
		}
		old, err := s.managed(ctx, c, a, u.ID)
		if err != nil {
			return err
		}
		if err := sameVersion(u.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		u.OrgID, u.CreatedAt, u.UpdatedAt = old.OrgID, old.CreatedAt, nextVersion(s.now(), old.UpdatedAt)
		u.TimeZone = cmp.Or(u.TimeZone, old.TimeZone)
		changes := birge.Diff(userFields(old), userFields(u))
		if len(changes) == 0 {
			u = old
			return nil
		}
		_, err = c.exec(ctx, `UPDATE users SET email = ?, name = ?, lang = ?, time_zone = ?, disabled = ?, updated_at = ? WHERE id = ?`,
			u.Email, u.Name, u.Lang, u.TimeZone, u.Disabled, u.UpdatedAt, u.ID)
		if isUnique(err) {
			return &birge.Error{Kind: birge.KindConflict, Key: "error.invalid", Fields: birge.Problems{"email": "user.email_taken"}}
		}
		if err != nil {
			return err
		}
		if u.Disabled && !old.Disabled {
			if _, err := c.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
				return err
			}
		}
		u.Grants = old.Grants
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityUser, entityID: u.ID, orgID: u.OrgID,
			changes: changes})
	})
	return u, err
}

// SetPreferences changes the actor's own language and time zone; an empty value keeps
// the current one, and keeping both writes nothing. based is the version of the user
// the change was made on, refused when it is no longer the current one (zero: any).
func (s *Store) SetPreferences(ctx context.Context, a *birge.Actor, lang, zone string, based time.Time) (birge.User, error) {
	var u birge.User
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "users", a.UserID); err != nil {
			return err
		}
		old, err := s.getUser(ctx, c, a.UserID)
		if err != nil {
			return err
		}
		if err := sameVersion(based, old.UpdatedAt); err != nil {
			return err
		}
		u = old
		u.Lang, u.TimeZone = cmp.Or(lang, old.Lang), cmp.Or(zone, old.TimeZone)
		if err := u.Validate(); err != nil {
			return err
		}
		changes := birge.Diff(userFields(old), userFields(u))
		if len(changes) == 0 {
			return nil
		}
		u.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		if _, err := c.exec(ctx, `UPDATE users SET lang = ?, time_zone = ?, updated_at = ? WHERE id = ?`,
			u.Lang, u.TimeZone, u.UpdatedAt, a.UserID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityUser, entityID: a.UserID, orgID: old.OrgID,
			changes: changes})
	})
	return u, err
}

// SetPassword sets a user's password, as their manager or the command line, and ends
// their sessions and revokes their API tokens: an administrator resets a password when
// someone else may know it, and whoever did may have made a token with it.
func (s *Store) SetPassword(ctx context.Context, a *birge.Actor, id int64, pw string) error {
	if key := birge.CheckPassword(pw); key != "" {
		return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"password": key}}
	}
	hash := birge.HashPassword(pw)
	return s.tx(ctx, func(c q) error {
		u, err := s.managed(ctx, c, a, id)
		if err != nil {
			return err
		}
		if err := s.setPassword(ctx, c, a, u, hash); err != nil {
			return err
		}
		_, err = s.revokeTokens(ctx, c, a, u)
		return err
	})
}

func (s *Store) setPassword(ctx context.Context, c q, a *birge.Actor, u birge.User, hash string) error {
	if _, err := c.exec(ctx, `UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?`, hash, s.now(), u.ID); err != nil {
		return err
	}
	if _, err := c.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID); err != nil {
		return err
	}
	return s.audit(ctx, c, a, event{action: birge.ActionPassword, entity: birge.EntityUser, entityID: u.ID, orgID: u.OrgID,
		changes: map[string]birge.Change{"password": {}}})
}

// ChangeOwnPassword lets a signed-in user change their password after proving they know
// the current one. All their sessions end; the caller signs them in again. Her API tokens
// end too when she asks (revokeTokens): she chooses, because a routine change should not
// stop her programs, while a change after a suspected theft should (decision 0016).
func (s *Store) ChangeOwnPassword(ctx context.Context, a *birge.Actor, current, next string, revokeTokens bool) error {
	p := birge.Problems{}
	var hash string
	if err := s.read().row(ctx, `SELECT password_hash FROM users WHERE id = ?`, a.UserID).Scan(&hash); err != nil {
		return err
	}
	if !birge.VerifyPassword(current, hash) {
		p.Add("current_password", "password.wrong")
	}
	p.Add("new_password", birge.CheckPassword(next))
	if err := p.Err(); err != nil {
		return err
	}
	newHash := birge.HashPassword(next)
	return s.tx(ctx, func(c q) error {
		u, err := s.getUser(ctx, c, a.UserID)
		if err != nil {
			return err
		}
		if err := s.setPassword(ctx, c, a, u, newHash); err != nil {
			return err
		}
		if revokeTokens {
			_, err = s.revokeTokens(ctx, c, a, u)
		}
		return err
	})
}

// UserIDByEmail finds a user for the command line, which acts as the system.
func (s *Store) UserIDByEmail(ctx context.Context, email string) (int64, error) {
	var id int64
	err := s.read().row(ctx, `SELECT id FROM users WHERE email = ?`, birge.NormalizeEmail(email)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, birge.ErrNotFound
	}
	return id, err
}

// CountUsers says whether anyone can sign in yet, for first-run setup.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.read().row(ctx, `SELECT COUNT(*) FROM users`).Scan(&n)
	return n, err
}

// CountVisibleUsers counts the users the actor may see, for the dashboard: one query
// instead of loading every user with their roles.
func (s *Store) CountVisibleUsers(ctx context.Context, a *birge.Actor) (int, error) {
	if a.ScopeOf(birge.PermUserView).Empty() {
		return 0, birge.ErrForbidden
	}
	w := where{}
	userScope(&w, a)
	var n int
	err := s.read().row(ctx, `SELECT COUNT(*) FROM users u`+w.sql(), w.args...).Scan(&n)
	return n, err
}
