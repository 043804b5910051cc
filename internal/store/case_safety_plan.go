package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/birge-org/birge/internal/birge"
)

// SafetyPlans is the store's view for survivors' safety plans on flagged cases (issue
// 11, decision 0026). Who sees a plan is who sees the case's screenings (sees): its
// assigned workers and those who manage the centre's cases. A plan is sealed with her
// key, never in an export or her dossier, and every read is written to her access log.
type SafetyPlans struct{ s *Store }

// sealedPlan is what the plan column seals.
type sealedPlan struct {
	SafeContacts   string `json:"safe_contacts"`
	SafePlace      string `json:"safe_place"`
	CodeWord       string `json:"code_word"`
	DocumentsMoney string `json:"documents_money"`
	ChildrenSafety string `json:"children_safety"`
}

// Get returns her plan on a case, opened, to those who see the case, and writes her
// access log; ErrNotFound when none is written yet.
func (sp *SafetyPlans) Get(ctx context.Context, a *birge.Actor, caseID, personID int64) (birge.SafetyPlan, error) {
	var out birge.SafetyPlan
	err := sp.s.tx(ctx, func(c q) error {
		k, err := sp.s.Cases.get(ctx, c, a, birge.PermCaseView, caseID)
		if err != nil {
			return err
		}
		if out, err = sp.read(ctx, c, k.ID, personID); err != nil {
			return err
		}
		return sp.s.People.logAccess(ctx, c, a, birge.Person{ID: personID, OrgID: k.OrgID}, "safety_plan_view")
	})
	return out, err
}

// read loads and opens a plan, or ErrNotFound.
func (sp *SafetyPlans) read(ctx context.Context, c q, caseID, personID int64) (birge.SafetyPlan, error) {
	p := birge.SafetyPlan{CaseID: caseID, PersonID: personID}
	var sealed string
	var by sql.NullInt64
	err := c.row(ctx, `SELECT id, plan, created_by, created_at, updated_at FROM safety_plans
		WHERE case_id = ? AND person_id = ?`, caseID, personID).Scan(&p.ID, &sealed, &by, &p.CreatedAt, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return p, birge.ErrNotFound
	}
	if err != nil {
		return p, err
	}
	p.CreatedBy, p.CreatedAt, p.UpdatedAt = by.Int64, p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	aead, err := sp.s.loadPersonKey(ctx, c, personID)
	if err != nil || aead == nil {
		return p, err
	}
	plain, err := openWith(aead, sealed)
	if err != nil {
		return p, err
	}
	var v sealedPlan
	if err := json.Unmarshal([]byte(plain), &v); err != nil {
		return p, err
	}
	p.SafeContacts, p.SafePlace, p.CodeWord, p.DocumentsMoney, p.ChildrenSafety =
		v.SafeContacts, v.SafePlace, v.CodeWord, v.DocumentsMoney, v.ChildrenSafety
	return p, nil
}

// Save writes her plan on a flagged case, made on version p.UpdatedAt (zero: whatever
// is there now, or a new plan). The actor must see the case; the case must have been
// screened above none; she must be one of its partners. Audited without its contents,
// sealed with her key.
func (sp *SafetyPlans) Save(ctx context.Context, a *birge.Actor, p birge.SafetyPlan) (birge.SafetyPlan, error) {
	s := sp.s
	var out birge.SafetyPlan
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "cases", p.CaseID); err != nil {
			return err
		}
		k, err := s.Cases.get(ctx, c, a, birge.PermCaseView, p.CaseID)
		if err != nil {
			return err
		}
		if k.Risk == birge.RiskNone {
			return &birge.Error{Kind: birge.KindConflict, Key: "safety_plan.not_flagged"}
		}
		if err := p.Validate(k.PartnerIDs); err != nil {
			return err
		}
		old, err := sp.read(ctx, c, k.ID, p.PersonID)
		exists := err == nil
		if err != nil && !errors.Is(err, birge.ErrNotFound) {
			return err
		}
		if exists {
			if err := sameVersion(p.UpdatedAt, old.UpdatedAt); err != nil {
				return err
			}
		} else if !p.UpdatedAt.IsZero() {
			return birge.ErrChangedMeanwhile // made on a plan that is no longer there
		}
		if exists && old.SafeContacts == p.SafeContacts && old.SafePlace == p.SafePlace && old.CodeWord == p.CodeWord &&
			old.DocumentsMoney == p.DocumentsMoney && old.ChildrenSafety == p.ChildrenSafety {
			out = old
			return nil
		}
		now := s.now()
		ev := event{action: birge.ActionCreate, entity: birge.EntitySafetyPlan, orgID: k.OrgID, centerID: k.CenterID,
			changes: map[string]birge.Change{"person_id": {After: p.PersonID}, "case_id": {After: k.ID}}}
		if exists {
			ev.action = birge.ActionUpdate
			p.ID, p.CreatedBy, p.CreatedAt, p.UpdatedAt = old.ID, old.CreatedBy, old.CreatedAt, nextVersion(now, old.UpdatedAt)
			if _, err := c.exec(ctx, `UPDATE safety_plans SET updated_at = ? WHERE id = ?`, p.UpdatedAt, p.ID); err != nil {
				return err
			}
		} else {
			p.CreatedBy, p.CreatedAt, p.UpdatedAt = a.UserID, now, now
			if err := c.row(ctx, `INSERT INTO safety_plans (case_id, person_id, org_id, center_id, plan, created_by,
				created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, ?, ?) RETURNING id`, k.ID, p.PersonID, k.OrgID, k.CenterID,
				nullID(a.UserID), p.CreatedAt, p.UpdatedAt).Scan(&p.ID); err != nil {
				return err
			}
		}
		// The entry first: it locks her organisation's audit chain, so that her key is
		// made once (personKey); then the plan, sealed with it. The entry says that the
		// plan was written, never what it says.
		ev.entityID = p.ID
		if err := s.audit(ctx, c, a, ev); err != nil {
			return err
		}
		aead, err := s.personKey(ctx, c, p.PersonID)
		if err != nil {
			return err
		}
		plain, err := json.Marshal(sealedPlan{p.SafeContacts, p.SafePlace, p.CodeWord, p.DocumentsMoney, p.ChildrenSafety})
		if err != nil {
			return err
		}
		_, err = c.exec(ctx, `UPDATE safety_plans SET plan = ? WHERE id = ?`, sealWith(aead, string(plain)), p.ID)
		out = p
		return err
	})
	return out, err
}

// Written lists the partners of a case who have a plan, to those who see the case; it
// reads no plan, so it is not in her access log.
func (sp *SafetyPlans) Written(ctx context.Context, a *birge.Actor, caseID int64) (map[int64]bool, error) {
	c := sp.s.read()
	k, err := sp.s.Cases.get(ctx, c, a, birge.PermCaseView, caseID)
	if err != nil {
		return nil, err
	}
	list, err := ids(ctx, c, `SELECT person_id FROM safety_plans WHERE case_id = ?`, k.ID)
	out := map[int64]bool{}
	for _, id := range list {
		out[id] = true
	}
	return out, err
}

// Version is the version of her plan on a case (its updated_at), without reading the
// plan, for an If-Match; ErrNotFound when none is written.
func (sp *SafetyPlans) Version(ctx context.Context, a *birge.Actor, caseID, personID int64) (time.Time, error) {
	c := sp.s.read()
	k, err := sp.s.Cases.get(ctx, c, a, birge.PermCaseView, caseID)
	if err != nil {
		return time.Time{}, err
	}
	var v time.Time
	err = c.row(ctx, `SELECT updated_at FROM safety_plans WHERE case_id = ? AND person_id = ?`, k.ID, personID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return v, birge.ErrNotFound
	}
	return v.UTC(), err
}
