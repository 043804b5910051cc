package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// An outcome's evidence file (a contract, a letter) tells who she is as surely as her
// name, so its content is sealed with her data key, like the values the audit log keeps
// about her: anonymising her deletes the key and the row (personLinks), and nothing of
// the file is readable after, in the database or its backups.

// attach stores a validated upload as o's file, sealed with her key, in the caller's
// transaction, after her organisation's audit chain is locked (so that two writers never
// make her two keys). A nil upload attaches nothing.
func (outcomes *Outcomes) attach(ctx context.Context, c q, o birge.Outcome, u *birge.EvidenceUpload) error {
	if u == nil {
		return nil
	}
	s := outcomes.s
	aead, err := s.personKey(ctx, c, o.PersonID)
	if err != nil {
		return err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	f := u.Describe()
	_, err = c.exec(ctx, `INSERT INTO outcome_files (outcome_id, key_person_id, name, type, size, content)
		VALUES (?, ?, ?, ?, ?, ?)`, o.ID, o.PersonID, f.Name, f.Type, f.Size, aead.Seal(nonce, nonce, u.Content, nil))
	return err
}

// File returns an outcome's evidence file, opened, to those who may see the outcome,
// and writes it to her access log; ErrNotFound when it has none, or none any more.
func (outcomes *Outcomes) File(ctx context.Context, a *birge.Actor, id int64) (birge.EvidenceFile, []byte, error) {
	s := outcomes.s
	o, her, err := outcomes.get(ctx, s.read(), a, id)
	if err != nil {
		return birge.EvidenceFile{}, nil, err
	}
	var keyOf int64
	var sealed []byte
	err = s.read().row(ctx, `SELECT key_person_id, content FROM outcome_files WHERE outcome_id = ?`, id).Scan(&keyOf, &sealed)
	if errors.Is(err, sql.ErrNoRows) || o.File == nil {
		return birge.EvidenceFile{}, nil, birge.ErrNotFound
	}
	if err != nil {
		return birge.EvidenceFile{}, nil, err
	}
	// The key of the record it was attached to, which a merge since may have folded
	// into another.
	aead, err := s.loadPersonKey(ctx, s.read(), keyOf)
	if err != nil {
		return birge.EvidenceFile{}, nil, err
	}
	if aead == nil {
		return birge.EvidenceFile{}, nil, birge.ErrNotFound
	}
	n := aead.NonceSize()
	if len(sealed) < n {
		return birge.EvidenceFile{}, nil, errors.New("evidence file is damaged")
	}
	content, err := aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return birge.EvidenceFile{}, nil, errors.New("evidence file does not open with her key")
	}
	// Reading her evidence is reading her record: the access log says who did.
	err = s.tx(ctx, func(c q) error { return s.People.logAccess(ctx, c, a, her.Person, "evidence_file") })
	return *o.File, content, err
}
