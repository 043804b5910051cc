package store

import (
	"context"

	"github.com/birge-org/birge/internal/birge"
)

// NewSetupToken returns a one-time token for creating the first administrator, or "" when
// someone can sign in already. Each call replaces earlier tokens, so only the link printed
// by the newest start of the server works.
func (s *Store) NewSetupToken(ctx context.Context) (string, error) {
	token := newSecret("")
	err := s.tx(ctx, func(c q) error {
		var n int
		if err := c.row(ctx, `SELECT COUNT(*) FROM users`).Scan(&n); err != nil || n > 0 {
			token = ""
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM setup_tokens`); err != nil {
			return err
		}
		_, err := c.exec(ctx, `INSERT INTO setup_tokens (token_hash, created_at) VALUES (?, ?)`, hashSecret(token), s.now())
		return err
	})
	return token, err
}

// ValidSetupToken reports whether token may still be used.
func (s *Store) ValidSetupToken(ctx context.Context, token string) (bool, error) {
	var n int
	err := s.read().row(ctx, `SELECT COUNT(*) FROM setup_tokens WHERE token_hash = ?`, hashSecret(token)).Scan(&n)
	return n > 0, err
}

// CompleteSetup creates the first administrator of the installation and uses up the token
// in the same transaction: of two submits racing with one token, only one creates a user.
func (s *Store) CompleteSetup(ctx context.Context, token string, nu NewUser, ip string) (birge.User, error) {
	nu.Grants = []birge.Grant{{Role: birge.RoleAdmin}}
	sys := birge.System("setup")
	sys.IP = ip
	return s.createUser(ctx, sys, nu, func(c q) error {
		res, err := c.exec(ctx, `DELETE FROM setup_tokens WHERE token_hash = ?`, hashSecret(token))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return birge.Errorf(birge.KindNotFound, "setup.used")
		}
		return nil
	})
}
