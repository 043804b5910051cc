package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

type throttleKey struct {
	key  string
	free int // failures allowed before waiting starts
}

// throttled returns how long the caller must still wait before trying to sign in.
// The counters live in the database, so every instance behind a load balancer agrees.
func (s *Store) throttled(ctx context.Context, keys []throttleKey) (time.Duration, error) {
	var wait time.Duration
	for _, k := range keys {
		var failures int
		var last time.Time
		err := s.read().row(ctx, `SELECT failures, last_failure FROM login_throttle WHERE key = ?`, k.key).Scan(&failures, &last)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return 0, err
		}
		if w := last.Add(birge.LoginDelay(failures, k.free)).Sub(s.now()); w > wait {
			wait = w
		}
	}
	return wait, nil
}

func (s *Store) bumpThrottle(ctx context.Context, c q, key string) error {
	now := s.now()
	res, err := c.exec(ctx, `UPDATE login_throttle SET failures = failures + 1, last_failure = ? WHERE key = ?`, now, key)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = c.exec(ctx, `INSERT INTO login_throttle (key, failures, last_failure) VALUES (?, 1, ?)`, key, now)
	return err
}
