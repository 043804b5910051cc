package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/birge-org/birge/internal/birge"
)

// Create takes in a family at a centre; the actor needs case.manage there. A new case
// starts at intake unless a status is given.
func (cases *Cases) Create(ctx context.Context, a *birge.Actor, k birge.Case) (birge.Case, error) {
	s := cases.s
	if k.Status == "" {
		k.Status = birge.CaseIntake
	}
	var out birge.Case
	err := s.tx(ctx, func(c q) (err error) {
		out, err = cases.create(ctx, c, a, k)
		return err
	})
	return out, err
}

// create takes in a family in the caller's transaction (Create; a public request taken
// in, CaseRequests.Accept, with the person it registers).
func (cases *Cases) create(ctx context.Context, c q, a *birge.Actor, k birge.Case) (birge.Case, error) {
	s := cases.s
	err := c.row(ctx, `SELECT org_id FROM centers WHERE id = ?`, k.CenterID).Scan(&k.OrgID)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.Can(birge.PermCenterView, k.OrgID, k.CenterID)) {
		return k, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.choose"}}
	}
	if err != nil {
		return k, err
	}
	if !a.Can(birge.PermCaseManage, k.OrgID, k.CenterID) {
		return k, birge.ErrForbidden
	}
	if err := cases.check(ctx, c, a, &k); err != nil {
		return k, err
	}
	k.CreatedAt = s.now()
	k.UpdatedAt = k.CreatedAt
	if err := c.row(ctx, `INSERT INTO cases (org_id, center_id, intake_date, reasons, came_from, divorce_filed,
		divorce_filed_on, divorce_court, status, psychologist_id, mediator_id, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, k.OrgID, k.CenterID, k.IntakeDate,
		strings.Join(k.Reasons, ","), k.CameFrom, k.DivorceFiled, k.DivorceFiledOn, k.DivorceCourt, k.Status,
		nullID(k.PsychologistID), nullID(k.MediatorID), nullID(a.UserID), k.CreatedAt, k.UpdatedAt).Scan(&k.ID); err != nil {
		return k, err
	}
	if err := writeFamily(ctx, c, k); err != nil {
		return k, err
	}
	out, err := cases.get(ctx, c, a, birge.PermCaseView, k.ID)
	if err != nil {
		return k, err
	}
	return out, s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityCase, entityID: k.ID,
		orgID: k.OrgID, centerID: k.CenterID, changes: birge.Diff(nil, caseFields(out))})
}

// Update saves changes to a case as given, made on version k.UpdatedAt: its family, its
// intake, its workers and its status (among the open ones; closing comes later). Its
// centre never changes.
func (cases *Cases) Update(ctx context.Context, a *birge.Actor, k birge.Case) (birge.Case, error) {
	s := cases.s
	var out birge.Case
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "cases", k.ID); err != nil {
			return err
		}
		old, err := cases.get(ctx, c, a, birge.PermCaseManage, k.ID)
		if err != nil {
			return err
		}
		if err := sameVersion(k.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		if old.Status == birge.CaseClosed {
			return &birge.Error{Kind: birge.KindConflict, Key: "case.closed"}
		}
		k.OrgID, k.CenterID, k.CreatedAt = old.OrgID, old.CenterID, old.CreatedAt
		if err := cases.check(ctx, c, a, &k); err != nil {
			return err
		}
		changes := birge.Diff(caseFields(old), caseFields(k))
		if len(changes) == 0 {
			out = old
			return nil
		}
		k.UpdatedAt = nextVersion(s.now(), old.UpdatedAt)
		if _, err := c.exec(ctx, `UPDATE cases SET intake_date = ?, reasons = ?, came_from = ?, divorce_filed = ?,
			divorce_filed_on = ?, divorce_court = ?, status = ?, psychologist_id = ?, mediator_id = ?, updated_at = ?
			WHERE id = ?`, k.IntakeDate, strings.Join(k.Reasons, ","), k.CameFrom, k.DivorceFiled, k.DivorceFiledOn,
			k.DivorceCourt, k.Status, nullID(k.PsychologistID), nullID(k.MediatorID), k.UpdatedAt, k.ID); err != nil {
			return err
		}
		// The family's rows are rewritten only when it changed, so that a merge's undo
		// still finds the rows it moved.
		if !slices.Equal(old.PartnerIDs, k.PartnerIDs) || !slices.Equal(old.ChildIDs, k.ChildIDs) {
			if _, err := c.exec(ctx, `DELETE FROM case_people WHERE case_id = ?`, k.ID); err != nil {
				return err
			}
			if err := writeFamily(ctx, c, k); err != nil {
				return err
			}
		}
		if out, err = cases.get(ctx, c, a, birge.PermCaseView, k.ID); err != nil {
			return err
		}
		// The first partner stays in the entry, so that it is sealed with her key.
		changes["person_id"] = birge.Change{Before: caseFields(old)["person_id"], After: caseFields(k)["person_id"]}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityCase, entityID: k.ID,
			orgID: k.OrgID, centerID: k.CenterID, changes: changes})
	})
	return out, err
}

func writeFamily(ctx context.Context, c q, k birge.Case) error {
	for role, list := range map[string][]int64{"partner": k.PartnerIDs, "child": k.ChildIDs} {
		for i, id := range list {
			if _, err := c.exec(ctx, `INSERT INTO case_people (case_id, person_id, role, position) VALUES (?, ?, ?, ?)`,
				k.ID, id, role, i+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// check validates a case at its centre: its own fields, its people (each one the actor
// sees, of the case's organisation) and its workers (each one who may see cases in the
// centre), every mistake by its field.
func (cases *Cases) check(ctx context.Context, c q, a *birge.Actor, k *birge.Case) error {
	reasons, err := caseReasons.list(ctx, c, k.OrgID)
	if err != nil {
		return err
	}
	if k.PartnerIDs == nil {
		k.PartnerIDs = []int64{}
	}
	if k.ChildIDs == nil {
		k.ChildIDs = []int64{}
	}
	pr := birge.Problems{}
	var e *birge.Error
	if verr := k.Validate(reasons, a.Today(cases.s.now())); errors.As(verr, &e) {
		pr = e.Fields
	} else if verr != nil {
		return verr
	}
	for field, list := range map[string][]int64{"partner_ids": k.PartnerIDs, "child_ids": k.ChildIDs} {
		for _, id := range list {
			her, err := cases.s.People.visiblePerson(ctx, c, a, id)
			if errors.Is(err, birge.ErrNotFound) || (err == nil && her.OrgID != k.OrgID) {
				pr.Add(field, "case.person_unknown")
			} else if err != nil {
				return err
			}
		}
	}
	for field, id := range map[string]int64{"psychologist_id": k.PsychologistID, "mediator_id": k.MediatorID} {
		if id == 0 {
			continue
		}
		ok, err := cases.worksIn(ctx, c, id, k.OrgID, k.CenterID)
		if err != nil {
			return err
		}
		if !ok {
			pr.Add(field, "field.choose")
		}
	}
	return pr.Err()
}

// worksIn reports whether a user, not disabled, may see cases in the centre.
func (cases *Cases) worksIn(ctx context.Context, c q, userID, orgID, centerID int64) (bool, error) {
	return cases.s.userMay(ctx, c, userID, birge.PermCaseView, orgID, centerID, nil)
}

// CaseWorker is a user who may be assigned to a centre's cases.
type CaseWorker struct {
	ID   int64
	Name string
}

// Workers lists who may be assigned to a centre's cases, by name, to those who manage
// its cases.
func (cases *Cases) Workers(ctx context.Context, a *birge.Actor, orgID, centerID int64) ([]CaseWorker, error) {
	if !a.Can(birge.PermCaseManage, orgID, centerID) {
		return nil, birge.ErrForbidden
	}
	c := cases.s.read()
	rows, err := c.query(ctx, `SELECT DISTINCT u.id, u.name FROM users u JOIN grants g ON g.user_id = u.id
		WHERE NOT u.disabled AND (g.org_id IS NULL OR g.org_id = ?) ORDER BY u.name, u.id`, orgID)
	if err != nil {
		return nil, err
	}
	var all []CaseWorker
	for rows.Next() {
		var w CaseWorker
		if err := rows.Scan(&w.ID, &w.Name); err != nil {
			rows.Close()
			return nil, err
		}
		all = append(all, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []CaseWorker
	for _, w := range all {
		ok, err := cases.worksIn(ctx, c, w.ID, orgID, centerID)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, w)
		}
	}
	return out, nil
}
