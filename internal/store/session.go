package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// SessionTTL is how long a sign-in lasts. Centre computers are often shared, so a day's
// work and no more.
const SessionTTL = 12 * time.Hour

// Login checks an email and password and opens a session, returning the cookie token.
// Failures and successes are audited; repeated failures are throttled per account and per
// address (see birge.LoginWait), and the check itself costs a full argon2id hash even for
// unknown accounts so that timing does not reveal who has one.
func (s *Store) Login(ctx context.Context, email, password, ip, userAgent string) (string, *birge.Actor, error) {
	email = birge.NormalizeEmail(email)
	keys := newLoginKeys(email, ip)
	if wait, err := s.loginWait(ctx, keys); err != nil {
		return "", nil, err
	} else if wait > 0 {
		return "", nil, &birge.Error{Kind: birge.KindTooMany, Key: "login.throttled",
			Args: map[string]any{"seconds": int((wait + time.Second - 1) / time.Second)}} // rounded up: never "0 seconds"
	}
	var id int64
	var hash, name string
	var org sql.NullInt64
	var disabled bool
	err := s.read().row(ctx, `SELECT id, password_hash, name, org_id, disabled FROM users WHERE email = ?`, email).
		Scan(&id, &hash, &name, &org, &disabled)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", nil, err
	}
	ok := birge.VerifyPassword(password, hash) && !disabled
	if !ok {
		if err := s.failLogin(ctx, keys, email, id, idOrZero(org), ip); err != nil {
			return "", nil, err
		}
		return "", nil, birge.Errorf(birge.KindUnauthenticated, "login.failed")
	}
	token := newSecret("")
	a := &birge.Actor{UserID: id, Name: name, IP: ip}
	err = s.tx(ctx, func(c q) error {
		// Only this address's count at this account starts again: the address's count
		// stays (one's own account must not wipe out guesses at others), and so does
		// the account's ceiling, which counts guesses from everywhere.
		if _, err := c.exec(ctx, `DELETE FROM login_throttle WHERE key = ?`, keys.pair); err != nil {
			return err
		}
		now := s.now()
		if _, err := c.exec(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, expires_at, ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?)`, hashSecret(token), id, now, now.Add(SessionTTL), ip, truncate(userAgent, 300)); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionLogin, entity: birge.EntityUser, entityID: id, orgID: idOrZero(org)})
	})
	if err != nil {
		return "", nil, err
	}
	a, err = s.actor(ctx, id, ip)
	return token, a, err
}

func (s *Store) failLogin(ctx context.Context, keys loginKeys, email string, id, org int64, ip string) error {
	return s.tx(ctx, func(c q) error {
		for _, k := range keys.all() {
			if err := s.bumpThrottle(ctx, c, k); err != nil {
				return err
			}
		}
		who := &birge.Actor{Name: email, IP: ip}
		return s.audit(ctx, c, who, event{action: birge.ActionLoginFailed, entity: birge.EntityUser, entityID: id, orgID: org})
	})
}

// ActorBySession returns who holds a session cookie, or an unauthenticated error when the
// session is unknown, expired or its user disabled.
func (s *Store) ActorBySession(ctx context.Context, token, ip string) (*birge.Actor, error) {
	// One query for the session and its user, one for the roles: this runs on every page.
	// A subquery, not a JOIN: SQLite re-plans a prepared join on every run once a
	// parameter is bound (see docs/decisions/0005-prepared-statements.md).
	a := &birge.Actor{IP: ip}
	err := s.read().row(ctx, `SELECT u.id, u.name, u.lang, u.time_zone FROM users u
		WHERE u.id = (SELECT s.user_id FROM sessions s WHERE s.token_hash = ? AND s.expires_at > ?) AND NOT u.disabled`,
		hashSecret(token), s.now()).Scan(&a.UserID, &a.Name, &a.Lang, &a.Zone)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, birge.Errorf(birge.KindUnauthenticated, "login.required")
	}
	if err != nil {
		return nil, err
	}
	a.Grants, err = s.grants(ctx, s.read(), a.UserID)
	return a, err
}

// actor loads a user and all their roles as an Actor.
func (s *Store) actor(ctx context.Context, id int64, ip string) (*birge.Actor, error) {
	u, err := s.getUser(ctx, s.read(), id)
	if err != nil {
		return nil, err
	}
	return &birge.Actor{UserID: u.ID, Name: u.Name, Lang: u.Lang, Zone: u.TimeZone, IP: ip, Grants: u.Grants}, nil
}

// Logout ends one session.
func (s *Store) Logout(ctx context.Context, a *birge.Actor, token string) error {
	return s.tx(ctx, func(c q) error {
		if _, err := c.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashSecret(token)); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionLogout, entity: birge.EntityUser, entityID: a.UserID})
	})
}

// LogoutEverywhere ends every session of the actor, on every device, and with
// revokeTokens her API tokens too: someone who signed in on a lost device may have made
// one.
func (s *Store) LogoutEverywhere(ctx context.Context, a *birge.Actor, revokeTokens bool) error {
	return s.tx(ctx, func(c q) error {
		if _, err := c.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, a.UserID); err != nil {
			return err
		}
		u, err := s.getUser(ctx, c, a.UserID)
		if err != nil {
			return err
		}
		if err := s.audit(ctx, c, a, event{action: birge.ActionLogoutEverywhere, entity: birge.EntityUser, entityID: a.UserID, orgID: u.OrgID}); err != nil {
			return err
		}
		if revokeTokens {
			_, err = s.revokeTokens(ctx, c, a, u)
		}
		return err
	})
}

// PurgeExpired removes sessions past their expiry and sign-in counters past their window;
// the server calls it now and then.
func (s *Store) PurgeExpired(ctx context.Context) error {
	err := s.tx(ctx, func(c q) error {
		_, err := c.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, s.now())
		return err
	})
	if err != nil {
		return err
	}
	return s.purgeThrottle(ctx)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
