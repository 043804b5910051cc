package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Token is a personal API token. Its secret is shown once, at creation; the database keeps
// only a hash.
type Token struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	Expired    bool       `json:"expired"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// TokenPrefix starts every API token so that secret scanners can recognise a leaked one.
const TokenPrefix = "birge_"

// CreateToken makes a token acting as userID that works for days days (0: the default).
// Users make their own; the command line (the system actor) makes them for anyone.
func (s *Store) CreateToken(ctx context.Context, a *birge.Actor, userID int64, name string, days int) (Token, string, error) {
	t := Token{UserID: userID, Name: name, CreatedAt: s.now()}
	if userID != a.UserID && !a.InstallationAdmin() {
		return t, "", birge.ErrForbidden
	}
	p := birge.Problems{}
	p.Add("name", birge.CheckText(name, true, birge.MaxShort, false))
	var key string
	t.ExpiresAt, key = birge.TokenExpiry(t.CreatedAt, days)
	p.Add("expires_in_days", key)
	if err := p.Err(); err != nil {
		return t, "", err
	}
	secret := newSecret(TokenPrefix)
	err := s.tx(ctx, func(c q) error {
		u, err := s.getUser(ctx, c, userID)
		if err != nil {
			return err
		}
		if err := c.row(ctx, `INSERT INTO tokens (user_id, name, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
			userID, name, hashSecret(secret), t.CreatedAt, t.ExpiresAt).Scan(&t.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityToken, entityID: t.ID, orgID: u.OrgID,
			changes: birge.Diff(nil, map[string]any{"name": name, "user_id": userID, "expires_at": t.ExpiresAt})})
	})
	return t, secret, err
}

// ListTokens returns the actor's own tokens.
func (s *Store) ListTokens(ctx context.Context, a *birge.Actor) ([]Token, error) {
	return s.tokensOf(ctx, s.read(), a.UserID)
}

// ListUserTokens returns a user's tokens to the user herself or to an administrator who
// manages her (birge.Actor.CanManageUser); to anyone else the user does not exist, or
// the answer is forbidden, as for her other settings.
func (s *Store) ListUserTokens(ctx context.Context, a *birge.Actor, userID int64) ([]Token, error) {
	if userID != a.UserID {
		if _, err := s.managed(ctx, s.read(), a, userID); err != nil {
			return nil, err
		}
	}
	return s.tokensOf(ctx, s.read(), userID)
}

func (s *Store) tokensOf(ctx context.Context, c q, userID int64) ([]Token, error) {
	rows, err := c.query(ctx, `SELECT id, user_id, name, created_at, expires_at, last_used_at FROM tokens WHERE user_id = ? ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	now := s.now()
	out := []Token{}
	for rows.Next() {
		var t Token
		var used, expires sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &expires, &used); err != nil {
			return nil, err
		}
		t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), expires.Time.UTC()
		t.Expired = !expires.Valid || !t.ExpiresAt.After(now)
		if used.Valid {
			u := used.Time.UTC()
			t.LastUsedAt = &u
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteToken revokes one of the actor's tokens.
func (s *Store) DeleteToken(ctx context.Context, a *birge.Actor, id int64) error {
	return s.DeleteUserToken(ctx, a, a.UserID, id)
}

// DeleteUserToken revokes one of a user's tokens, as the user or an administrator who
// manages her. The audit entry names the token and its owner.
func (s *Store) DeleteUserToken(ctx context.Context, a *birge.Actor, userID, id int64) error {
	return s.tx(ctx, func(c q) error {
		// Her organisation's chain records it, whoever revokes: its administrator sees it.
		var u birge.User
		var err error
		if userID == a.UserID {
			u, err = s.getUser(ctx, c, userID)
		} else {
			u, err = s.managed(ctx, c, a, userID)
		}
		if err != nil {
			return err
		}
		var name string
		err = c.row(ctx, `DELETE FROM tokens WHERE id = ? AND user_id = ? RETURNING name`, id, userID).Scan(&name)
		if errors.Is(err, sql.ErrNoRows) {
			return birge.ErrNotFound
		}
		if err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionDelete, entity: birge.EntityToken, entityID: id, orgID: u.OrgID,
			changes: birge.Diff(map[string]any{"name": name, "user_id": userID}, nil)})
	})
}

// revokeTokens deletes every token of a user inside the caller's transaction, with one
// audit entry per token, and returns how many there were.
func (s *Store) revokeTokens(ctx context.Context, c q, a *birge.Actor, u birge.User) (int, error) {
	rows, err := c.query(ctx, `DELETE FROM tokens WHERE user_id = ? RETURNING id, name`, u.ID)
	if err != nil {
		return 0, err
	}
	var evs []event
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return 0, err
		}
		evs = append(evs, event{action: birge.ActionDelete, entity: birge.EntityToken, entityID: id, orgID: u.OrgID,
			changes: birge.Diff(map[string]any{"name": name, "user_id": u.ID}, nil)})
	}
	if err := rows.Close(); err != nil {
		return 0, err
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	return len(evs), s.auditMany(ctx, c, a, evs)
}

// ActorByToken returns who a bearer token acts for; an expired token is refused with its
// own message, so that whoever runs the program knows to make a new one. It records the
// last use at most once a minute, so that API traffic does not turn every read into a
// write.
func (s *Store) ActorByToken(ctx context.Context, secret, ip string) (*birge.Actor, error) {
	var id, userID int64
	var used, expires sql.NullTime
	err := s.read().row(ctx, `SELECT t.id, t.user_id, t.last_used_at, t.expires_at FROM tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND NOT u.disabled`, hashSecret(secret)).Scan(&id, &userID, &used, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, birge.Errorf(birge.KindUnauthenticated, "token.invalid")
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !expires.Valid || !expires.Time.After(now) {
		return nil, birge.Errorf(birge.KindUnauthenticated, "token.expired")
	}
	if !used.Valid || now.Sub(used.Time) > time.Minute {
		err := s.tx(ctx, func(c q) error {
			_, err := c.exec(ctx, `UPDATE tokens SET last_used_at = ? WHERE id = ?`, now, id)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return s.actor(ctx, userID, ip)
}
