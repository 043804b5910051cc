package store

import (
	"context"
	"database/sql"

	"github.com/birge-org/birge/internal/birge"
)

// A session's private notes (decision 0025) are what a psychologist or mediator writes
// for herself: sealed with the key of the first who came to the session, read only by
// their author and by those who supervise the centre's cases (case.manage) — not by the
// case's other worker, never in an export, never in a dossier. Every read of notes
// writes the access log of the woman whose key sealed them; anonymising her erases them.

// mayReadAllNotes reports whether the actor reads every note of a centre's sessions, not
// only her own.
func mayReadAllNotes(a *birge.Actor, x birge.Session) bool {
	return a.Can(birge.PermCaseManage, x.OrgID, x.CenterID)
}

// AddNote writes a private note to a session of a case the actor sees.
func (ss *Sessions) AddNote(ctx context.Context, a *birge.Actor, sessionID int64, body string) (birge.SessionNote, error) {
	s := ss.s
	n := birge.SessionNote{SessionID: sessionID, AuthorID: a.UserID, Body: body}
	err := s.tx(ctx, func(c q) error {
		x, _, err := ss.get(ctx, c, a, birge.PermCaseView, sessionID)
		if err != nil {
			return err
		}
		if err := birge.ValidateSessionNote(body); err != nil {
			return err
		}
		n.CreatedAt = s.now()
		key := x.PersonIDs[0]
		if err := c.row(ctx, `INSERT INTO case_session_notes (session_id, author_id, key_person_id, body, created_at)
			VALUES (?, ?, ?, '', ?) RETURNING id`, x.ID, nullID(a.UserID), key, n.CreatedAt).Scan(&n.ID); err != nil {
			return err
		}
		// The entry first: it locks her organisation's audit chain, so that her key is
		// made once (personKey); then the note, sealed with it.
		if err := s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntitySessionNote, entityID: n.ID,
			orgID: x.OrgID, centerID: x.CenterID, changes: birge.Diff(nil, map[string]any{"person_id": key,
				"session_id": x.ID})}); err != nil {
			return err
		}
		aead, err := s.personKey(ctx, c, key)
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, `UPDATE case_session_notes SET body = ? WHERE id = ?`, sealWith(aead, body), n.ID)
		return err
	})
	return n, err
}

// Notes returns the notes of a session the actor may read, oldest first: her own, or
// all of them to a supervisor. Reading any writes the access log of the women whose keys
// sealed them.
func (ss *Sessions) Notes(ctx context.Context, a *birge.Actor, sessionID int64) ([]birge.SessionNote, error) {
	s := ss.s
	out := []birge.SessionNote{}
	err := s.tx(ctx, func(c q) error {
		x, _, err := ss.get(ctx, c, a, birge.PermCaseView, sessionID)
		if err != nil {
			return err
		}
		query := `SELECT id, author_id, key_person_id, body, created_at FROM case_session_notes WHERE session_id = ?`
		args := []any{x.ID}
		if !mayReadAllNotes(a, x) {
			query += ` AND author_id = ?`
			args = append(args, a.UserID)
		}
		rows, err := c.query(ctx, query+` ORDER BY id`, args...)
		if err != nil {
			return err
		}
		var keys []int64
		for rows.Next() {
			n := birge.SessionNote{SessionID: x.ID}
			var author sql.NullInt64
			var key int64
			if err := rows.Scan(&n.ID, &author, &key, &n.Body, &n.CreatedAt); err != nil {
				rows.Close()
				return err
			}
			n.AuthorID, n.CreatedAt = author.Int64, n.CreatedAt.UTC()
			out, keys = append(out, n), append(keys, key)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		logged := map[int64]bool{}
		for i := range out {
			aead, err := s.loadPersonKey(ctx, c, keys[i])
			if err != nil {
				return err
			}
			sealed := out[i].Body
			out[i].Body = ""
			if aead != nil {
				if out[i].Body, err = openWith(aead, sealed); err != nil {
					return err
				}
			}
			if !logged[keys[i]] {
				logged[keys[i]] = true
				if err := s.People.logAccess(ctx, c, a, birge.Person{ID: keys[i], OrgID: x.OrgID}, "session_note_view"); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}
