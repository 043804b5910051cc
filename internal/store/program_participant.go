package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

const participantColumns = `t.id, t.program_id, t.person_id, t.joined_on, t.left_on, t.reason, t.created_at`

func scanParticipant(row interface{ Scan(...any) error }) (birge.Participant, error) {
	var pt birge.Participant
	err := row.Scan(&pt.ID, &pt.ProgramID, &pt.PersonID, &pt.JoinedOn, &pt.LeftOn, &pt.Reason, &pt.CreatedAt)
	pt.CreatedAt = pt.CreatedAt.UTC()
	return pt, err
}

// ProgramCount is how many take part in a programme: a figure every viewer of the
// programme may see, sensitive or not, since it names no one. Participations of
// anonymised women count, as in every report.
type ProgramCount struct {
	Active int `json:"active"` // taking part now
	Total  int `json:"total"`  // every participation, ended ones too
}

// Count counts a programme's participants.
func (programs *Programs) Count(ctx context.Context, a *birge.Actor, id int64) (ProgramCount, error) {
	var n ProgramCount
	if _, err := programs.Get(ctx, a, id); err != nil {
		return n, err
	}
	err := programs.s.read().row(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN left_on = '' THEN 1 ELSE 0 END), 0)
		FROM program_participants WHERE program_id = ?`, id).Scan(&n.Total, &n.Active)
	return n, err
}

// ParticipantFilter pages a programme's participants.
type ParticipantFilter struct {
	After  int64 // participations with id > After
	Limit  int   // 0: all
	Active bool  // only those taking part now
}

// ListParticipants returns who takes part in a programme, by participation: only the
// women the actor may see. Who takes part is refused (403) to those who see the
// programme but not its people — analysts, and for a sensitive programme those without
// person.sensitive there — who see the count instead.
func (programs *Programs) ListParticipants(ctx context.Context, a *birge.Actor, id int64, f ParticipantFilter) ([]birge.Participant, error) {
	p, err := programs.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !SeesWho(a, p) {
		return nil, birge.ErrForbidden
	}
	w := where{}
	w.add("t.program_id = ?", id)
	w.scope("h.org_id", "h.center_id", a.ScopeOf(birge.PermPersonView))
	if p.Sensitive { // each woman named only with person.sensitive in her own centre
		w.scope("h.org_id", "h.center_id", a.ScopeOf(birge.PermPersonSensitive))
	}
	w.add("h.anonymized_at IS NULL")
	if f.After != 0 {
		w.add("t.id > ?", f.After)
	}
	if f.Active {
		w.add("t.left_on = ''")
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + itoa(f.Limit)
	}
	rows, err := programs.s.read().query(ctx, `SELECT `+participantColumns+` FROM program_participants t
		JOIN people h ON h.id = t.person_id`+w.sql()+` ORDER BY t.id`+limit, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Participant{}
	for rows.Next() {
		pt, err := scanParticipant(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, pt)
	}
	return out, rows.Err()
}

// Participation is a programme a person takes part in, for her page.
type Participation struct {
	birge.Participant
	Program birge.Program
}

// OfPerson returns the programmes a person takes part in or took part in, those the actor
// may see her in: a sensitive programme only to those who see who takes part in it.
func (programs *Programs) OfPerson(ctx context.Context, a *birge.Actor, personID int64) ([]Participation, error) {
	c := programs.s.read()
	her, err := programs.s.People.visiblePerson(ctx, c, a, personID)
	if err != nil {
		return nil, err
	}
	rows, err := c.query(ctx, `SELECT `+participantColumns+` FROM program_participants t
		WHERE t.person_id = ? ORDER BY t.joined_on DESC, t.id DESC`, personID)
	if err != nil {
		return nil, err
	}
	var all []birge.Participant
	for rows.Next() {
		pt, err := scanParticipant(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, pt)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := []Participation{}
	for _, pt := range all {
		p, err := programs.get(ctx, c, a, birge.PermProgramView, pt.ProgramID)
		// A sensitive programme names her only to those who may see sensitive data in her
		// own centre, not merely in one where the programme runs.
		if errors.Is(err, birge.ErrNotFound) || errors.Is(err, birge.ErrForbidden) ||
			err == nil && (!SeesWho(a, p) || !seesSensitive(a, her, p.Sensitive)) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, Participation{Participant: pt, Program: p})
	}
	return out, nil
}

// participantFields are what an entry about a participation records; person_id names
// her, so the entry is sealed with her key (birge.AuditEntities).
func participantFields(pt birge.Participant) map[string]any {
	return map[string]any{"person_id": pt.PersonID, "program_id": pt.ProgramID, "joined_on": pt.JoinedOn,
		"left_on": pt.LeftOn, "reason": pt.Reason}
}

// AddParticipant records that a person joined a programme. The actor must manage the
// programme and see the person, who must be of its organisation: a person out of sight
// is not found. A woman takes part once at a time.
func (programs *Programs) AddParticipant(ctx context.Context, a *birge.Actor, programID int64, pt birge.Participant) (birge.Participant, error) {
	s := programs.s
	pt.ProgramID, pt.LeftOn, pt.Reason = programID, "", ""
	if err := pt.Validate(a.Today(s.now())); err != nil {
		return pt, err
	}
	pt.CreatedAt = s.now()
	err := s.tx(ctx, func(c q) error {
		p, err := programs.get(ctx, c, a, birge.PermProgramManage, programID)
		if err != nil {
			return err
		}
		if !SeesWho(a, p) {
			return birge.ErrForbidden
		}
		person, err := s.People.visiblePerson(ctx, c, a, pt.PersonID)
		if err != nil || person.OrgID != p.OrgID {
			return birge.ErrNotFound
		}
		var n int
		if err := c.row(ctx, `SELECT COUNT(*) FROM program_participants WHERE program_id = ? AND person_id = ?
			AND left_on = ''`, programID, pt.PersonID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &birge.Error{Kind: birge.KindConflict, Key: "program.already_participant",
				Fields: birge.Problems{"person_id": "program.already_participant"}}
		}
		if err := c.row(ctx, `INSERT INTO program_participants (program_id, person_id, joined_on, created_by,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, programID, pt.PersonID, pt.JoinedOn,
			nullID(a.UserID), pt.CreatedAt, pt.CreatedAt).Scan(&pt.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityParticipant, entityID: pt.ID,
			orgID: p.OrgID, centerID: person.CenterID, changes: birge.Diff(nil, participantFields(pt))})
	})
	return pt, err
}

// EndParticipation records the day she left a programme and why.
func (programs *Programs) EndParticipation(ctx context.Context, a *birge.Actor, programID, id int64, leftOn, reason string) (birge.Participant, error) {
	s := programs.s
	var out birge.Participant
	err := s.tx(ctx, func(c q) error {
		p, err := programs.get(ctx, c, a, birge.PermProgramManage, programID)
		if err != nil {
			return err
		}
		if !SeesWho(a, p) {
			return birge.ErrForbidden
		}
		old, err := scanParticipant(c.row(ctx, `SELECT `+participantColumns+` FROM program_participants t
			WHERE t.id = ? AND t.program_id = ?`, id, programID))
		if errors.Is(err, sql.ErrNoRows) {
			return birge.ErrNotFound
		}
		if err != nil {
			return err
		}
		person, err := s.People.visiblePerson(ctx, c, a, old.PersonID)
		if err != nil {
			return birge.ErrNotFound
		}
		if !old.Active() {
			return birge.Errorf(birge.KindConflict, "program.already_left")
		}
		out = old
		out.LeftOn, out.Reason = leftOn, reason
		if err := out.Validate(a.Today(s.now())); err != nil {
			return err
		}
		if out.LeftOn == "" {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"left_on": "field.required"}}
		}
		if _, err := c.exec(ctx, `UPDATE program_participants SET left_on = ?, reason = ?, updated_at = ? WHERE id = ?`,
			out.LeftOn, out.Reason, s.now(), id); err != nil {
			return err
		}
		changes := birge.Diff(participantFields(old), participantFields(out))
		// Her id names whose key seals the entry, though it did not change.
		changes["person_id"] = birge.Change{Before: old.PersonID, After: old.PersonID}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityParticipant, entityID: id,
			orgID: p.OrgID, centerID: person.CenterID, changes: changes})
	})
	return out, err
}

// DossierProgram is a programme she takes or took part in, for her dossier: every one,
// sensitive ones too, since it is her own data.
type DossierProgram struct {
	birge.Participant
	Program birge.Names `json:"program"`
}

// dossierPrograms lists every participation of hers, oldest first.
func (programs *Programs) dossierPrograms(ctx context.Context, personID int64) ([]DossierProgram, error) {
	rows, err := programs.s.read().query(ctx, `SELECT `+participantColumns+`, p.name_kk, p.name_ru, p.name_ky, p.name_en
		FROM program_participants t JOIN programs p ON p.id = t.program_id WHERE t.person_id = ? ORDER BY t.id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DossierProgram{}
	for rows.Next() {
		var d DossierProgram
		if err := rows.Scan(&d.ID, &d.ProgramID, &d.PersonID, &d.JoinedOn, &d.LeftOn, &d.Reason, &d.CreatedAt,
			&d.Program.KK, &d.Program.RU, &d.Program.KY, &d.Program.EN); err != nil {
			return nil, err
		}
		d.CreatedAt = d.CreatedAt.UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}
