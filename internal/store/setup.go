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

// CompleteSetup creates the first administrator of the installation and uses up the token.
func (s *Store) CompleteSetup(ctx context.Context, token string, nu NewUser, ip string) (birge.User, error) {
	ok, err := s.ValidSetupToken(ctx, token)
	if err != nil {
		return nu.User, err
	}
	if !ok {
		return nu.User, birge.Errorf(birge.KindNotFound, "setup.used")
	}
	nu.Grants = []birge.Grant{{Role: birge.RoleAdmin}}
	sys := birge.System("setup")
	sys.IP = ip
	u, err := s.CreateUser(ctx, sys, nu)
	if err != nil {
		return u, err
	}
	_, err = s.read().exec(ctx, `DELETE FROM setup_tokens`)
	return u, err
}
