package store

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// The audit log keeps the before and after of every change to a person's record, and
// cannot forget them: it is append-only and hash-chained. So each person has a data key
// of her own, and the values in the changes of every audit entry that concerns her (its
// entity's Person in birge.AuditEntities) are sealed with it before the entry is hashed,
// but those of the fields its entity keeps. Reading the log opens them while the key
// exists; anonymising her deletes the key, and the values are erased for good while the
// chain still verifies, since it was computed over the sealed text (decision 0008).

// sealedValue is how a sealed value sits in an entry's changes: an object, which no
// field of a person ever is, so a typed value can never be taken for a sealed one.
const sealedValue = "sealed"

// personKey returns a person's data key, making one on first use. It runs in the
// caller's transaction, after her organisation's audit chain is locked (auditMany), so two
// writers never make two.
func (s *Store) personKey(ctx context.Context, c q, personID int64) (cipher.AEAD, error) {
	aead, err := s.loadPersonKey(ctx, c, personID)
	if aead != nil || err != nil {
		return aead, err
	}
	key := make([]byte, 32)
	rand.Read(key)
	if _, err := c.exec(ctx, `INSERT INTO person_keys (person_id, key_sealed, created_at) VALUES (?, ?, ?)`,
		personID, s.seal.seal(base64.StdEncoding.EncodeToString(key)), s.now()); err != nil {
		return nil, err
	}
	return newAEAD(key)
}

// loadPersonKey returns a person's data key, or nil when she has none (any more).
func (s *Store) loadPersonKey(ctx context.Context, c q, personID int64) (cipher.AEAD, error) {
	var sealed string
	err := c.row(ctx, `SELECT key_sealed FROM person_keys WHERE person_id = ?`, personID).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.openPersonKey(sealed)
}

// openPersonKey opens a data key as person_keys holds it, sealed with the master key.
func (s *Store) openPersonKey(sealed string) (cipher.AEAD, error) {
	encoded, err := s.seal.open(sealed)
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(encoded)
	if err != nil {
		return nil, err
	}
	return newAEAD(key)
}

// personKeysOf returns the keys of the people whose entries among evs have values to
// seal, read a few hundred a query rather than one each, so that a batch of ten thousand
// deliveries to as many women does not make ten thousand reads; those without a key yet
// get one. Like personKey, it runs after the entries' chains are locked.
func (s *Store) personKeysOf(ctx context.Context, c q, evs []event) (map[int64]cipher.AEAD, error) {
	keys := map[int64]cipher.AEAD{}
	if len(evs) < 2 {
		return keys, nil
	}
	var ids []any
	seen := map[int64]bool{}
	for _, ev := range evs {
		kind := ev.entity.Kind()
		person := kind.PersonOf(ev.entityID, ev.changes)
		if person == 0 || seen[person] || !sealsSome(kind, ev.changes) {
			continue
		}
		seen[person] = true
		ids = append(ids, person)
	}
	err := inChunks(ids, func(chunk []any) error {
		rows, err := c.query(ctx, `SELECT person_id, key_sealed FROM person_keys WHERE person_id IN (`+
			placeholders(len(chunk))+`)`, chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var sealed string
			if err := rows.Scan(&id, &sealed); err != nil {
				return err
			}
			if keys[id], err = s.openPersonKey(sealed); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	// Those without a key yet get theirs here, in bulk, as personKey would one by one.
	var rows [][]any
	for id := range seen {
		if keys[id] != nil {
			continue
		}
		key := make([]byte, 32)
		rand.Read(key)
		if keys[id], err = newAEAD(key); err != nil {
			return nil, err
		}
		rows = append(rows, []any{id, s.seal.seal(base64.StdEncoding.EncodeToString(key)), s.now()})
	}
	return keys, insertRows(ctx, c, "person_keys", []string{"person_id", "key_sealed", "created_at"}, rows)
}

// sealsSome reports whether sealChanges would seal any of the changes.
func sealsSome(kind birge.AuditEntityKind, changes map[string]birge.Change) bool {
	for field, ch := range changes {
		if !kind.Kept(field) && (ch.Before != nil || ch.After != nil) {
			return true
		}
	}
	return false
}

// sealChanges seals the values of an audit entry about a person with her key, but those
// of the fields its entity keeps. Fields recorded without values (birge.Diff's secrets)
// stay empty, so an entry with nothing to seal, like the one anonymisation writes or an
// import's, needs no key and makes none. keys holds the keys read so far, by person, so
// that a batch of entries about her reads hers once.
func (s *Store) sealChanges(ctx context.Context, c q, kind birge.AuditEntityKind, personID int64, changes map[string]birge.Change,
	keys map[int64]cipher.AEAD) (map[string]birge.Change, error) {
	aead := keys[personID]
	out := make(map[string]birge.Change, len(changes))
	for field, ch := range changes {
		if kind.Kept(field) || (ch.Before == nil && ch.After == nil) {
			out[field] = ch
			continue
		}
		if aead == nil {
			var err error
			if aead, err = s.personKey(ctx, c, personID); err != nil {
				return nil, err
			}
			keys[personID] = aead
		}
		before, err := sealAuditValue(aead, ch.Before)
		if err != nil {
			return nil, err
		}
		after, err := sealAuditValue(aead, ch.After)
		if err != nil {
			return nil, err
		}
		out[field] = birge.Change{Before: before, After: after}
	}
	return out, nil
}

func sealAuditValue(aead cipher.AEAD, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return map[string]any{sealedValue: sealWith(aead, string(b))}, nil
}

// openChanges opens the sealed values of audit entries about people for reading: with
// the person's key while she has one, else as birge.Erased. Entries keep their hashes,
// which were computed over the sealed text; VerifyAudit reads entries without opening
// them.
func (s *Store) openChanges(ctx context.Context, entries []birge.AuditEntry) error {
	keys := map[int64]cipher.AEAD{}
	for i, e := range entries {
		person := e.Entity.Kind().PersonOf(e.EntityID, e.Changes)
		if person == 0 || len(e.Changes) == 0 {
			continue
		}
		aead, ok := keys[person]
		if !ok {
			var err error
			if aead, err = s.loadPersonKey(ctx, s.read(), person); err != nil {
				return err
			}
			keys[person] = aead
		}
		opened := make(map[string]birge.Change, len(e.Changes))
		for field, ch := range e.Changes {
			before, err := openAuditValue(aead, ch.Before)
			if err != nil {
				return err
			}
			after, err := openAuditValue(aead, ch.After)
			if err != nil {
				return err
			}
			opened[field] = birge.Change{Before: before, After: after}
		}
		if err := s.People.resolveSensitiveMark(opened); err != nil {
			return err
		}
		entries[i].Changes = opened
	}
	return nil
}

func openAuditValue(aead cipher.AEAD, v any) (any, error) {
	m, ok := v.(map[string]any)
	sealed, isSealed := m[sealedValue].(string)
	if !ok || !isSealed || len(m) != 1 {
		return v, nil // written before values were sealed, or nothing
	}
	if aead == nil {
		return birge.Erased{}, nil
	}
	plain, err := openWith(aead, sealed)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal([]byte(plain), &out)
}
