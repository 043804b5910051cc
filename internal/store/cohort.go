package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// The places a cohort's enrolments take and its waiting list, read with the cohort.
const cohortColumns = `h.id, h.org_id, h.course_id, COALESCE(h.center_id, 0), h.venue, h.language, h.capacity,
	h.starts_on, h.ends_on, h.eligible_categories, h.eligible_regions, h.min_age, h.max_age, h.rural_only,
	h.public_signup, h.signup_until, h.created_at, h.updated_at,
	(SELECT COUNT(*) FROM enrollments e WHERE e.cohort_id = h.id AND e.status IN ('pending', 'enrolled', 'completed')),
	(SELECT COUNT(*) FROM enrollments e WHERE e.cohort_id = h.id AND e.status = 'waiting')`

func scanCohort(row interface{ Scan(...any) error }) (birge.Cohort, error) {
	var h birge.Cohort
	var cats, regions string
	err := row.Scan(&h.ID, &h.OrgID, &h.CourseID, &h.CenterID, &h.Venue, &h.Language, &h.Capacity, &h.StartsOn,
		&h.EndsOn, &cats, &regions, &h.MinAge, &h.MaxAge, &h.RuralOnly, &h.PublicSignup, &h.SignupUntil, &h.CreatedAt, &h.UpdatedAt, &h.Enrolled, &h.Waiting)
	h.Categories, h.Regions = splitCodes(cats), splitCodes(regions)
	h.CreatedAt, h.UpdatedAt = h.CreatedAt.UTC(), h.UpdatedAt.UTC()
	return h, err
}

func cohortFields(h birge.Cohort) map[string]any {
	return map[string]any{"course_id": h.CourseID, "center_id": h.CenterID, "venue": h.Venue,
		"trainer_ids": joinIDs(h.TrainerIDs), "language": h.Language, "capacity": h.Capacity, "starts_on": h.StartsOn,
		"ends_on": h.EndsOn, "eligible_categories": strings.Join(h.Categories, ","),
		"eligible_regions": strings.Join(h.Regions, ","), "min_age": h.MinAge, "max_age": h.MaxAge, "rural_only": h.RuralOnly,
		"public_signup": h.PublicSignup, "signup_until": h.SignupUntil}
}

// seesCohort reports whether the actor sees a cohort: all of those held where she holds
// training.manage, those she trains where she holds training.view.
func seesCohort(a *birge.Actor, h birge.Cohort) bool {
	return a.Can(birge.PermTrainingManage, h.OrgID, h.CenterID) ||
		(a.Can(birge.PermTrainingView, h.OrgID, h.CenterID) && a.UserID != 0 && slices.Contains(h.TrainerIDs, a.UserID))
}

// MayManageCohort reports whether the actor runs a cohort: its sessions, its enrolments.
func (t *Trainings) MayManageCohort(a *birge.Actor, h birge.Cohort) bool {
	return a.Can(birge.PermTrainingManage, h.OrgID, h.CenterID)
}

// MayCreateCohorts reports whether the actor may open cohorts anywhere in an organisation.
func (t *Trainings) MayCreateCohorts(a *birge.Actor, orgID int64) bool {
	return a.CanIn(birge.PermTrainingManage, orgID)
}

// Cohort returns a cohort the actor sees, or ErrNotFound.
func (t *Trainings) Cohort(ctx context.Context, a *birge.Actor, id int64) (birge.Cohort, error) {
	return t.cohort(ctx, t.s.read(), a, birge.PermTrainingView, id)
}

// cohort loads a cohort the actor may act on with perm: not found out of sight,
// forbidden when only in sight.
func (t *Trainings) cohort(ctx context.Context, c q, a *birge.Actor, perm birge.Permission, id int64) (birge.Cohort, error) {
	h, err := scanCohort(c.row(ctx, `SELECT `+cohortColumns+` FROM cohorts h WHERE h.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, birge.ErrNotFound
	}
	if err != nil {
		return h, err
	}
	if h.TrainerIDs, err = ids(ctx, c, `SELECT user_id FROM cohort_trainers WHERE cohort_id = ? ORDER BY position`, id); err != nil {
		return h, err
	}
	switch {
	case !seesCohort(a, h):
		return birge.Cohort{}, birge.ErrNotFound
	case !a.Can(perm, h.OrgID, h.CenterID):
		return birge.Cohort{}, birge.ErrForbidden
	}
	return h, nil
}

// CohortFilter narrows a list of cohorts.
type CohortFilter struct {
	OrgID    int64
	CourseID int64
	After    int64 // page: cohorts with id > After
	Limit    int   // 0: all
}

// Cohorts lists the cohorts the actor sees, by id. One who sees no cohort anywhere is
// refused rather than shown nothing.
func (t *Trainings) Cohorts(ctx context.Context, a *birge.Actor, f CohortFilter) ([]birge.Cohort, error) {
	view := a.ScopeOf(birge.PermTrainingView)
	if view.Empty() {
		return nil, birge.ErrForbidden
	}
	all, own := where{}, where{}
	all.scope("h.org_id", "h.center_id", a.ScopeOf(birge.PermTrainingManage))
	own.scope("h.org_id", "h.center_id", view)
	own.add("EXISTS (SELECT 1 FROM cohort_trainers ct WHERE ct.cohort_id = h.id AND ct.user_id = ?)", a.UserID)
	allSQL := "1 = 1"
	if len(all.conds) > 0 {
		allSQL = all.conds[0]
	}
	w := where{conds: []string{"(" + allSQL + " OR (" + strings.Join(own.conds, " AND ") + "))"},
		args: append(all.args, own.args...)}
	if f.OrgID != 0 {
		w.add("h.org_id = ?", f.OrgID)
	}
	if f.CourseID != 0 {
		w.add("h.course_id = ?", f.CourseID)
	}
	if f.After != 0 {
		w.add("h.id > ?", f.After)
	}
	limit := ""
	if f.Limit > 0 {
		limit = " LIMIT " + itoa(f.Limit)
	}
	c := t.s.read()
	rows, err := c.query(ctx, `SELECT `+cohortColumns+` FROM cohorts h`+w.sql()+` ORDER BY h.id`+limit, w.args...)
	if err != nil {
		return nil, err
	}
	out := []birge.Cohort{}
	for rows.Next() {
		h, err := scanCohort(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].TrainerIDs, err = ids(ctx, c, `SELECT user_id FROM cohort_trainers WHERE cohort_id = ? ORDER BY position`,
			out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CreateCohort opens a cohort of a course; the actor needs training.manage where it is
// held.
func (t *Trainings) CreateCohort(ctx context.Context, a *birge.Actor, h birge.Cohort) (birge.Cohort, error) {
	// One who runs trainings nowhere is refused before anything is looked up.
	if a.ScopeOf(birge.PermTrainingManage).Empty() {
		return h, birge.ErrForbidden
	}
	s := t.s
	var out birge.Cohort
	err := s.tx(ctx, func(c q) error {
		course, err := t.course(ctx, c, a, h.CourseID)
		if errors.Is(err, birge.ErrNotFound) {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"course_id": "field.choose"}}
		} else if err != nil {
			return err
		}
		if course.Retired {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"course_id": "training.course_retired"}}
		}
		h.OrgID = course.OrgID
		if err := t.checkCohort(ctx, c, a, &h); err != nil {
			return err
		}
		h.CreatedAt = s.now()
		h.UpdatedAt = h.CreatedAt
		if err := c.row(ctx, `INSERT INTO cohorts (org_id, course_id, center_id, venue, language, capacity, starts_on,
			ends_on, eligible_categories, eligible_regions, min_age, max_age, rural_only, public_signup, signup_until, created_by, created_at,
			updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, h.OrgID, h.CourseID,
			nullID(h.CenterID), h.Venue, h.Language, h.Capacity, h.StartsOn, h.EndsOn, strings.Join(h.Categories, ","),
			strings.Join(h.Regions, ","), h.MinAge, h.MaxAge, h.RuralOnly, h.PublicSignup, h.SignupUntil, nullID(a.UserID), h.CreatedAt,
			h.UpdatedAt).Scan(&h.ID); err != nil {
			return err
		}
		if err := writeTrainers(ctx, c, h); err != nil {
			return err
		}
		if out, err = t.cohort(ctx, c, a, birge.PermTrainingView, h.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityCohort, entityID: h.ID,
			orgID: h.OrgID, centerID: h.CenterID, changes: birge.Diff(nil, cohortFields(out))})
	})
	return out, err
}

// UpdateCohort saves a cohort as given, made on version h.UpdatedAt. Its course never
// changes. More places move the first of the waiting list up into them, in the same
// transaction; fewer places than are taken are refused.
func (t *Trainings) UpdateCohort(ctx context.Context, a *birge.Actor, h birge.Cohort) (birge.Cohort, error) {
	s := t.s
	var out birge.Cohort
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "cohorts", h.ID); err != nil {
			return err
		}
		old, err := t.cohort(ctx, c, a, birge.PermTrainingManage, h.ID)
		if err != nil {
			return err
		}
		if err := sameVersion(h.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		h.OrgID, h.CourseID, h.CreatedAt = old.OrgID, old.CourseID, old.CreatedAt
		if err := t.checkCohort(ctx, c, a, &h); err != nil {
			return err
		}
		if h.Capacity < old.Enrolled {
			return &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"capacity": "training.capacity_below_enrolled"}}
		}
		changes := birge.Diff(cohortFields(old), cohortFields(h))
		if len(changes) == 0 {
			out = old
			return nil
		}
		h.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		if _, err := c.exec(ctx, `UPDATE cohorts SET center_id = ?, venue = ?, language = ?, capacity = ?, starts_on = ?,
			ends_on = ?, eligible_categories = ?, eligible_regions = ?, min_age = ?, max_age = ?, rural_only = ?,
			public_signup = ?, signup_until = ?, updated_at = ? WHERE id = ?`, nullID(h.CenterID), h.Venue, h.Language,
			h.Capacity, h.StartsOn, h.EndsOn, strings.Join(h.Categories, ","), strings.Join(h.Regions, ","), h.MinAge,
			h.MaxAge, h.RuralOnly, h.PublicSignup, h.SignupUntil, h.UpdatedAt, h.ID); err != nil {
			return err
		}
		if !slices.Equal(old.TrainerIDs, h.TrainerIDs) {
			if _, err := c.exec(ctx, `DELETE FROM cohort_trainers WHERE cohort_id = ?`, h.ID); err != nil {
				return err
			}
			if err := writeTrainers(ctx, c, h); err != nil {
				return err
			}
		}
		if err := s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCohort, entityID: h.ID,
			orgID: h.OrgID, centerID: h.CenterID, changes: changes}); err != nil {
			return err
		}
		if _, err := t.fillPlaces(ctx, c, a, h); err != nil {
			return err
		}
		// Read as the actor who saved it: one who moved the cohort out of her own sight
		// is answered with what she saved.
		out, err = t.cohort(ctx, c, a, birge.PermTrainingView, h.ID)
		if errors.Is(err, birge.ErrNotFound) {
			out, err = h, nil
		}
		return err
	})
	return out, err
}

func writeTrainers(ctx context.Context, c q, h birge.Cohort) error {
	for i, id := range h.TrainerIDs {
		if _, err := c.exec(ctx, `INSERT INTO cohort_trainers (cohort_id, user_id, position) VALUES (?, ?, ?)`,
			h.ID, id, i+1); err != nil {
			return err
		}
	}
	return nil
}

// checkCohort validates a cohort of the organisation: its own fields, its centre (one
// where the actor runs trainings; none, a village venue, needs the whole organisation),
// its trainers (each holding the trainer role where it is held) and its categories (the
// organisation's, never a sensitive one: the rule is read by its trainers and would tell
// of every woman enrolled that she has it).
func (t *Trainings) checkCohort(ctx context.Context, c q, a *birge.Actor, h *birge.Cohort) error {
	pr := birge.Problems{}
	var e *birge.Error
	if err := h.Validate(); errors.As(err, &e) {
		pr = e.Fields
	} else if err != nil {
		return err
	}
	if h.CenterID != 0 {
		var org int64
		err := c.row(ctx, `SELECT org_id FROM centers WHERE id = ?`, h.CenterID).Scan(&org)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (org != h.OrgID || !a.Can(birge.PermCenterView, org, h.CenterID))) {
			pr.Add("center_id", "field.choose")
		} else if err != nil {
			return err
		}
	}
	if pr["center_id"] == "" && !a.Can(birge.PermTrainingManage, h.OrgID, h.CenterID) {
		if h.CenterID == 0 {
			pr.Add("center_id", "training.center_required")
		} else {
			return birge.ErrForbidden
		}
	}
	for _, id := range h.TrainerIDs {
		ok, err := t.trains(ctx, c, id, h.OrgID, h.CenterID)
		if err != nil {
			return err
		}
		if !ok {
			pr.Add("trainer_ids", "field.choose")
		}
	}
	if len(h.Categories) > 0 {
		cats, err := t.s.orgCategories(ctx, c, h.OrgID)
		if err != nil {
			return err
		}
		for i, code := range h.Categories {
			switch k, ok := cats.Lookup(code); {
			case !ok || k.Retired || slices.Contains(h.Categories[:i], code):
				pr.Add("eligible_categories", "field.choose")
			case k.Sensitive:
				pr.Add("eligible_categories", "training.category_sensitive")
			}
		}
	}
	return pr.Err()
}

// trains reports whether a user, not disabled, holds the trainer role where a cohort is
// held.
func (t *Trainings) trains(ctx context.Context, c q, userID, orgID, centerID int64) (bool, error) {
	return t.s.userMay(ctx, c, userID, birge.PermTrainingView, orgID, centerID,
		func(r birge.Role) bool { return r == birge.RoleTrainer })
}

// Trainer is a user who may train a cohort.
type Trainer struct {
	ID   int64
	Name string
}

// Trainers lists who holds the trainer role in an organisation (any of its centres), by
// name, to those who open cohorts in it; the store checks the centre when the cohort is
// saved.
func (t *Trainings) Trainers(ctx context.Context, a *birge.Actor, orgID int64) ([]Trainer, error) {
	if !t.MayCreateCohorts(a, orgID) {
		return nil, birge.ErrForbidden
	}
	rows, err := t.s.read().query(ctx, `SELECT DISTINCT u.id, u.name FROM users u JOIN grants g ON g.user_id = u.id
		WHERE NOT u.disabled AND g.role = ? AND g.org_id = ? ORDER BY u.name, u.id`, string(birge.RoleTrainer), orgID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Trainer
	for rows.Next() {
		var tr Trainer
		if err := rows.Scan(&tr.ID, &tr.Name); err != nil {
			return nil, err
		}
		out = append(out, tr)
	}
	return out, rows.Err()
}

// UserNames names users (trainers), for pages.
func (t *Trainings) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return t.s.userNames(ctx, ids)
}
