package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

// A tranche's evidence (receipts, photos of what was bought) names her as surely as her
// name, so its content is sealed with her data key like outcome_files: anonymising her
// deletes the key and the rows (personLinks), and nothing of the files is readable after.

// AddEvidence uploads a file as evidence for a tranche of an award the actor manages:
// a PDF, JPEG or PNG by its content, never its name, of at most 5 MB. A tranche whose
// evidence is approved takes no more (409).
func (awards *Awards) AddEvidence(ctx context.Context, a *birge.Actor, id int64, position int, u birge.EvidenceUpload) (birge.Award, error) {
	if _, problem := u.EvidenceType(); problem != "" {
		return birge.Award{}, invalid("file", problem)
	}
	s := awards.s
	var out birge.Award
	err := s.tx(ctx, func(c q) error {
		aw, err := awards.forWrite(ctx, c, a, id)
		if err != nil {
			return err
		}
		t, err := trancheAt(aw, position)
		if err != nil {
			return err
		}
		if t.ApprovedAt != nil {
			return &birge.Error{Kind: birge.KindConflict, Key: "award.evidence_approved", Fields: birge.Problems{"file": "award.evidence_approved"}}
		}
		f := u.Describe()
		// The entry first: it locks her organisation's chain, under which her key is made.
		if err := awards.audit(ctx, c, a, aw, event{action: birge.ActionUpdate, changes: map[string]birge.Change{
			"tranche": {After: position}, "evidence_file": {After: f.Name}}}); err != nil {
			return err
		}
		aead, err := s.personKey(ctx, c, aw.PersonID)
		if err != nil {
			return err
		}
		nonce := make([]byte, aead.NonceSize())
		rand.Read(nonce)
		e := birge.AwardEvidence{EvidenceFile: *f, UploadedBy: a.UserID, CreatedAt: s.now()}
		if err := c.row(ctx, `INSERT INTO award_evidence (tranche_id, key_person_id, name, type, size, content, uploaded_by,
			created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, t.ID, aw.PersonID, f.Name, f.Type, f.Size,
			aead.Seal(nonce, nonce, u.Content, nil), nullID(a.UserID), e.CreatedAt).Scan(&e.ID); err != nil {
			return err
		}
		t.Evidence = append(t.Evidence, e)
		if err := awards.touch(ctx, c, &aw); err != nil {
			return err
		}
		out = aw
		return nil
	})
	return out, err
}

// Evidence returns one evidence file of an award, opened, to those who see the award,
// and writes it to her access log; ErrNotFound when it is not the award's, or is gone.
func (awards *Awards) Evidence(ctx context.Context, a *birge.Actor, id, evidenceID int64) (birge.EvidenceFile, []byte, error) {
	s := awards.s
	aw, err := awards.Get(ctx, a, id)
	if err != nil {
		return birge.EvidenceFile{}, nil, err
	}
	var f birge.EvidenceFile
	var keyOf int64
	var sealed []byte
	err = s.read().row(ctx, `SELECT e.name, e.type, e.size, e.key_person_id, e.content FROM award_evidence e
		JOIN award_tranches t ON t.id = e.tranche_id WHERE e.id = ? AND t.award_id = ?`, evidenceID, aw.ID).
		Scan(&f.Name, &f.Type, &f.Size, &keyOf, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil, birge.ErrNotFound
	}
	if err != nil {
		return f, nil, err
	}
	// The key of the record it was uploaded for, which a merge since may have folded
	// into another.
	aead, err := s.loadPersonKey(ctx, s.read(), keyOf)
	if err != nil {
		return f, nil, err
	}
	if aead == nil {
		return f, nil, birge.ErrNotFound
	}
	n := aead.NonceSize()
	if len(sealed) < n {
		return f, nil, errors.New("evidence file is damaged")
	}
	content, err := aead.Open(nil, sealed[:n], sealed[n:], nil)
	if err != nil {
		return f, nil, errors.New("evidence file does not open with her key")
	}
	err = s.tx(ctx, func(c q) error {
		return s.People.logAccess(ctx, c, a, birge.Person{ID: aw.PersonID, OrgID: aw.OrgID}, "evidence_file")
	})
	return f, content, err
}
