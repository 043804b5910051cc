package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

const enrollmentColumns = `e.id, h.org_id, e.cohort_id, e.person_id, p.family_name, p.given_name, p.patronymic, e.status,
	e.position, e.reason, e.childcare, e.special_needs, e.accommodation, e.project_passed, COALESCE(e.completed_on, ''),
	e.completion_note, e.source, e.created_at, e.updated_at`

const enrollmentFrom = ` FROM enrollments e JOIN cohorts h ON h.id = e.cohort_id JOIN people p ON p.id = e.person_id`

func scanEnrollment(row interface{ Scan(...any) error }) (birge.Enrollment, error) {
	var e birge.Enrollment
	var family, given, patronymic, note string
	err := row.Scan(&e.ID, &e.OrgID, &e.CohortID, &e.PersonID, &family, &given, &patronymic, &e.Status, &e.Position,
		&e.Reason, &e.Childcare, &e.SpecialNeeds, &e.Accommodation, &e.ProjectPassed, &e.CompletedOn, &note,
		&e.Source, &e.CreatedAt, &e.UpdatedAt)
	if err == nil && note != "" {
		e.Completion = &birge.Completion{}
		if jerr := json.Unmarshal([]byte(note), e.Completion); jerr != nil {
			return e, jerr
		}
	}
	e.PersonName = birge.Person{FamilyName: family, GivenName: given, Patronymic: patronymic}.FullName()
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	return e, err
}

func enrollmentFields(e birge.Enrollment) map[string]any {
	return map[string]any{"person_id": e.PersonID, "cohort_id": e.CohortID, "status": e.Status, "position": e.Position,
		"reason": e.Reason, "childcare": e.Childcare, "special_needs": e.SpecialNeeds, "accommodation": e.Accommodation, "project_passed": e.ProjectPassed,
		"source": e.Source}
}

// Enrollments lists a cohort's women to those who see the cohort: those with a place,
// by when they enrolled, then the waiting list in its order, then those who dropped out.
func (t *Trainings) Enrollments(ctx context.Context, a *birge.Actor, cohortID int64) ([]birge.Enrollment, error) {
	if _, err := t.Cohort(ctx, a, cohortID); err != nil {
		return nil, err
	}
	return t.enrollments(ctx, t.s.read(), `e.cohort_id = ?`, cohortID)
}

func (t *Trainings) enrollments(ctx context.Context, c q, cond string, args ...any) ([]birge.Enrollment, error) {
	rows, err := c.query(ctx, `SELECT `+enrollmentColumns+enrollmentFrom+` WHERE `+cond+`
		ORDER BY CASE e.status WHEN 'waiting' THEN 1 WHEN 'dropped' THEN 2 ELSE 0 END, e.position, e.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Enrollment{}
	for rows.Next() {
		e, err := scanEnrollment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Enrollment returns an enrolment of a cohort the actor sees.
func (t *Trainings) Enrollment(ctx context.Context, a *birge.Actor, id int64) (birge.Enrollment, error) {
	e, _, err := t.enrollment(ctx, t.s.read(), a, birge.PermTrainingView, id)
	return e, err
}

func (t *Trainings) enrollment(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (birge.Enrollment, birge.Cohort, error) {
	e, err := scanEnrollment(c.row(ctx, `SELECT `+enrollmentColumns+enrollmentFrom+` WHERE e.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return e, birge.Cohort{}, birge.ErrNotFound
	} else if err != nil {
		return e, birge.Cohort{}, err
	}
	h, err := t.cohort(ctx, c, a, perm, e.CohortID)
	if err != nil {
		return birge.Enrollment{}, h, err
	}
	return e, h, nil
}

// Enroll enrols a woman of the registry, one the actor sees in the cohort's organisation,
// in a cohort she runs: enrolled while there is a place, else at the end of the waiting
// list. Enrolling her twice is a conflict; a rule of the cohort she does not meet is
// refused by its field, with the reason.
func (t *Trainings) Enroll(ctx context.Context, a *birge.Actor, cohortID int64, e birge.Enrollment) (birge.Enrollment, error) {
	s := t.s
	var out birge.Enrollment
	err := s.tx(ctx, func(c q) error {
		// The cohort's row lock orders enrolments at once: two never take its last place.
		if err := lockRow(ctx, c, "cohorts", cohortID); err != nil {
			return err
		}
		h, err := t.cohort(ctx, c, a, birge.PermTrainingManage, cohortID)
		if err != nil {
			return err
		}
		her, err := s.People.visiblePerson(ctx, c, a, e.PersonID)
		if errors.Is(err, birge.ErrNotFound) || (err == nil && her.OrgID != h.OrgID) {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"person_id": "case.person_unknown"}}
		} else if err != nil {
			return err
		}
		e.Source = birge.SourceStaff
		out, err = t.enrollEligible(ctx, c, a, h, her, e)
		return err
	})
	return out, err
}

// enrollEligible enrols her in a cohort whose row the transaction has locked, when she
// is not enrolled in it yet and meets its rule by her record: enrolled while there is a
// place, else at the end of the waiting list. Staff's enrolments and a list's rows come
// here; the public form, which checks only what she typed, does not.
func (t *Trainings) enrollEligible(ctx context.Context, c q, a *birge.Actor, h birge.Cohort, her personRow, e birge.Enrollment) (birge.Enrollment, error) {
	e.PersonID = her.ID
	if err := enrolledTwice(ctx, c, h.ID, her.ID); err != nil {
		return e, err
	}
	cats, err := plainCategories(ctx, c, her.ID)
	if err != nil {
		return e, err
	}
	if pr := h.Eligible(her.Person, cats); len(pr) > 0 {
		return e, &birge.Error{Kind: birge.KindInvalid, Key: "training.not_eligible", Fields: pr}
	}
	e.Status = birge.EnrollmentEnrolled
	return t.insertEnrollment(ctx, c, a, h, e)
}

// enrolledTwice refuses a second enrolment of hers in a cohort, under its row lock.
func enrolledTwice(ctx context.Context, c q, cohortID, personID int64) error {
	var twice int
	if err := c.row(ctx, `SELECT COUNT(*) FROM enrollments WHERE cohort_id = ? AND person_id = ?`, cohortID, personID).Scan(&twice); err != nil {
		return err
	}
	if twice > 0 {
		return &birge.Error{Kind: birge.KindConflict, Key: "training.enrolled_twice"}
	}
	return nil
}

// insertEnrollment writes an enrolment in e.Status (enrolled or pending) while the
// cohort has a place, else at the end of its waiting list, and audits it. The cohort's
// row is locked by the transaction, so h.Enrolled is current.
func (t *Trainings) insertEnrollment(ctx context.Context, c q, a *birge.Actor, h birge.Cohort, e birge.Enrollment) (birge.Enrollment, error) {
	s := t.s
	var err error
	e.Reason, e.Position = "", 0
	if h.Full() {
		e.Status = birge.EnrollmentWaiting
		if e.Position, err = lastWaiting(ctx, c, h.ID); err != nil {
			return e, err
		}
		e.Position++
	}
	if err := e.Validate(); err != nil {
		return e, err
	}
	e.CohortID, e.OrgID = h.ID, h.OrgID
	e.CreatedAt = s.now()
	e.UpdatedAt = e.CreatedAt
	if err := c.row(ctx, `INSERT INTO enrollments (cohort_id, person_id, status, position, childcare, special_needs,
		accommodation, source, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		e.CohortID, e.PersonID, e.Status, e.Position, e.Childcare, e.SpecialNeeds, e.Accommodation, e.Source,
		nullID(a.UserID), e.CreatedAt, e.UpdatedAt).Scan(&e.ID); err != nil {
		return e, err
	}
	list, err := t.enrollments(ctx, c, `e.id = ?`, e.ID)
	if err != nil {
		return e, err
	}
	out := list[0]
	return out, s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityEnrollment, entityID: e.ID,
		orgID: h.OrgID, centerID: h.CenterID, changes: birge.Diff(nil, enrollmentFields(out))})
}

func lastWaiting(ctx context.Context, c q, cohortID int64) (int, error) {
	var last int
	err := c.row(ctx, `SELECT COALESCE(MAX(position), 0) FROM enrollments WHERE cohort_id = ? AND status = 'waiting'`,
		cohortID).Scan(&last)
	return last, err
}

// UpdateEnrollment saves an enrolment's status, reason, accommodation and final project,
// made on version e.UpdatedAt. Her project alone is marked with training.attend (by her
// trainer); anything else takes training.manage. Off the waiting list into a place needs a free one; onto it goes
// to its end. A place freed (dropped, or back to waiting) goes to the first of the
// waiting list in the same transaction, and the answer says who moved up (MovedUp).
func (t *Trainings) UpdateEnrollment(ctx context.Context, a *birge.Actor, e birge.Enrollment) (birge.Enrollment, error) {
	s := t.s
	var out birge.Enrollment
	err := s.tx(ctx, func(c q) error {
		var cohortID int64
		err := c.row(ctx, `SELECT cohort_id FROM enrollments WHERE id = ?`, e.ID).Scan(&cohortID)
		if errors.Is(err, sql.ErrNoRows) {
			return birge.ErrNotFound
		} else if err != nil {
			return err
		}
		if err := lockRow(ctx, c, "cohorts", cohortID); err != nil {
			return err
		}
		old, h, err := t.enrollment(ctx, c, a, birge.PermTrainingView, e.ID)
		if err != nil {
			return err
		}
		e.OrgID, e.CohortID, e.PersonID, e.CreatedAt, e.Position = old.OrgID, old.CohortID, old.PersonID, old.CreatedAt, old.Position
		e.CompletedOn, e.Completion, e.Source = old.CompletedOn, old.Completion, old.Source
		perm := birge.PermTrainingManage
		if asked := birge.Diff(enrollmentFields(old), enrollmentFields(e)); len(asked) == 1 && asked["project_passed"].After != nil {
			perm = birge.PermTrainingAttend
		}
		if !a.Can(perm, h.OrgID, h.CenterID) {
			return birge.ErrForbidden
		}
		if err := sameVersion(e.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		if err := e.Validate(); err != nil {
			return err
		}
		wasWaiting, waiting := old.Status == birge.EnrollmentWaiting, e.Status == birge.EnrollmentWaiting
		switch {
		case waiting && !wasWaiting:
			if e.Position, err = lastWaiting(ctx, c, h.ID); err != nil {
				return err
			}
			e.Position++
		case !waiting:
			e.Position = 0
		}
		if birge.TakesPlace(e.Status) && !birge.TakesPlace(old.Status) && h.Enrolled >= h.Capacity {
			return &birge.Error{Kind: birge.KindConflict, Key: "training.cohort_full"}
		}
		changes := birge.Diff(enrollmentFields(old), enrollmentFields(e))
		if len(changes) == 0 {
			out = old
			return nil
		}
		e.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		if _, err := c.exec(ctx, `UPDATE enrollments SET status = ?, position = ?, reason = ?, childcare = ?,
			special_needs = ?, accommodation = ?, project_passed = ?, updated_at = ? WHERE id = ?`, e.Status, e.Position,
			e.Reason, e.Childcare, e.SpecialNeeds, e.Accommodation, e.ProjectPassed, e.UpdatedAt, e.ID); err != nil {
			return err
		}
		if wasWaiting && !waiting {
			if err := closeWaitingGap(ctx, c, h.ID, old.Position); err != nil {
				return err
			}
		}
		changes["person_id"] = birge.Change{Before: old.PersonID, After: old.PersonID} // seals the entry with her key
		if err := s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityEnrollment, entityID: e.ID,
			orgID: h.OrgID, centerID: h.CenterID, changes: changes}); err != nil {
			return err
		}
		moved, err := t.fillPlaces(ctx, c, a, h)
		if err != nil {
			return err
		}
		if out, _, err = t.enrollment(ctx, c, a, birge.PermTrainingView, e.ID); err != nil {
			return err
		}
		out.MovedUp = moved
		return nil
	})
	return out, err
}

// closeWaitingGap moves up by one everyone behind a place left on the waiting list, so
// that its positions stay 1, 2, 3…
func closeWaitingGap(ctx context.Context, c q, cohortID int64, left int) error {
	_, err := c.exec(ctx, `UPDATE enrollments SET position = position - 1 WHERE cohort_id = ? AND status = 'waiting'
		AND position > ?`, cohortID, left)
	return err
}

// fillPlaces gives the cohort's free places to the first of its waiting list, in order,
// each moving up audited as such, and returns who moved up. It runs in the transaction
// that freed a place (under the cohort's row lock), so a place is never free while
// someone waits.
func (t *Trainings) fillPlaces(ctx context.Context, c q, a *birge.Actor, h birge.Cohort) ([]birge.Enrollment, error) {
	s := t.s
	var taken, capacity int
	if err := c.row(ctx, `SELECT (SELECT COUNT(*) FROM enrollments WHERE cohort_id = ? AND status IN ('pending', 'enrolled', 'completed')),
		capacity FROM cohorts WHERE id = ?`, h.ID, h.ID).Scan(&taken, &capacity); err != nil {
		return nil, err
	}
	var moved []birge.Enrollment
	for ; taken < capacity; taken++ {
		var id int64
		var pos int
		err := c.row(ctx, `SELECT id, position FROM enrollments WHERE cohort_id = ? AND status = 'waiting'
			ORDER BY position, id LIMIT 1`, h.ID).Scan(&id, &pos)
		if errors.Is(err, sql.ErrNoRows) {
			break
		} else if err != nil {
			return nil, err
		}
		// A sign-up from the public form moves up to pending: staff have yet to confirm her.
		if _, err := c.exec(ctx, `UPDATE enrollments SET status = CASE source WHEN 'signup' THEN 'pending' ELSE 'enrolled' END,
			position = 0, updated_at = ? WHERE id = ?`, s.now(), id); err != nil {
			return nil, err
		}
		if err := closeWaitingGap(ctx, c, h.ID, pos); err != nil {
			return nil, err
		}
		list, err := t.enrollments(ctx, c, `e.id = ?`, id)
		if err != nil {
			return nil, err
		}
		e := list[0]
		moved = append(moved, e)
		if err := s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityEnrollment, entityID: id,
			orgID: h.OrgID, centerID: h.CenterID, changes: map[string]birge.Change{
				"person_id": {Before: e.PersonID, After: e.PersonID},
				"status":    {Before: birge.EnrollmentWaiting, After: e.Status},
				"position":  {Before: pos, After: 0},
				"moved_up":  {Before: false, After: true}}}); err != nil {
			return nil, err
		}
	}
	return moved, nil
}

// ofPerson is every enrolment of hers, for her dossier.
func (t *Trainings) ofPerson(ctx context.Context, id int64) ([]birge.Enrollment, error) {
	return t.enrollments(ctx, t.s.read(), `e.person_id = ?`, id)
}

// enrollmentTimeline is her timeline's source of trainings: one event for each
// enrolment of hers, when it was made and by whom, to those who see the cohort.
func enrollmentTimeline(s *Store, ctx context.Context, a *birge.Actor, p personRow, before int64, limit int) ([]TimelineEvent, error) {
	if before == 0 {
		before = 1<<63 - 1
	}
	rows, err := s.read().query(ctx, `SELECT e.id, e.cohort_id, e.created_at, COALESCE(u.name, '') FROM enrollments e
		LEFT JOIN users u ON u.id = e.created_by WHERE e.person_id = ? AND e.id < ? ORDER BY e.id DESC`, p.ID, before)
	if err != nil {
		return nil, err
	}
	type row struct {
		pos, cohort int64
		e           TimelineEvent
	}
	var all []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.pos, &r.cohort, &r.e.At, &r.e.Actor); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []TimelineEvent
	for _, r := range all {
		if len(out) == limit {
			break
		}
		if _, err := s.Trainings.Cohort(ctx, a, r.cohort); errors.Is(err, birge.ErrNotFound) || errors.Is(err, birge.ErrForbidden) {
			continue
		} else if err != nil {
			return nil, err
		}
		r.e.At, r.e.Kind, r.e.source, r.e.pos = r.e.At.UTC(), "enrollment", "enrollment", r.pos
		out = append(out, r.e)
	}
	return out, nil
}
