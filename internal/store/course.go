package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Trainings is the store's view for trainings (issue 12, decision 0029): an
// organisation's course catalogue, cohorts with their sessions, enrolment with a waiting
// list. Who sees what: the catalogue, whoever holds training.view anywhere in the
// organisation; a cohort, whoever holds training.manage where it is held (its centre, or
// the whole organisation for one held at a village venue), and its own trainers, who hold
// training.view there.
type Trainings struct{ s *Store }

const courseColumns = `id, org_id, COALESCE(program_id, 0), name_kk, name_ru, name_ky, name_en, description_kk,
	description_ru, description_ky, description_en, hours, online, min_attendance, project, followup_months, retired_at IS NOT NULL,
	created_at, updated_at`

func scanCourse(row interface{ Scan(...any) error }) (birge.Course, error) {
	var k birge.Course
	var months string
	err := row.Scan(&k.ID, &k.OrgID, &k.ProgramID, &k.Names.KK, &k.Names.RU, &k.Names.KY, &k.Names.EN,
		&k.Descriptions.KK, &k.Descriptions.RU, &k.Descriptions.KY, &k.Descriptions.EN, &k.Hours, &k.Online,
		&k.CompletionRule.MinAttendance, &k.CompletionRule.Project, &months, &k.Retired, &k.CreatedAt, &k.UpdatedAt)
	k.FollowupMonths, _ = birge.ParseMonths(months)
	k.CreatedAt, k.UpdatedAt = k.CreatedAt.UTC(), k.UpdatedAt.UTC()
	return k, err
}

func courseFields(k birge.Course) map[string]any {
	return map[string]any{"name_kk": k.Names.KK, "name_ru": k.Names.RU, "name_ky": k.Names.KY, "name_en": k.Names.EN,
		"description_kk": k.Descriptions.KK, "description_ru": k.Descriptions.RU, "description_ky": k.Descriptions.KY,
		"description_en": k.Descriptions.EN, "hours": k.Hours, "online": k.Online, "program_id": k.ProgramID,
		"min_attendance": k.CompletionRule.MinAttendance, "project": k.CompletionRule.Project, "retired": k.Retired,
		"followup_months": birge.FormatMonths(k.FollowupMonths)}
}

// MayManageCourses reports whether the actor edits an organisation's catalogue: it is
// the organisation's, so it takes training.manage on the whole organisation.
func (t *Trainings) MayManageCourses(a *birge.Actor, orgID int64) bool {
	return a.Can(birge.PermTrainingManage, orgID, 0)
}

// Courses lists the catalogue of an organisation (0: of every organisation where the
// actor sees trainings), retired courses too, by id.
func (t *Trainings) Courses(ctx context.Context, a *birge.Actor, orgID int64) ([]birge.Course, error) {
	view := a.ScopeOf(birge.PermTrainingView)
	if view.Empty() || (orgID != 0 && !a.CanIn(birge.PermTrainingView, orgID)) {
		return nil, birge.ErrForbidden
	}
	w := where{}
	if orgID != 0 {
		w.add("org_id = ?", orgID)
	} else if !view.All {
		// A grant on a centre shows its organisation's catalogue.
		var ors []string
		if len(view.Orgs) > 0 {
			ors = append(ors, "org_id IN ("+placeholders(len(view.Orgs))+")")
			for _, id := range view.Orgs {
				w.args = append(w.args, id)
			}
		}
		if len(view.Centers) > 0 {
			ors = append(ors, "org_id IN (SELECT org_id FROM centers WHERE id IN ("+placeholders(len(view.Centers))+"))")
			for _, id := range view.Centers {
				w.args = append(w.args, id)
			}
		}
		w.conds = append(w.conds, "("+strings.Join(ors, " OR ")+")")
	}
	rows, err := t.s.read().query(ctx, `SELECT `+courseColumns+` FROM courses`+w.sql()+` ORDER BY id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []birge.Course{}
	for rows.Next() {
		k, err := scanCourse(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// Course returns a course of the catalogue, to those who see it.
func (t *Trainings) Course(ctx context.Context, a *birge.Actor, id int64) (birge.Course, error) {
	return t.course(ctx, t.s.read(), a, id)
}

func (t *Trainings) course(ctx context.Context, c q, a *birge.Actor, id int64) (birge.Course, error) {
	k, err := scanCourse(c.row(ctx, `SELECT `+courseColumns+` FROM courses WHERE id = ?`, id))
	switch {
	case errors.Is(err, sql.ErrNoRows) || (err == nil && !a.CanIn(birge.PermTrainingView, k.OrgID)):
		return birge.Course{}, birge.ErrNotFound
	case err != nil:
		return birge.Course{}, err
	}
	return k, nil
}

// CreateCourse adds a course to an organisation's catalogue.
func (t *Trainings) CreateCourse(ctx context.Context, a *birge.Actor, k birge.Course) (birge.Course, error) {
	if a.ScopeOf(birge.PermTrainingManage).Empty() {
		return k, birge.ErrForbidden
	}
	if !t.MayManageCourses(a, k.OrgID) {
		if a.CanIn(birge.PermTrainingView, k.OrgID) {
			return k, birge.ErrForbidden
		}
		return k, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"organization_id": "field.choose"}}
	}
	s := t.s
	err := s.tx(ctx, func(c q) error {
		if err := t.checkCourse(ctx, c, &k); err != nil {
			return err
		}
		k.Retired = false
		k.CreatedAt = s.now()
		k.UpdatedAt = k.CreatedAt
		if err := c.row(ctx, `INSERT INTO courses (org_id, program_id, name_kk, name_ru, name_ky, name_en, description_kk,
			description_ru, description_ky, description_en, hours, online, min_attendance, project, followup_months, created_at,
			updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, k.OrgID, nullID(k.ProgramID),
			k.Names.KK, k.Names.RU, k.Names.KY, k.Names.EN, k.Descriptions.KK, k.Descriptions.RU, k.Descriptions.KY,
			k.Descriptions.EN, k.Hours, k.Online, k.CompletionRule.MinAttendance, k.CompletionRule.Project,
			birge.FormatMonths(k.FollowupMonths), k.CreatedAt, k.UpdatedAt).Scan(&k.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityCourse, entityID: k.ID,
			orgID: k.OrgID, changes: birge.Diff(nil, courseFields(k))})
	})
	return k, err
}

// UpdateCourse saves a course as given, made on version k.UpdatedAt: its names, hours,
// programme, completion rule, and whether it is retired (a retired course takes no new
// cohorts; its cohorts go on).
func (t *Trainings) UpdateCourse(ctx context.Context, a *birge.Actor, k birge.Course) (birge.Course, error) {
	s := t.s
	var out birge.Course
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "courses", k.ID); err != nil {
			return err
		}
		old, err := t.course(ctx, c, a, k.ID)
		if err != nil {
			return err
		}
		if !t.MayManageCourses(a, old.OrgID) {
			return birge.ErrForbidden
		}
		if err := sameVersion(k.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		k.OrgID, k.CreatedAt = old.OrgID, old.CreatedAt
		if err := t.checkCourse(ctx, c, &k); err != nil {
			return err
		}
		changes := birge.Diff(courseFields(old), courseFields(k))
		if len(changes) == 0 {
			out = old
			return nil
		}
		k.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		// A course retired again keeps the day it was first retired.
		retired, args := "NULL", []any{}
		if k.Retired {
			retired, args = "COALESCE(retired_at, ?)", []any{k.UpdatedAt}
		}
		if _, err := c.exec(ctx, `UPDATE courses SET program_id = ?, name_kk = ?, name_ru = ?, name_ky = ?, name_en = ?,
			description_kk = ?, description_ru = ?, description_ky = ?, description_en = ?, hours = ?, online = ?,
			min_attendance = ?, project = ?, followup_months = ?, updated_at = ?, retired_at = `+retired+` WHERE id = ?`,
			append([]any{nullID(k.ProgramID), k.Names.KK, k.Names.RU, k.Names.KY, k.Names.EN,
				k.Descriptions.KK, k.Descriptions.RU, k.Descriptions.KY, k.Descriptions.EN, k.Hours, k.Online,
				k.CompletionRule.MinAttendance, k.CompletionRule.Project, birge.FormatMonths(k.FollowupMonths), k.UpdatedAt}, append(args, k.ID)...)...); err != nil {
			return err
		}
		out = k
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCourse, entityID: k.ID,
			orgID: k.OrgID, changes: changes})
	})
	return out, err
}

// checkCourse validates a course and its programme, one of the organisation's.
func (t *Trainings) checkCourse(ctx context.Context, c q, k *birge.Course) error {
	pr := birge.Problems{}
	var e *birge.Error
	if err := k.Validate(); errors.As(err, &e) {
		pr = e.Fields
	} else if err != nil {
		return err
	}
	if k.ProgramID != 0 {
		var org int64
		err := c.row(ctx, `SELECT org_id FROM programs WHERE id = ?`, k.ProgramID).Scan(&org)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && org != k.OrgID) {
			pr.Add("program_id", "field.choose")
		} else if err != nil {
			return err
		}
	}
	return pr.Err()
}
