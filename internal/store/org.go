package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/birge-org/birge/internal/birge"
)

const orgColumns = `id, name_kk, name_ru, name_ky, name_en, country, website, created_at, updated_at`

func scanOrg(row interface{ Scan(...any) error }) (birge.Organization, error) {
	var o birge.Organization
	err := row.Scan(&o.ID, &o.Names.KK, &o.Names.RU, &o.Names.KY, &o.Names.EN, &o.Country,
		&o.Website, &o.CreatedAt, &o.UpdatedAt)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

// orgFields flattens an organisation for the audit diff.
func orgFields(o birge.Organization) map[string]any {
	return map[string]any{"name_kk": o.Names.KK, "name_ru": o.Names.RU, "name_ky": o.Names.KY,
		"name_en": o.Names.EN, "country": o.Country, "website": o.Website}
}

// visibleOrgs is the scope in which the actor may know organisations exist: anyone with
// any role in an organisation knows it.
func visibleOrg(a *birge.Actor, id int64) bool {
	for _, g := range a.Grants {
		if g.Installation() || g.OrgID == id {
			return true
		}
	}
	return false
}

// ListOrgs returns the organisations the actor has a role in (all, for installation
// administrators).
func (s *Store) ListOrgs(ctx context.Context, a *birge.Actor) ([]birge.Organization, error) {
	rows, err := s.read().query(ctx, `SELECT `+orgColumns+` FROM organizations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []birge.Organization
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		if visibleOrg(a, o.ID) {
			out = append(out, o)
		}
	}
	return out, rows.Err()
}

// GetOrg returns one organisation, or ErrNotFound if it does not exist or the actor has no
// role in it.
func (s *Store) GetOrg(ctx context.Context, a *birge.Actor, id int64) (birge.Organization, error) {
	if !visibleOrg(a, id) {
		return birge.Organization{}, birge.ErrNotFound
	}
	return s.getOrg(ctx, s.read(), id)
}

func (s *Store) getOrg(ctx context.Context, c q, id int64) (birge.Organization, error) {
	o, err := scanOrg(c.row(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, birge.ErrNotFound
	}
	return o, err
}

// CreateOrg adds an organisation; only installation administrators may.
func (s *Store) CreateOrg(ctx context.Context, a *birge.Actor, o birge.Organization) (birge.Organization, error) {
	if !a.InstallationAdmin() {
		return o, birge.ErrForbidden
	}
	if err := o.Validate(); err != nil {
		return o, err
	}
	o.CreatedAt, o.UpdatedAt = s.now(), s.now()
	err := s.tx(ctx, func(c q) error {
		err := c.row(ctx, `INSERT INTO organizations (name_kk, name_ru, name_ky, name_en, country, website,
			created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			o.Names.KK, o.Names.RU, o.Names.KY, o.Names.EN, o.Country, o.Website, o.CreatedAt, o.UpdatedAt).Scan(&o.ID)
		if err != nil {
			return err
		}
		if err := s.seedCategories(ctx, c, o.ID, o.CreatedAt); err != nil {
			return err
		}
		for _, kinds := range []kindTable{deliveryKinds, outcomeKinds, caseReasons} {
			if err := kinds.seed(ctx, c, o.ID); err != nil {
				return err
			}
		}
		return s.audit(ctx, c, a, event{action: birge.ActionCreate, entity: birge.EntityOrganization, entityID: o.ID, orgID: o.ID,
			changes: birge.Diff(nil, orgFields(o))})
	})
	return o, err
}

// UpdateOrg saves changes to an organisation; its administrators may. Saving it
// unchanged writes nothing: no audit entry, and its updated_at stays.
func (s *Store) UpdateOrg(ctx context.Context, a *birge.Actor, o birge.Organization) (birge.Organization, error) {
	if !a.Can(birge.PermOrgManage, o.ID, 0) {
		if visibleOrg(a, o.ID) {
			return o, birge.ErrForbidden
		}
		return o, birge.ErrNotFound
	}
	if err := o.Validate(); err != nil {
		return o, err
	}
	err := s.tx(ctx, func(c q) error {
		if err := lockRow(ctx, c, "organizations", o.ID); err != nil {
			return err
		}
		old, err := s.getOrg(ctx, c, o.ID)
		if err != nil {
			return err
		}
		if err := sameVersion(o.UpdatedAt, old.UpdatedAt); err != nil {
			return err
		}
		changes := birge.Diff(orgFields(old), orgFields(o))
		if len(changes) == 0 {
			o = old
			return nil
		}
		o.CreatedAt, o.UpdatedAt = old.CreatedAt, nextVersion(s.now(), old.UpdatedAt)
		if _, err := c.exec(ctx, `UPDATE organizations SET name_kk = ?, name_ru = ?, name_ky = ?, name_en = ?,
			country = ?, website = ?, updated_at = ? WHERE id = ?`,
			o.Names.KK, o.Names.RU, o.Names.KY, o.Names.EN, o.Country, o.Website, o.UpdatedAt, o.ID); err != nil {
			return err
		}
		return s.audit(ctx, c, a, event{action: birge.ActionUpdate, entity: birge.EntityOrganization, entityID: o.ID, orgID: o.ID,
			changes: changes})
	})
	return o, err
}
