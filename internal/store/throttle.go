package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// loginKeys names the three counters a sign-in at an account from an address is
// throttled by (see birge.LoginWait): the pair, the address, the account.
type loginKeys struct{ pair, address, account string }

func newLoginKeys(email, ip string) loginKeys {
	addr := birge.ThrottleAddress(ip)
	email = truncate(email, 320) // an unknown email is a key too: bounded, like everything stored
	// The address comes first in the pair and holds no space, so no two pairs share a key.
	return loginKeys{pair: "pair:" + addr + " " + email, address: "address:" + addr, account: "account:" + email}
}

func (k loginKeys) all() []string { return []string{k.pair, k.address, k.account} }

// loginWait returns how long the caller must still wait before trying to sign in. The
// counters live in the database, so every instance behind a load balancer agrees.
func (s *Store) loginWait(ctx context.Context, k loginKeys) (time.Duration, error) {
	f := map[string]birge.Failures{}
	for _, key := range k.all() {
		var c birge.Failures
		err := s.read().row(ctx, `SELECT failures, last_failure FROM login_throttle WHERE key = ?`, key).Scan(&c.Count, &c.Last)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, err
		}
		f[key] = c
	}
	return birge.LoginWait(s.now(), f[k.pair], f[k.address], f[k.account]), nil
}

// bumpThrottle counts one more failure for key in one statement, so that two failures at
// once both count on PostgreSQL too; a count whose last failure is older than the
// throttle's window starts again at one.
func (s *Store) bumpThrottle(ctx context.Context, c q, key string) error {
	now := s.now()
	_, err := c.exec(ctx, `INSERT INTO login_throttle (key, failures, last_failure) VALUES (?, 1, ?)
		ON CONFLICT (key) DO UPDATE SET
		failures = CASE WHEN login_throttle.last_failure < ? THEN 1 ELSE login_throttle.failures + 1 END,
		last_failure = excluded.last_failure`, key, now, now.Add(-birge.ThrottleWindow))
	return err
}

// purgeThrottle forgets counters whose window has passed, so that guesses from many
// addresses do not grow the table without end.
func (s *Store) purgeThrottle(ctx context.Context) error {
	return s.tx(ctx, func(c q) error {
		_, err := c.exec(ctx, `DELETE FROM login_throttle WHERE last_failure < ?`, s.now().Add(-birge.ThrottleWindow))
		return err
	})
}

// throttled refuses an address that has used up its allowance of public requests under
// key (birge.RequestWait), read on the pool before any work is done. It is the early
// answer; takeTurn, in the transaction that saves the request, is the one that holds.
func (s *Store) throttled(ctx context.Context, key string) error {
	var f birge.Failures
	err := s.read().row(ctx, `SELECT failures, last_failure FROM login_throttle WHERE key = ?`, key).Scan(&f.Count, &f.Last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	return tooSoon(birge.RequestWait(s.now(), f))
}

// takeTurn counts a public request from an address under key in the transaction that
// saves it, and refuses it when the address has used up its allowance. The counter's row
// is locked before it is read, so requests sent at once wait for each other's count
// instead of all reading the count from before them (PostgreSQL; SQLite's writes take
// turns already). A refusal rolls back with the transaction and does not count.
func (s *Store) takeTurn(ctx context.Context, c q, key string) error {
	// The row is made if it is missing and locked either way: requests at once from a new
	// address wait on its key too, rather than each finding no count.
	if _, err := c.exec(ctx, `INSERT INTO login_throttle (key, failures, last_failure) VALUES (?, 0, ?)
		ON CONFLICT (key) DO UPDATE SET failures = login_throttle.failures`, key, s.now()); err != nil {
		return err
	}
	var f birge.Failures
	err := c.row(ctx, `SELECT failures, last_failure FROM login_throttle WHERE key = ?`, key).Scan(&f.Count, &f.Last)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if err := tooSoon(birge.RequestWait(s.now(), f)); err != nil {
		return err
	}
	return s.bumpThrottle(ctx, c, key)
}

// tooSoon is the refusal of an address that must wait before it sends again, in whole
// seconds; nil when it need not wait.
func tooSoon(wait time.Duration) error {
	if wait <= 0 {
		return nil
	}
	return &birge.Error{Kind: birge.KindTooMany, Key: "login.throttled",
		Args: map[string]any{"seconds": int((wait + time.Second - 1) / time.Second)}}
}
