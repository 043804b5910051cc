package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// Attendance and completion of trainings (issue 12, decision 0031). A mark is kept per
// (session, enrolment); the one with the newest marked_at wins whatever order phones
// sync in; each present or late mark is her service delivery, written and removed in the
// same transaction as the mark.

// SourceTraining marks the deliveries attendance writes (Delivery.Source); their
// SourceID is the training session, and the mark keeps the delivery's id.
const SourceTraining = "training"

// trainingDeliveryKind is the kind of service an attended session is.
const trainingDeliveryKind = "training_session"

// registerRow is a line of a register with the delivery its mark wrote.
type registerRow struct {
	birge.RegisterLine
	deliveryID int64
}

// registerRows reads a session's register: the women enrolled (or completed) in its
// cohort and any other who holds a mark in it, by name.
func registerRows(ctx context.Context, c q, sessionID, cohortID int64) ([]registerRow, error) {
	rows, err := c.query(ctx, `SELECT e.id, e.person_id, p.family_name, p.given_name, p.patronymic, e.status,
		COALESCE(m.mark, ''), COALESCE(m.reason, ''), m.marked_at, COALESCE(u.name, ''), COALESCE(m.delivery_id, 0)
		FROM enrollments e JOIN people p ON p.id = e.person_id
		LEFT JOIN training_marks m ON m.session_id = ? AND m.enrollment_id = e.id
		LEFT JOIN users u ON u.id = m.marked_by
		WHERE e.cohort_id = ? AND (e.status IN ('enrolled', 'completed') OR m.mark IS NOT NULL)
		ORDER BY p.family_name, p.given_name, e.id`, sessionID, cohortID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []registerRow
	for rows.Next() {
		var r registerRow
		var family, given, patronymic string
		var at sql.NullTime
		if err := rows.Scan(&r.EnrollmentID, &r.PersonID, &family, &given, &patronymic, &r.Status, &r.Mark, &r.Reason,
			&at, &r.MarkedBy, &r.deliveryID); err != nil {
			return nil, err
		}
		r.PersonName = birge.Person{FamilyName: family, GivenName: given, Patronymic: patronymic}.FullName()
		if at.Valid {
			t := at.Time.UTC()
			r.MarkedAt = &t
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func register(ts birge.TrainingSession, rows []registerRow) birge.TrainingRegister {
	reg := birge.TrainingRegister{SessionID: ts.ID, CohortID: ts.CohortID, StartsAt: ts.StartsAt, EndsAt: ts.EndsAt,
		Lines: make([]birge.RegisterLine, len(rows)), Conflicts: []birge.MarkConflict{}}
	for i, r := range rows {
		reg.Lines[i] = r.RegisterLine
	}
	return reg
}

// Register returns a session's register to those who see its cohort.
func (t *Trainings) Register(ctx context.Context, a *birge.Actor, sessionID int64) (birge.TrainingRegister, error) {
	c := t.s.read()
	ts, _, err := t.trainingSession(ctx, c, a, birge.PermTrainingView, sessionID)
	if err != nil {
		return birge.TrainingRegister{}, err
	}
	rows, err := registerRows(ctx, c, ts.ID, ts.CohortID)
	if err != nil {
		return birge.TrainingRegister{}, err
	}
	return register(ts, rows), nil
}

// MayAttend reports whether the actor marks a cohort's registers.
func (t *Trainings) MayAttend(a *birge.Actor, h birge.Cohort) bool {
	return a.Can(birge.PermTrainingAttend, h.OrgID, h.CenterID)
}

func markFields(m birge.TrainingMark, enrollmentID int64) map[string]any {
	return map[string]any{"person_id": m.PersonID, "enrollment_id": enrollmentID, "mark": m.Mark, "reason": m.Reason,
		"marked_at": m.MarkedAt.UTC().Format(time.RFC3339Nano)}
}

// PutMarks writes marks into a session's register, all or none, and returns the register
// after them with the disagreements: a mark older than the one kept for her is not written
// and, when it says otherwise, is returned as a conflict naming what was kept and by whom.
// Sending the same marks again changes nothing. A mark of a woman not enrolled in the
// cohort, or made further ahead than birge.MarkSkew, is refused by its field
// (marks[2].marked_at). The actor needs training.attend where the cohort is held and to
// see it (a trainer: her own cohorts; another's session is not found).
func (t *Trainings) PutMarks(ctx context.Context, a *birge.Actor, sessionID int64, marks []birge.TrainingMark) (birge.TrainingRegister, error) {
	s := t.s
	var out birge.TrainingRegister
	err := s.tx(ctx, func(c q) error {
		// The session's row lock orders two phones syncing the same register at once.
		if err := lockRow(ctx, c, "training_sessions", sessionID); err != nil {
			return err
		}
		ts, h, err := t.trainingSession(ctx, c, a, birge.PermTrainingAttend, sessionID)
		if err != nil {
			return err
		}
		now := s.now()
		if birge.Day(ts.StartsAt, a.Location()).After(a.Today(now)) {
			return &birge.Error{Kind: birge.KindInvalid, Key: "training.session_ahead"}
		}
		rows, err := registerRows(ctx, c, ts.ID, ts.CohortID)
		if err != nil {
			return err
		}
		byPerson := make(map[int64]*registerRow, len(rows))
		for i := range rows {
			byPerson[rows[i].PersonID] = &rows[i]
		}
		pr := birge.Problems{}
		seen := map[int64]bool{}
		for i := range marks {
			m := &marks[i]
			// Kept to the millisecond, what a phone's clock gives and both databases hold.
			m.MarkedAt = m.MarkedAt.UTC().Truncate(time.Millisecond)
			p := m.Validate(now)
			row := byPerson[m.PersonID]
			switch {
			case p["person_id"] != "":
			case row == nil || (row.Status != birge.EnrollmentEnrolled && row.Status != birge.EnrollmentCompleted):
				p.Add("person_id", "training.not_enrolled")
			case seen[m.PersonID]:
				p.Add("person_id", "training.marked_twice")
			}
			seen[m.PersonID] = true
			for f, key := range p {
				pr.Add(fmt.Sprintf("marks[%d].%s", i, f), key)
			}
		}
		if err := pr.Err(); err != nil {
			return err
		}
		w := markWriter{t: t, a: a, ts: ts, h: h, now: now}
		var conflicts []birge.MarkConflict
		for i, m := range marks {
			row := byPerson[m.PersonID]
			if row.Mark != "" {
				kept := birge.TrainingMark{PersonID: m.PersonID, Mark: row.Mark, Reason: row.Reason, MarkedAt: *row.MarkedAt}
				if !m.Newer(kept) {
					if m.Mark != kept.Mark {
						conflicts = append(conflicts, birge.MarkConflict{PersonID: m.PersonID, PersonName: row.PersonName,
							Sent: m.Mark, SentAt: m.MarkedAt, Kept: kept.Mark, KeptAt: kept.MarkedAt, KeptBy: row.MarkedBy})
					}
					continue
				}
			}
			if err := w.mark(ctx, c, i, row, m); err != nil {
				return err
			}
		}
		if err := w.finish(ctx, c); err != nil {
			return err
		}
		if rows, err = registerRows(ctx, c, ts.ID, ts.CohortID); err != nil {
			return err
		}
		out = register(ts, rows)
		if conflicts != nil {
			out.Conflicts = conflicts
		}
		return nil
	})
	return out, err
}

// markWriter writes the marks of one sync: each mark's row and audit entry at once, the
// deliveries it adds in one batch at the end (as RecordMany does), those it removes
// before.
type markWriter struct {
	t      *Trainings
	a      *birge.Actor
	ts     birge.TrainingSession
	h      birge.Cohort
	now    time.Time
	batch  *deliveryBatch // made with the first delivery, with the course it reads
	course birge.Course
	added  []int64 // enrolments whose new delivery is in batch, in its order
	events []event
}

// mark writes one mark over what row holds: its delivery removed when she no longer
// attended, one added when she now did.
func (w *markWriter) mark(ctx context.Context, c q, i int, row *registerRow, m birge.TrainingMark) error {
	before, after := map[string]any(nil), markFields(m, row.EnrollmentID)
	if row.Mark != "" {
		before = markFields(birge.TrainingMark{PersonID: m.PersonID, Mark: row.Mark, Reason: row.Reason,
			MarkedAt: *row.MarkedAt}, row.EnrollmentID)
	}
	delivery := row.deliveryID
	if !birge.Attended(m.Mark) {
		delivery = 0
	}
	var err error
	if row.Mark == "" {
		_, err = c.exec(ctx, `INSERT INTO training_marks (session_id, enrollment_id, mark, reason, marked_at, marked_by,
			delivery_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, w.ts.ID, row.EnrollmentID, m.Mark,
			m.Reason, m.MarkedAt, nullID(w.a.UserID), nullID(delivery), w.now, w.now)
	} else {
		_, err = c.exec(ctx, `UPDATE training_marks SET mark = ?, reason = ?, marked_at = ?, marked_by = ?, delivery_id = ?,
			updated_at = ? WHERE session_id = ? AND enrollment_id = ?`, m.Mark, m.Reason, m.MarkedAt, nullID(w.a.UserID),
			nullID(delivery), w.now, w.ts.ID, row.EnrollmentID)
	}
	if err != nil {
		return err
	}
	if row.deliveryID != 0 && delivery == 0 {
		if err := w.t.s.Deliveries.removeWhere(ctx, c, w.a, `d.id = ?`, row.deliveryID); err != nil {
			return err
		}
	}
	if row.deliveryID == 0 && birge.Attended(m.Mark) {
		if err := w.deliver(ctx, c, i, m); err != nil {
			return err
		}
		w.added = append(w.added, row.EnrollmentID)
	}
	changes := birge.Diff(before, after)
	changes["person_id"] = birge.Change{Before: m.PersonID, After: m.PersonID} // seals the entry with her key
	ev := event{action: birge.ActionCreate, entity: birge.EntityTrainingMark, entityID: w.ts.ID, orgID: w.h.OrgID,
		centerID: w.h.CenterID, changes: changes}
	if before != nil {
		ev.action = birge.ActionUpdate
	}
	w.events = append(w.events, ev)
	return nil
}

// deliver adds her delivery for an attended session to the batch: a training session of
// the course's programme, in hours when the session lasts whole hours, else one session,
// on the session's day, given by the one who marked it. It counts for her centre, as
// every delivery does, whether the cohort met at a centre or in a village.
func (w *markWriter) deliver(ctx context.Context, c q, i int, m birge.TrainingMark) error {
	if w.batch == nil {
		kinds, err := w.t.s.Deliveries.kinds(ctx, c, w.h.OrgID)
		if err != nil {
			return err
		}
		if k, ok := kinds.Lookup(trainingDeliveryKind); !ok || k.Retired {
			return &birge.Error{Kind: birge.KindConflict, Key: "training.no_kind"}
		}
		if w.course, err = scanCourse(c.row(ctx, `SELECT `+courseColumns+` FROM courses WHERE id = ?`, w.h.CourseID)); err != nil {
			return err
		}
		w.batch = w.t.s.Deliveries.batch(w.a)
	}
	at := w.ts.StartsAt.In(w.a.Location())
	d := birge.Delivery{PersonID: m.PersonID, Date: at.Format(time.DateOnly), Time: at.Format("15:04"),
		Kind: trainingDeliveryKind, Quantity: 1, Unit: "sessions", Source: SourceTraining, SourceID: w.ts.ID}
	if length := w.ts.EndsAt.Sub(w.ts.StartsAt); length%time.Hour == 0 {
		d.Quantity, d.Unit = int64(length/time.Hour), "hours"
	}
	if w.course.ProgramID != 0 {
		d.ProgramID = &w.course.ProgramID
	}
	// Her delivery refused (a woman out of the marker's sight, a programme not open to
	// her) refuses the mark, named by its place in the list.
	err := w.batch.add(ctx, c, d)
	if err == nil {
		return nil
	}
	pr := birge.Problems{}
	switch birge.KindOf(err) {
	case birge.KindNotFound, birge.KindForbidden:
		pr.Add(fmt.Sprintf("marks[%d].person_id", i), "training.cannot_record")
	case birge.KindInvalid:
		for f, key := range birge.AsError(err).Fields {
			pr.Add(fmt.Sprintf("marks[%d].%s", i, f), key)
		}
	default:
		return err
	}
	return pr.Err()
}

// finish writes the deliveries added, points their marks at them, and writes the marks'
// audit entries.
func (w *markWriter) finish(ctx context.Context, c q) error {
	if len(w.added) > 0 {
		list, err := w.batch.write(ctx, c)
		if err != nil {
			return err
		}
		for i, d := range list {
			if _, err := c.exec(ctx, `UPDATE training_marks SET delivery_id = ? WHERE session_id = ? AND enrollment_id = ?`,
				d.ID, w.ts.ID, w.added[i]); err != nil {
				return err
			}
		}
	}
	return w.t.s.auditMany(ctx, c, w.a, w.events)
}

// TodaySession is a training session of a day with its cohort and how far its register
// is marked.
type TodaySession struct {
	birge.TrainingSession
	Cohort birge.Cohort
	Marked int
}

// SessionsOn lists the training sessions of a day (YYYY-MM-DD, in the actor's zone) of
// the cohorts the actor marks: a trainer's own, a coordinator's centre's. One who sees no
// cohort anywhere is refused.
func (t *Trainings) SessionsOn(ctx context.Context, a *birge.Actor, day string) ([]TodaySession, error) {
	from, err := time.ParseInLocation(time.DateOnly, day, a.Location())
	if err != nil {
		return nil, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"day": "field.date"}}
	}
	cohorts, err := t.Cohorts(ctx, a, CohortFilter{})
	if err != nil {
		return nil, err
	}
	byID := map[int64]birge.Cohort{}
	var list []any
	for _, h := range cohorts {
		// Her day is the sessions of the cohorts she marks (a session may be added outside
		// its cohort's days, so all of them are looked at, on the (cohort, start) index).
		if t.MayAttend(a, h) {
			byID[h.ID] = h
			list = append(list, h.ID)
		}
	}
	out := []TodaySession{}
	c := t.s.read()
	err = inChunks(list, func(chunk []any) error {
		rows, err := c.query(ctx, `SELECT `+trainingSessionColumns+`, (SELECT COUNT(*) FROM training_marks m
			WHERE m.session_id = training_sessions.id) FROM training_sessions WHERE cohort_id IN (`+placeholders(len(chunk))+`)
			AND starts_at >= ? AND starts_at < ?`, append(chunk, from.UTC(), from.AddDate(0, 0, 1).UTC())...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var x TodaySession
			if err := rows.Scan(&x.ID, &x.CohortID, &x.StartsAt, &x.EndsAt, &x.Venue, &x.CreatedAt, &x.UpdatedAt,
				&x.Marked); err != nil {
				return err
			}
			x.StartsAt, x.EndsAt = x.StartsAt.UTC(), x.EndsAt.UTC()
			x.Cohort = byID[x.CohortID]
			x.OrgID = x.Cohort.OrgID
			out = append(out, x)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(x, y TodaySession) int {
		if c := x.StartsAt.Compare(y.StartsAt); c != 0 {
			return c
		}
		return cmp.Compare(x.ID, y.ID)
	})
	return out, nil
}

// Complete applies the course's completion rule to every woman enrolled in a cohort (or
// found completed before), once its last day has come: her attendance — present or late
// over the sessions held up to now — at least the rule's share and, when the rule asks
// for it, her final project passed. She is then completed (on the day it first found
// her so) or, if not, enrolled, and the note says why. Applied again after a correction,
// it moves her either way. Each change is audited as a change of her enrolment.
func (t *Trainings) Complete(ctx context.Context, a *birge.Actor, cohortID int64) ([]birge.Enrollment, error) {
	s := t.s
	var out []birge.Enrollment
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "cohorts", cohortID); err != nil {
			return err
		}
		h, err := t.cohort(ctx, c, a, birge.PermTrainingManage, cohortID)
		if err != nil {
			return err
		}
		now := s.now()
		today := a.Today(now).Format(time.DateOnly)
		if today < h.EndsOn {
			return &birge.Error{Kind: birge.KindInvalid, Key: "training.not_ended", Args: map[string]any{"day": h.EndsOn}}
		}
		course, err := scanCourse(c.row(ctx, `SELECT `+courseColumns+` FROM courses WHERE id = ?`, h.CourseID))
		if err != nil {
			return err
		}
		var held int
		if err := c.row(ctx, `SELECT COUNT(*) FROM training_sessions WHERE cohort_id = ? AND starts_at <= ?`,
			h.ID, now).Scan(&held); err != nil {
			return err
		}
		attended := map[int64]int{}
		rows, err := c.query(ctx, `SELECT m.enrollment_id, COUNT(*) FROM training_marks m
			JOIN training_sessions x ON x.id = m.session_id
			WHERE x.cohort_id = ? AND x.starts_at <= ? AND m.mark IN ('present', 'late') GROUP BY m.enrollment_id`, h.ID, now)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return err
			}
			attended[id] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		list, err := t.enrollments(ctx, c, `e.cohort_id = ? AND e.status IN ('enrolled', 'completed')`, h.ID)
		if err != nil {
			return err
		}
		var events []event
		for _, e := range list {
			found := course.CompletionRule.Judge(held, attended[e.ID], e.ProjectPassed)
			status, on := birge.EnrollmentEnrolled, ""
			if found.Completed() {
				status, on = birge.EnrollmentCompleted, e.CompletedOn
				if on == "" {
					on = today
				}
			}
			note, err := json.Marshal(found)
			if err != nil {
				return err
			}
			var was string
			if e.Completion != nil {
				b, _ := json.Marshal(e.Completion)
				was = string(b)
			}
			if status == e.Status && on == e.CompletedOn && string(note) == was {
				continue
			}
			var completedOn any
			if on != "" {
				completedOn = on
			}
			if _, err := c.exec(ctx, `UPDATE enrollments SET status = ?, completed_on = ?, completion_note = ?, updated_at = ?
				WHERE id = ?`, status, completedOn, string(note), nextVersion(now, e.UpdatedAt), e.ID); err != nil {
				return err
			}
			changes := birge.Diff(map[string]any{"status": e.Status, "completed_on": e.CompletedOn, "completion_note": was},
				map[string]any{"status": status, "completed_on": on, "completion_note": string(note)})
			changes["person_id"] = birge.Change{Before: e.PersonID, After: e.PersonID}
			events = append(events, event{action: birge.ActionUpdate, entity: birge.EntityEnrollment, entityID: e.ID,
				orgID: h.OrgID, centerID: h.CenterID, changes: changes})
		}
		if err := s.auditMany(ctx, c, a, events); err != nil {
			return err
		}
		out, err = t.enrollments(ctx, c, `e.cohort_id = ?`, h.ID)
		return err
	})
	return out, err
}

// DossierMark is one of her attendance marks, for her dossier.
type DossierMark struct {
	SessionID int64     `json:"session_id"`
	CohortID  int64     `json:"cohort_id"`
	StartsAt  time.Time `json:"starts_at"`
	Mark      string    `json:"mark"`
	Reason    string    `json:"reason"`
	MarkedAt  time.Time `json:"marked_at"`
}

// marksOf is every mark of hers, by the session's time, for her dossier.
func (t *Trainings) marksOf(ctx context.Context, personID int64) ([]DossierMark, error) {
	rows, err := t.s.read().query(ctx, `SELECT m.session_id, x.cohort_id, x.starts_at, m.mark, m.reason, m.marked_at
		FROM training_marks m JOIN enrollments e ON e.id = m.enrollment_id JOIN training_sessions x ON x.id = m.session_id
		WHERE e.person_id = ? ORDER BY x.starts_at, m.session_id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DossierMark{}
	for rows.Next() {
		var m DossierMark
		if err := rows.Scan(&m.SessionID, &m.CohortID, &m.StartsAt, &m.Mark, &m.Reason, &m.MarkedAt); err != nil {
			return nil, err
		}
		m.StartsAt, m.MarkedAt = m.StartsAt.UTC(), m.MarkedAt.UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}
