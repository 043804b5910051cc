package store

import (
	"context"

	"github.com/birge-org/birge/internal/birge"
)

func grantFields(g birge.Grant) map[string]any {
	return map[string]any{"role": string(g.Role), "organization_id": g.OrgID, "center_id": g.CenterID}
}

// AddGrant gives a user a role on a scope. The actor must manage that scope; permission
// changes are audited like any other.
func (s *Store) AddGrant(ctx context.Context, a *birge.Actor, g birge.Grant) (birge.Grant, error) {
	if err := birge.CheckGrant(g); err != nil {
		return g, err
	}
	if _, err := s.GetUser(ctx, a, g.UserID); err != nil {
		return g, err
	}
	if !a.CanGrant(g) {
		return g, birge.ErrForbidden
	}
	err := s.tx(ctx, func(c q) error {
		var err error
		g, err = s.addGrant(ctx, c, a, g)
		return err
	})
	return g, err
}

func (s *Store) addGrant(ctx context.Context, c q, a *birge.Actor, g birge.Grant) (birge.Grant, error) {
	if g.CenterID != 0 {
		ctr, err := s.getCenter(ctx, c, g.CenterID)
		if err != nil || ctr.OrgID != g.OrgID {
			return g, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"center_id": "field.choose"}}
		}
	} else if g.OrgID != 0 {
		if _, err := s.getOrg(ctx, c, g.OrgID); err != nil {
			return g, &birge.Error{Kind: birge.KindInvalid, Key: "error.invalid", Fields: birge.Problems{"organization_id": "field.choose"}}
		}
	}
	err := c.row(ctx, `INSERT INTO grants (user_id, role, org_id, center_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		g.UserID, g.Role, nullID(g.OrgID), nullID(g.CenterID), s.now()).Scan(&g.ID)
	if isUnique(err) {
		return g, &birge.Error{Kind: birge.KindConflict, Key: "error.invalid", Fields: birge.Problems{"role": "grant.exists"}}
	}
	if err != nil {
		return g, err
	}
	return g, s.audit(ctx, c, a, event{action: birge.ActionGrant, entity: birge.EntityUser, entityID: g.UserID, orgID: g.OrgID,
		centerID: g.CenterID, changes: birge.Diff(nil, grantFields(g))})
}

// RemoveGrant takes a role away. Nobody removes their own last administrator role, so an
// organisation cannot lock itself out by accident.
func (s *Store) RemoveGrant(ctx context.Context, a *birge.Actor, userID, grantID int64) error {
	return s.tx(ctx, func(c q) error {
		u, err := s.getUser(ctx, c, userID)
		if err != nil {
			return err
		}
		var g birge.Grant
		for _, x := range u.Grants {
			if x.ID == grantID {
				g = x
			}
		}
		if g.ID == 0 || !a.Can(birge.PermUserView, g.OrgID, g.CenterID) && userID != a.UserID {
			return birge.ErrNotFound
		}
		if !a.CanGrant(g) {
			return birge.ErrForbidden
		}
		if userID == a.UserID && g.Role == birge.RoleAdmin {
			return birge.Errorf(birge.KindConflict, "grant.own_admin")
		}
		if _, err := c.exec(ctx, `DELETE FROM grants WHERE id = ?`, grantID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionRevoke, entity: birge.EntityUser, entityID: userID, orgID: g.OrgID,
			centerID: g.CenterID, changes: birge.Diff(grantFields(g), nil)})
	})
}

// ScopeNames returns the names of the organisations and centres that grants refer to.
// Callers pass grants already filtered for the actor (GetUser, ListUsers and the actor's
// own), so the names reveal nothing the actor was not shown.
func (s *Store) ScopeNames(ctx context.Context, grants []birge.Grant) (orgs, centers map[int64]birge.Names, err error) {
	orgs, centers = map[int64]birge.Names{}, map[int64]birge.Names{}
	for _, g := range grants {
		if g.OrgID != 0 && orgs[g.OrgID] == (birge.Names{}) {
			o, err := s.getOrg(ctx, s.read(), g.OrgID)
			if err != nil {
				return nil, nil, err
			}
			orgs[g.OrgID] = o.Names
		}
		if g.CenterID != 0 && centers[g.CenterID] == (birge.Names{}) {
			c, err := s.getCenter(ctx, s.read(), g.CenterID)
			if err != nil {
				return nil, nil, err
			}
			centers[g.CenterID] = c.Names
		}
	}
	return orgs, centers, nil
}
