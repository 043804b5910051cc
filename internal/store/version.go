package store

import (
	"context"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// A record's version is its updated_at. An edit of an organisation, a centre, a
// category, a user or a programme is read, checked and written under the record's row lock, and an
// edit made on a version that is no longer the current one is refused
// (birge.ErrChangedMeanwhile), so two edits at once never lose one: the API's PATCH reads
// the record again and lays its fields over the new version (api.readThenWrite). People
// have their own, richer rules (person_patch.go).

// nextVersion is the updated_at of an edit: now, but always after the version it
// replaces, so that each edit is a new version even when the clock stands still (tests)
// or steps back.
func nextVersion(now, old time.Time) time.Time {
	if now.After(old) {
		return now
	}
	return old.Add(time.Microsecond)
}

// sameVersion refuses an edit made on version based (the updated_at of the record the
// caller changed; zero when it names none) of a record now at version current.
func sameVersion(based, current time.Time) error {
	if !based.IsZero() && !based.Equal(current) {
		return birge.ErrChangedMeanwhile
	}
	return nil
}

// lockRow takes the write lock of a table's row until the transaction ends, so that the
// record the transaction reads next is the one it overwrites (PostgreSQL; on SQLite the
// writer holds the whole database already).
func lockRow(ctx context.Context, c q, table string, id int64) error {
	_, err := c.exec(ctx, `UPDATE `+table+` SET id = id WHERE id = ?`, id)
	return err
}
