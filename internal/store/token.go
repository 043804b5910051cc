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
	LastUsedAt *time.Time `json:"last_used_at"`
}

// TokenPrefix starts every API token so that secret scanners can recognise a leaked one.
const TokenPrefix = "birge_"

// CreateToken makes a token acting as userID. Users make their own; the command line
// (the system actor) makes them for anyone.
func (s *Store) CreateToken(ctx context.Context, a *birge.Actor, userID int64, name string) (Token, string, error) {
	t := Token{UserID: userID, Name: name, CreatedAt: s.now()}
	if userID != a.UserID && !a.InstallationAdmin() {
		return t, "", birge.ErrForbidden
	}
	if key := birge.CheckText(name, true, birge.MaxShort, false); key != "" {
		return t, "", &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"name": key}}
	}
	secret := newSecret(TokenPrefix)
	err := s.tx(ctx, func(c q) error {
		u, err := s.getUser(ctx, c, userID)
		if err != nil {
			return err
		}
		if err := c.row(ctx, `INSERT INTO tokens (user_id, name, token_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
			userID, name, hashSecret(secret), t.CreatedAt).Scan(&t.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: "create", entity: "token", entityID: t.ID, orgID: u.OrgID,
			changes: birge.Diff(nil, map[string]any{"name": name, "user_id": userID})})
	})
	return t, secret, err
}

// ListTokens returns the actor's own tokens.
func (s *Store) ListTokens(ctx context.Context, a *birge.Actor) ([]Token, error) {
	rows, err := s.read().query(ctx, `SELECT id, user_id, name, created_at, last_used_at FROM tokens WHERE user_id = ? ORDER BY id`, a.UserID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Token{}
	for rows.Next() {
		var t Token
		var used sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &used); err != nil {
			return nil, err
		}
		t.CreatedAt = t.CreatedAt.UTC()
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
	return s.tx(ctx, func(c q) error {
		res, err := c.exec(ctx, `DELETE FROM tokens WHERE id = ? AND user_id = ?`, id, a.UserID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return birge.ErrNotFound
		}
		return s.audit(ctx, c, a, event{action: "delete", entity: "token", entityID: id})
	})
}

// ActorByToken returns who a bearer token acts for. It records the last use at most once a
// minute, so that API traffic does not turn every read into a write.
func (s *Store) ActorByToken(ctx context.Context, secret, ip string) (*birge.Actor, error) {
	var id, userID int64
	var used sql.NullTime
	err := s.read().row(ctx, `SELECT t.id, t.user_id, t.last_used_at FROM tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND NOT u.disabled`, hashSecret(secret)).Scan(&id, &userID, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, birge.Errorf(birge.KindUnauthenticated, "token.invalid")
	}
	if err != nil {
		return nil, err
	}
	if now := s.now(); !used.Valid || now.Sub(used.Time) > time.Minute {
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
