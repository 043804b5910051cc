package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

const trainingSessionColumns = `id, cohort_id, starts_at, ends_at, venue, created_at, updated_at`

func scanTrainingSession(row interface{ Scan(...any) error }) (birge.TrainingSession, error) {
	var t birge.TrainingSession
	err := row.Scan(&t.ID, &t.CohortID, &t.StartsAt, &t.EndsAt, &t.Venue, &t.CreatedAt, &t.UpdatedAt)
	t.StartsAt, t.EndsAt, t.CreatedAt, t.UpdatedAt = t.StartsAt.UTC(), t.EndsAt.UTC(), t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	return t, err
}

func trainingSessionFields(t birge.TrainingSession) map[string]any {
	return map[string]any{"cohort_id": t.CohortID, "starts_at": t.StartsAt.Format("2006-01-02T15:04Z07:00"),
		"ends_at": t.EndsAt.Format("2006-01-02T15:04Z07:00"), "venue": t.Venue}
}

// TrainingSessions lists a cohort's sessions in time order, to those who see it.
func (t *Trainings) TrainingSessions(ctx context.Context, a *birge.Actor, cohortID int64) ([]birge.TrainingSession, error) {
	h, err := t.Cohort(ctx, a, cohortID)
	if err != nil {
		return nil, err
	}
	rows, err := t.s.read().query(ctx, `SELECT `+trainingSessionColumns+` FROM training_sessions WHERE cohort_id = ?
		ORDER BY starts_at, id`, cohortID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.TrainingSession{}
	for rows.Next() {
		ts, err := scanTrainingSession(rows)
		if err != nil {
			return nil, err
		}
		ts.OrgID = h.OrgID
		out = append(out, ts)
	}
	return out, rows.Err()
}

// TrainingSession returns a session of a cohort the actor sees.
func (t *Trainings) TrainingSession(ctx context.Context, a *birge.Actor, id int64) (birge.TrainingSession, error) {
	ts, _, err := t.trainingSession(ctx, t.s.read(), a, birge.PermTrainingView, id)
	return ts, err
}

func (t *Trainings) trainingSession(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (birge.TrainingSession, birge.Cohort, error) {
	ts, err := scanTrainingSession(c.row(ctx, `SELECT `+trainingSessionColumns+` FROM training_sessions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return ts, birge.Cohort{}, birge.ErrNotFound
	} else if err != nil {
		return ts, birge.Cohort{}, err
	}
	h, err := t.cohort(ctx, c, a, perm, ts.CohortID)
	if err != nil {
		return birge.TrainingSession{}, h, err
	}
	ts.OrgID = h.OrgID
	return ts, h, nil
}

// AddTrainingSessions adds sessions to a cohort the actor runs, all or none.
func (t *Trainings) AddTrainingSessions(ctx context.Context, a *birge.Actor, cohortID int64, list []birge.TrainingSession) ([]birge.TrainingSession, error) {
	s := t.s
	out := []birge.TrainingSession{}
	err := s.tx(ctx, func(c q) error {
		h, err := t.cohort(ctx, c, a, birge.PermTrainingManage, cohortID)
		if err != nil {
			return err
		}
		for _, ts := range list {
			if err := ts.Validate(); err != nil {
				return err
			}
			ts.CohortID, ts.OrgID = h.ID, h.OrgID
			ts.CreatedAt = s.now()
			ts.UpdatedAt = ts.CreatedAt
			if err := c.row(ctx, `INSERT INTO training_sessions (cohort_id, starts_at, ends_at, venue, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, ts.CohortID, ts.StartsAt, ts.EndsAt, ts.Venue, ts.CreatedAt,
				ts.UpdatedAt).Scan(&ts.ID); err != nil {
				return err
			}
			if err := s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityTrainingSess, entityID: ts.ID,
				orgID: h.OrgID, centerID: h.CenterID, changes: birge.Diff(nil, trainingSessionFields(ts))}); err != nil {
				return err
			}
			out = append(out, ts)
		}
		return nil
	})
	return out, err
}

// GenerateTrainingSessions adds a cohort's weekly sessions by a pattern, between its
// first and last day, in the actor's zone.
func (t *Trainings) GenerateTrainingSessions(ctx context.Context, a *birge.Actor, cohortID int64, p birge.SessionPattern) ([]birge.TrainingSession, error) {
	h, err := t.cohort(ctx, t.s.read(), a, birge.PermTrainingManage, cohortID)
	if err != nil {
		return nil, err
	}
	list, err := p.Sessions(h.StartsOn, h.EndsOn, a.Location())
	if err != nil {
		return nil, err
	}
	return t.AddTrainingSessions(ctx, a, cohortID, list)
}

// UpdateTrainingSession saves a session's times and venue, made on version ts.UpdatedAt.
func (t *Trainings) UpdateTrainingSession(ctx context.Context, a *birge.Actor, ts birge.TrainingSession) (birge.TrainingSession, error) {
	s := t.s
	var out birge.TrainingSession
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "training_sessions", ts.ID); err != nil {
			return err
		}
		old, h, err := t.trainingSession(ctx, c, a, birge.PermTrainingManage, ts.ID)
		if err != nil {
			return err
		}
		if err := sameVersion(ts.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		ts.CohortID, ts.OrgID, ts.CreatedAt = old.CohortID, old.OrgID, old.CreatedAt
		ts.StartsAt, ts.EndsAt = ts.StartsAt.UTC(), ts.EndsAt.UTC()
		if err := ts.Validate(); err != nil {
			return err
		}
		changes := birge.Diff(trainingSessionFields(old), trainingSessionFields(ts))
		if len(changes) == 0 && ts.StartsAt.Equal(old.StartsAt) && ts.EndsAt.Equal(old.EndsAt) {
			out = old
			return nil
		}
		// A session with marks was held when it was: its deliveries carry its day and hours.
		if !ts.StartsAt.Equal(old.StartsAt) || !ts.EndsAt.Equal(old.EndsAt) {
			if err := unmarked(ctx, c, ts.ID); err != nil {
				return err
			}
		}
		ts.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		if _, err := c.exec(ctx, `UPDATE training_sessions SET starts_at = ?, ends_at = ?, venue = ?, updated_at = ?
			WHERE id = ?`, ts.StartsAt, ts.EndsAt, ts.Venue, ts.UpdatedAt, ts.ID); err != nil {
			return err
		}
		out = ts
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityTrainingSess, entityID: ts.ID,
			orgID: h.OrgID, centerID: h.CenterID, changes: changes})
	})
	return out, err
}

// DeleteTrainingSession removes one session of a cohort the actor runs.
func (t *Trainings) DeleteTrainingSession(ctx context.Context, a *birge.Actor, id int64) error {
	s := t.s
	return s.tx(ctx, func(c q) error {
		old, h, err := t.trainingSession(ctx, c, a, birge.PermTrainingManage, id)
		if err != nil {
			return err
		}
		// A session with marks was held: its register and the services it gave stay.
		if err := unmarked(ctx, c, id); err != nil {
			return err
		}
		if _, err := c.exec(ctx, `DELETE FROM training_sessions WHERE id = ?`, id); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionDelete, entity: birge.EntityTrainingSess, entityID: id,
			orgID: h.OrgID, centerID: h.CenterID, changes: birge.Diff(trainingSessionFields(old), nil)})
	})
}

// unmarked refuses a change to a session whose attendance was marked (decision 0031).
func unmarked(ctx context.Context, c q, sessionID int64) error {
	var marks int
	if err := c.row(ctx, `SELECT COUNT(*) FROM training_marks WHERE session_id = ?`, sessionID).Scan(&marks); err != nil {
		return err
	}
	if marks > 0 {
		return &birge.Error{Kind: birge.KindConflict, Key: "training.session_marked"}
	}
	return nil
}
