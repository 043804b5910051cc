package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Sessions is the store's view for the sessions of family cases (issue 11, decision
// 0025): scheduling (with the safety gate and no double booking), attendance (each
// attended session a service delivery, in the same transaction), the week calendars of a
// worker and of an office, tomorrow's appointments, and private notes. Who sees a
// session is who sees its case (sees).
type Sessions struct{ s *Store }

const sessionColumns = `cs.id, cs.case_id, cs.org_id, cs.center_id, cs.type, cs.worker_id, cs.room, cs.starts_at,
	cs.ends_at, cs.attendance, cs.created_by, cs.created_at, cs.updated_at`

func scanSession(row interface{ Scan(...any) error }) (birge.Session, error) {
	var x birge.Session
	var by sql.NullInt64
	err := row.Scan(&x.ID, &x.CaseID, &x.OrgID, &x.CenterID, &x.Type, &x.WorkerID, &x.Room, &x.StartsAt,
		&x.EndsAt, &x.Attendance, &by, &x.CreatedAt, &x.UpdatedAt)
	x.CreatedBy = by.Int64
	x.StartsAt, x.EndsAt = x.StartsAt.UTC(), x.EndsAt.UTC()
	x.CreatedAt, x.UpdatedAt = x.CreatedAt.UTC(), x.UpdatedAt.UTC()
	x.PersonIDs = []int64{}
	return x, err
}

// sessionFields are what an entry about a session records; person_id, the first who
// comes, names whose key seals it (birge.AuditEntities).
func sessionFields(x birge.Session) map[string]any {
	var first int64
	if len(x.PersonIDs) > 0 {
		first = x.PersonIDs[0]
	}
	return map[string]any{"person_id": first, "case_id": x.CaseID, "center_id": x.CenterID, "type": x.Type,
		"worker_id": x.WorkerID, "room": x.Room, "starts_at": x.StartsAt.Format(time.RFC3339),
		"ends_at": x.EndsAt.Format(time.RFC3339), "attendance": x.Attendance, "person_ids": joinIDs(x.PersonIDs)}
}

// Get returns a session of a case the actor sees, or ErrNotFound.
func (ss *Sessions) Get(ctx context.Context, a *birge.Actor, id int64) (birge.Session, error) {
	x, _, err := ss.get(ctx, ss.s.read(), a, birge.PermCaseView, id)
	return x, err
}

// get loads a session and its case, which the actor must see (else not found) and act
// on with perm (else forbidden).
func (ss *Sessions) get(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (birge.Session, birge.Case, error) {
	x, err := scanSession(c.row(ctx, `SELECT `+sessionColumns+` FROM case_sessions cs WHERE cs.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return x, birge.Case{}, birge.ErrNotFound
	}
	if err != nil {
		return x, birge.Case{}, err
	}
	k, err := ss.s.Cases.get(ctx, c, a, perm, x.CaseID)
	if err != nil {
		return birge.Session{}, k, err
	}
	list := []birge.Session{x}
	err = ss.attendees(ctx, c, list)
	return list[0], k, err
}

// List returns a case's sessions, by start, to those who see the case.
func (ss *Sessions) List(ctx context.Context, a *birge.Actor, caseID int64) ([]birge.Session, error) {
	c := ss.s.read()
	if _, err := ss.s.Cases.get(ctx, c, a, birge.PermCaseView, caseID); err != nil {
		return nil, err
	}
	return ss.query(ctx, c, ` WHERE cs.case_id = ?`, `cs.starts_at, cs.id`, caseID)
}

// query reads sessions with who comes to each, in one statement: where is the WHERE of
// case_sessions cs, order its ORDER BY (which must end with cs.id, so that the rows of
// one session come together). An office's week of a thousand sessions is then one
// index range and one join, not a list of ids sent back.
func (ss *Sessions) query(ctx context.Context, c q, where, order string, args ...any) ([]birge.Session, error) {
	rows, err := c.query(ctx, `SELECT `+sessionColumns+`, COALESCE(sp.person_id, 0) FROM case_sessions cs
		LEFT JOIN case_session_people sp ON sp.session_id = cs.id`+where+` ORDER BY `+order+`, sp.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Session{}
	for rows.Next() {
		var person int64
		x, err := scanSession(scanFunc(func(dest ...any) error { return rows.Scan(append(dest, &person)...) }))
		if err != nil {
			return nil, err
		}
		if n := len(out); n == 0 || out[n-1].ID != x.ID {
			out = append(out, x)
		}
		if person != 0 {
			last := &out[len(out)-1]
			last.PersonIDs = append(last.PersonIDs, person)
		}
	}
	return out, rows.Err()
}

// attendees fills who comes to each session, a few hundred sessions a query, in the
// order of the (session_id) index: ordered by id alone, PostgreSQL may walk the whole
// table's primary key instead.
func (ss *Sessions) attendees(ctx context.Context, c q, list []birge.Session) error {
	at := map[int64]int{}
	ids := make([]any, len(list))
	for i, x := range list {
		at[x.ID], ids[i] = i, x.ID
	}
	return inChunks(ids, func(chunk []any) error {
		rows, err := c.query(ctx, `SELECT session_id, person_id FROM case_session_people
			WHERE session_id IN (`+placeholders(len(chunk))+`) ORDER BY session_id, id`, chunk...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var sid, pid int64
			if err := rows.Scan(&sid, &pid); err != nil {
				return err
			}
			i := at[sid]
			list[i].PersonIDs = append(list[i].PersonIDs, pid)
		}
		return rows.Err()
	})
}

// WeekFilter names a calendar: a worker's (across every centre where the actor sees
// her sessions) or an office's, from From (inclusive) to To (exclusive).
type WeekFilter struct {
	WorkerID, CenterID int64
	From, To           time.Time
}

// Week returns the sessions of a calendar, by start. A worker sees her own sessions;
// those who manage a centre's cases see its calendar and its workers' sessions there.
// An office's calendar to one who does not manage its cases is refused.
func (ss *Sessions) Week(ctx context.Context, a *birge.Actor, f WeekFilter) ([]birge.Session, error) {
	w := where{}
	switch {
	case f.CenterID != 0:
		var org int64
		err := ss.s.read().row(ctx, `SELECT org_id FROM centers WHERE id = ?`, f.CenterID).Scan(&org)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, birge.ErrNotFound
		}
		if err != nil {
			return nil, err
		}
		if !a.Can(birge.PermCaseManage, org, f.CenterID) {
			return nil, birge.ErrForbidden
		}
		w.add("cs.center_id = ?", f.CenterID)
		if f.WorkerID != 0 {
			w.add("cs.worker_id = ?", f.WorkerID)
		}
	case f.WorkerID == a.UserID && a.UserID != 0:
		if a.ScopeOf(birge.PermCaseView).Empty() {
			return nil, birge.ErrForbidden
		}
		w.add("cs.worker_id = ?", f.WorkerID)
		w.scope("cs.org_id", "cs.center_id", a.ScopeOf(birge.PermCaseView))
	default:
		if a.ScopeOf(birge.PermCaseManage).Empty() {
			return nil, birge.ErrForbidden
		}
		w.add("cs.worker_id = ?", f.WorkerID)
		w.scope("cs.org_id", "cs.center_id", a.ScopeOf(birge.PermCaseManage))
	}
	w.add("cs.starts_at >= ?", f.From.UTC())
	w.add("cs.starts_at < ?", f.To.UTC())
	return ss.query(ctx, ss.s.read(), w.sql(), `cs.starts_at, cs.id`, w.args...)
}

// Contact is one who comes to a session, as tomorrow's list shows her to the
// coordinator who calls: her phones and her safe-contact preferences. Hidden is one the
// coordinator may not see in the registry: no name, no phone.
type Contact struct {
	ID              int64
	Name            string
	Phones          []string
	MayCall         bool
	CallTimes       string
	MayLeaveMessage bool
	Hidden          bool
}

// Appointment is one session of tomorrow's list with who comes.
type Appointment struct {
	birge.Session
	People []Contact
}

// Tomorrow returns the sessions of a centre on the day after the actor's today (her
// day, in her zone), not cancelled, with each one who comes, her phones and whether,
// when and how she may be called; the centre's supervisors only. Each woman whose phone
// the list shows is written to her access log.
func (ss *Sessions) Tomorrow(ctx context.Context, a *birge.Actor, centerID int64) ([]Appointment, error) {
	loc := a.Location()
	today := a.Today(ss.s.now())
	from := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, loc)
	list, err := ss.Week(ctx, a, WeekFilter{CenterID: centerID, From: from, To: from.AddDate(0, 0, 1)})
	if err != nil {
		return nil, err
	}
	out := []Appointment{}
	err = ss.s.tx(ctx, func(c q) error {
		logged := map[int64]bool{}
		for _, x := range list {
			if !x.Blocks() {
				continue
			}
			ap := Appointment{Session: x}
			for _, id := range x.PersonIDs {
				her, err := ss.s.People.visiblePerson(ctx, c, a, id)
				if errors.Is(err, birge.ErrNotFound) {
					ap.People = append(ap.People, Contact{ID: id, Hidden: true})
					continue
				}
				if err != nil {
					return err
				}
				phones, err := personPhones(ctx, c, id)
				if err != nil {
					return err
				}
				ap.People = append(ap.People, Contact{ID: id, Name: her.FullName(), Phones: phones, MayCall: her.MayCall,
					CallTimes: her.CallTimes, MayLeaveMessage: her.MayLeaveMessage})
				if !logged[id] {
					logged[id] = true
					if err := ss.s.People.logAccess(ctx, c, a, her.Person, "call_list"); err != nil {
						return err
					}
				}
			}
			out = append(out, ap)
		}
		return nil
	})
	return out, err
}

// ofPerson is every session she comes to, for her dossier: the appointments, never the
// notes.
func (ss *Sessions) ofPerson(ctx context.Context, id int64) ([]birge.Session, error) {
	return ss.query(ctx, ss.s.read(), ` WHERE cs.id IN (SELECT session_id FROM case_session_people
		WHERE person_id = ?)`, `cs.starts_at, cs.id`, id)
}

// sessionTimeline is her timeline's source of sessions: one event for each session she
// comes to, at its start, to those who see its case; by her row in case_session_people.
func sessionTimeline(s *Store, ctx context.Context, a *birge.Actor, p personRow, before int64, limit int) ([]TimelineEvent, error) {
	if before == 0 {
		before = 1<<63 - 1
	}
	rows, err := s.read().query(ctx, `SELECT f.id, cs.case_id, cs.starts_at, COALESCE(u.name, '') FROM case_session_people f
		JOIN case_sessions cs ON cs.id = f.session_id LEFT JOIN users u ON u.id = cs.worker_id
		WHERE f.person_id = ? AND f.id < ? ORDER BY f.id DESC`, p.ID, before)
	if err != nil {
		return nil, err
	}
	type found struct {
		e      TimelineEvent
		caseID int64
	}
	var all []found
	for rows.Next() {
		var f found
		if err := rows.Scan(&f.e.pos, &f.caseID, &f.e.At, &f.e.Actor); err != nil {
			rows.Close()
			return nil, err
		}
		f.e.At, f.e.Kind, f.e.source = f.e.At.UTC(), "session", "session"
		all = append(all, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []TimelineEvent
	seen := map[int64]bool{}
	for _, f := range all {
		if len(out) == limit {
			break
		}
		ok, done := seen[f.caseID]
		if !done {
			_, err := s.Cases.get(ctx, s.read(), a, birge.PermCaseView, f.caseID)
			if err != nil && !errors.Is(err, birge.ErrNotFound) && !errors.Is(err, birge.ErrForbidden) {
				return nil, err
			}
			ok, seen[f.caseID] = err == nil, err == nil
		}
		if ok {
			out = append(out, f.e)
		}
	}
	return out, nil
}
